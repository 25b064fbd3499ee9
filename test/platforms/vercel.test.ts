import { cp, mkdir, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, listFiles, readAllText, repoRoot, tempSiteDirs } from '../helpers/astro.js';
import { runTool, toolsDir } from './tools.js';

/**
 * `vercel build` (vercel CLI, pinned in test/platforms/package.json) with `@astrojs/vercel` on the
 * integration fixture's site. A fake `.vercel/project.json` (framework astro, no install command) is all
 * it needs: no login, no network. The output is what Vercel would deploy: `.vercel/output/static`.
 */
describe('Vercel: vercel build with @astrojs/vercel', () => {
  let fake: FakeInstagram;
  let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
  let site: string;
  let output: string;
  let result: { code: number | null; output: string };

  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 4, seed: 58 });
    dirs = await tempSiteDirs('ig-vercel');
    site = await copyFixture('integration', dirs.site);
    await cp(path.join(repoRoot, 'test/platforms/fixtures/vercel'), site, { recursive: true, force: true });
    // The site's dependency, as `npm install @astrojs/vercel` leaves it (no install during the test).
    await mkdir(path.join(site, 'node_modules/@astrojs'), { recursive: true });
    await symlink(path.join(toolsDir, '@astrojs/vercel'), path.join(site, 'node_modules/@astrojs/vercel'), 'dir');
    result = await runTool('vercel/dist/index.js', ['build', '--yes'], {
      cwd: site,
      env: { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url },
    });
    output = path.join(site, '.vercel/output/static');
  });
  afterAll(async () => {
    await fake?.close();
    if (dirs) await rm(dirs.base, { recursive: true, force: true });
  });

  it('builds through the adapter, without installing anything', () => {
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('adapter: @astrojs/vercel');
    expect(result.output).not.toMatch(/Installing dependencies/);
  });

  it('the output holds every image its pages show, a file for each post, and no token', async () => {
    const files = new Set(await listFiles(output));
    const html = await readFile(path.join(output, 'index.html'), 'utf8');
    const shown = [...new Set([...html.matchAll(/\/(_astro\/[^"'\s?,]+\.(?:webp|avif|jpe?g|png))/g)].map((match) => match[1]!))];
    expect(shown.length).toBeGreaterThanOrEqual(fake.media.length);
    for (const image of shown) expect(files.has(image), `${image} in .vercel/output/static`).toBe(true);
    // A single-image post's files carry its id (albums and videos are named by their children/thumbnails).
    for (const post of fake.media.filter((media) => media.media_type === 'IMAGE'))
      expect(
        [...files].some((file) => file.startsWith('_astro/') && file.includes(post.id)),
        `an image of post ${post.id}`,
      ).toBe(true);
    expect(await readAllText(path.join(site, '.vercel/output'))).not.toContain(fake.token);
  });

  it('Vercel\u2019s own prepareCache keeps node_modules/.astro (the token store and the images) for the next build', async () => {
    // The function Vercel runs after a static build to choose what the next build gets back.
    const { prepareCache } = createRequire(import.meta.url)(path.join(toolsDir, '@vercel/static-build')) as {
      prepareCache(options: {
        entrypoint: string;
        repoRootPath: string;
        workPath: string;
        config: object;
        files: object;
      }): Promise<Record<string, unknown>>;
    };
    const kept = Object.keys(await prepareCache({ entrypoint: 'package.json', repoRootPath: site, workPath: site, config: {}, files: {} }));
    expect(kept).toContain('node_modules/.astro/astro-loader-instagram/token.json');
    expect(kept).toContain('node_modules/.astro/data-store.json');
    expect(kept.filter((file) => file.startsWith('node_modules/.astro/astro-loader-instagram/instagram/')).length).toBeGreaterThan(0);
  });

  // The public state file comes with the integration's state.json change (issue 14, other branch).
  it('the output holds the public state file /_instagram/state.json, without a token', async () => {
    const state = await readFile(path.join(output, '_instagram/state.json'), 'utf8');
    expect(JSON.parse(state)).toBeTypeOf('object');
    expect(state).not.toContain(fake.token);
  });
});
