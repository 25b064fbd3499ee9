import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, repoRoot, tempSiteDirs } from '../helpers/astro.js';
import { recipeFile, runTool, toolsDir } from './tools.js';

const HOUR = 3600_000;

/**
 * `netlify build --offline` (netlify-cli, pinned in test/platforms/package.json) runs the Netlify
 * recipe's netlify.toml, read from docs/deploy-netlify.md as written there, with netlify-plugin-cache.
 * Netlify's dependency cache is gone between the two builds (node_modules/.astro deleted): only the
 * plugin can bring the images and the token store back.
 */
describe('Netlify: netlify build --offline with the recipe netlify.toml', () => {
  const T0 = Date.now();
  let clock = T0;
  let fake: FakeInstagram;
  let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
  let site: string;

  const netlifyBuild = (at: number) => {
    clock = at;
    return runTool('netlify-cli/bin/run.js', ['build', '--offline'], {
      cwd: site,
      env: { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url, ASTRO_LOADER_INSTAGRAM_NOW: new Date(at).toISOString() },
    });
  };

  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 4, seed: 14, now: () => clock });
    dirs = await tempSiteDirs('ig-netlify');
    site = await copyFixture('integration', dirs.site);
    await cp(path.join(repoRoot, 'test/platforms/fixtures/netlify'), site, { recursive: true });
    await writeFile(path.join(site, 'netlify.toml'), await recipeFile('deploy-netlify.md', 'netlify.toml'));
    // The recipe's scheduled functions, as written in the docs.
    await mkdir(path.join(site, 'netlify/functions'), { recursive: true });
    for (const name of ['netlify/functions/check.mts', 'netlify/functions/rebuild.mjs'])
      await writeFile(path.join(site, name), await recipeFile('deploy-netlify.md', name));
    // The site's devDependency, as `npm install -D netlify-plugin-cache` leaves it (offline: no install here).
    await mkdir(path.join(site, 'node_modules'), { recursive: true });
    await symlink(path.join(toolsDir, 'netlify-plugin-cache'), path.join(site, 'node_modules/netlify-plugin-cache'), 'dir');
  });
  afterAll(async () => {
    await fake?.close();
    if (dirs) await rm(dirs.base, { recursive: true, force: true });
  });

  it('first build: downloads the images, records the token, and the plugin saves node_modules/.astro', async () => {
    const cdnBefore = fake.stats.cdn;
    const result = await netlifyBuild(T0);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('netlify-plugin-cache');
    expect(result.output).toMatch(/Successfully cached: node_modules\/\.astro/);
    expect(result.output).toMatch(/Instagram token \((instagram|profile)\): first seen by the token store/);
    expect(fake.stats.cdn - cdnBefore).toBeGreaterThan(0);
  });

  it('packages the recipe\u2019s functions with their schedules from netlify.toml', async () => {
    // What Netlify deploys: the 15-minute check and the daily rebuild, each with its cron.
    // (Netlify traces the function's imports into its zip; in this test astro-loader-instagram is
    // the workspace's, outside the site folder, so only the schedules are checked here.)
    const manifest = JSON.parse(await readFile(path.join(site, '.netlify/functions/manifest.json'), 'utf8')) as {
      functions: Array<{ name: string; schedule?: string }>;
    };
    const schedules = Object.fromEntries(manifest.functions.map((fn) => [fn.name, fn.schedule]));
    expect(schedules).toEqual({ check: '*/15 * * * *', rebuild: '17 5 * * *' });
  });

  it('second build on a lost node_modules/.astro: the plugin restores it, no image is downloaded, the stored token record is used', async () => {
    await rm(path.join(site, 'node_modules/.astro'), { recursive: true, force: true });
    await rm(path.join(site, 'dist'), { recursive: true, force: true });
    const cdnBefore = fake.stats.cdn;
    const refreshesBefore = fake.stats.byRoute['refresh-token'] ?? 0;

    // A day later by the store's records: a build that read the first build's token.json refreshes now.
    const result = await netlifyBuild(T0 + 25 * HOUR);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/Successfully restored: node_modules\/\.astro/);
    expect(fake.stats.cdn - cdnBefore).toBe(0);
    expect(result.output).toMatch(/images: 0 downloaded/);
    expect(result.output).not.toContain('first seen by the token store');
    expect(result.output).toMatch(/Instagram token \((instagram|profile)\): refreshed, valid until/);
    expect((fake.stats.byRoute['refresh-token'] ?? 0) - refreshesBefore).toBe(1);
    expect(result.output).not.toContain(fake.token);
  });
});
