import path from 'node:path';
import { astro, copySite, repoRoot, tempSiteDirs } from './astro.js';

/**
 * `astro build` of a private copy of the playground in fresh folders (what a fresh clone gets), against
 * its demo feed. Not playground/ itself: `astro check` of it (types.test.ts), run at the same time by
 * `npm test`, rewrites playground/.astro/content-assets.mjs with the paths of its own cache.
 */
export async function buildPlayground(prefix: string): Promise<{ outDir: string; code: number | null; output: string }> {
  const dirs = await tempSiteDirs(prefix);
  const root = await copySite(path.join(repoRoot, 'playground'), dirs.site, { withoutEnvFiles: true });
  const build = await astro(['build'], { root, env: { ASTRO_OUT_DIR: dirs.outDir, ASTRO_CACHE_DIR: dirs.cacheDir } }).done;
  return { outDir: dirs.outDir, ...build };
}
