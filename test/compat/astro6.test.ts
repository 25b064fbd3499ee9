import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeInstagram, type FakeInstagram } from 'fake-instagram';
import { fixture, runAstroWith } from '../helpers/astro.js';
import { createStandaloneSite, packPackages } from '../helpers/pack.js';

/** The lowest Astro we claim (`peerDependencies.astro: ^6.1.3 || ^7.0.0`). */
const LOWEST_ASTRO = process.env.ASTRO6_VERSION || '6.1.3';

describe(`astro ${LOWEST_ASTRO} (lowest supported)`, () => {
  let fake: FakeInstagram;
  let site: { root: string; astroBin: string; outDir: string; cacheDir: string };
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 12, seed: 3 });
    // Outside the repo: nothing may resolve from the workspace's node_modules.
    const base = await mkdtemp(path.join(tmpdir(), 'ig-astro6-'));
    const root = path.join(base, 'site');
    const tarballs = await packPackages(path.join(base, 'tarballs'));
    const { astroBin } = await createStandaloneSite(root, { astro: LOWEST_ASTRO, fixture: fixture('basic'), tarballs });
    // Default outDir and cacheDir inside the site, as a user has them.
    site = { root, astroBin, outDir: path.join(root, 'dist'), cacheDir: path.join(root, 'node_modules/.astro') };
    env = { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url };
  }, 300_000);
  afterAll(() => fake?.close());

  it('installs the exact version', async () => {
    const pkg = JSON.parse(await readFile(path.join(site.root, 'node_modules/astro/package.json'), 'utf8')) as { version: string };
    expect(pkg.version).toBe(LOWEST_ASTRO);
  });

  it('builds with local images, then rebuilds from the persisted store without downloads', async () => {
    const first = await runAstroWith(site.astroBin, ['build', '--root', site.root], env);
    expect(first.code, first.output).toBe(0);
    const entries = JSON.parse(await readFile(path.join(site.outDir, 'entries.json'), 'utf8')) as { instagram: Array<{ image: { src: string } }> };
    expect(entries.instagram).toHaveLength(12);
    for (const entry of entries.instagram) expect(entry.image.src).toMatch(/^\/_astro\//);

    fake.resetStats();
    const second = await runAstroWith(site.astroBin, ['build', '--root', site.root], env);
    expect(second.code, second.output).toBe(0);
    expect(fake.stats.cdn).toBe(0);
    expect(second.output).toMatch(/12 unchanged/);
  });
});
