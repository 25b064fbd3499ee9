import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { astro, copySite, fixture, repoRoot, tempSiteDirs } from '../helpers/astro.js';

describe('entry types inferred from the loader schema (astro check)', () => {
  let fake: FakeInstagram;
  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 4, seed: 5 });
  });
  afterAll(() => fake?.close());

  it('rejects a page that uses entry.data.image as a string, and accepts correct use', async () => {
    const dirs = await tempSiteDirs('ig-types');
    const result = await astro(['check'], {
      root: fixture('typecheck'),
      env: { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url, ASTRO_CACHE_DIR: dirs.cacheDir },
    }).done;
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/misuse\.astro[\s\S]*ts\(2322\)|ts\(2322\)[\s\S]*misuse/);
    expect(result.output).toMatch(/1 error/);
    expect(result.output).not.toMatch(/index\.astro:\d+:\d+ - error/);
  });

  it('passes on the playground', async () => {
    // A private copy: `astro check` syncs into the site's .astro/, which the browser suite's build of the
    // playground must not see rewritten under it (both run at once in `npm test`).
    const dirs = await tempSiteDirs('ig-types-playground');
    const site = await copySite(path.join(repoRoot, 'playground'), dirs.site, { withoutEnvFiles: true });
    const result = await astro(['check'], { root: site, env: { ASTRO_CACHE_DIR: dirs.cacheDir } }).done;
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/0 errors/);
  });
});
