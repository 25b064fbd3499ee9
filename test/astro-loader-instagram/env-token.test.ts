import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteEnv } from '../../packages/astro-loader-instagram/src/env.js';
import { astro, astroDev, buildFixture, copyFixture, fetchWhenReady, tempSiteDirs } from '../helpers/astro.js';

/**
 * What the README tells users to do locally: put INSTAGRAM_TOKEN in `.env`. No Instagram variable is
 * set in the environment of these runs; every value comes from the site's `.env` files, for the
 * mode Astro runs in (build and sync: production, dev: development).
 */
const WRONG = 'IGAAwrong-token-from-another-file-00';

describe('a token in .env reaches the loader', () => {
  let fake: FakeInstagram;
  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 3, seed: 21 });
  });
  afterAll(() => fake?.close());

  /** `.env` holds the API URL and a wrong token; only the file for `mode` holds the right one. */
  async function siteWithEnv(prefix: string, mode: 'production' | 'development') {
    const dirs = await tempSiteDirs(prefix);
    await mkdir(dirs.site, { recursive: true });
    const other = mode === 'production' ? 'development' : 'production';
    await writeFile(path.join(dirs.site, '.env'), `INSTAGRAM_TOKEN=${WRONG}\nINSTAGRAM_API_URL="${fake.url}"\n`);
    await writeFile(path.join(dirs.site, `.env.${mode}`), `# the token for ${mode}\nINSTAGRAM_TOKEN='${fake.token}'\n`);
    await writeFile(path.join(dirs.site, `.env.${other}`), `INSTAGRAM_TOKEN=${WRONG}\n`);
    return dirs;
  }

  const ids = () => fake.media.map((media) => media.id).sort();

  it('astro build, loader alone: .env.production wins over .env', async () => {
    const dirs = await siteWithEnv('env-build', 'production');
    const result = await buildFixture('basic', dirs, {});
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/3 posts \(3 new/);
    const entries = JSON.parse(await readFile(path.join(dirs.outDir, 'entries.json'), 'utf8')) as { instagram: Array<{ id: string }> };
    expect(entries.instagram.map((entry) => entry.id).sort()).toEqual(ids());
    expect(result.output).not.toContain(fake.token);
  });

  it('astro build with the integration (posts and profile)', async () => {
    const dirs = await siteWithEnv('env-build-int', 'production');
    const result = await buildFixture('integration', dirs, {});
    expect(result.code, result.output).toBe(0);
    const json = JSON.parse(await readFile(path.join(dirs.outDir, 'profile.json'), 'utf8')) as { posts: string[]; profiles: unknown[] };
    expect(json.posts.sort()).toEqual(ids());
    expect(json.profiles).toHaveLength(1);
  });

  it('a real environment variable wins over .env files', async () => {
    const dirs = await tempSiteDirs('env-precedence');
    await mkdir(dirs.site, { recursive: true });
    await writeFile(path.join(dirs.site, '.env'), `INSTAGRAM_TOKEN=${WRONG}\nINSTAGRAM_API_URL=${fake.url}\n`);
    const result = await buildFixture('basic', dirs, { INSTAGRAM_TOKEN: fake.token });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/3 posts \(3 new/);
  });

  it('astro build --mode staging reads .env.staging', async () => {
    const dirs = await tempSiteDirs('env-mode');
    await mkdir(dirs.site, { recursive: true });
    await writeFile(path.join(dirs.site, '.env'), `INSTAGRAM_TOKEN=${WRONG}\nINSTAGRAM_API_URL=${fake.url}\n`);
    await writeFile(path.join(dirs.site, '.env.production'), `INSTAGRAM_TOKEN=${WRONG}\n`);
    await writeFile(path.join(dirs.site, '.env.staging.local'), `INSTAGRAM_TOKEN=${fake.token}\n`);
    const site = await copyFixture('basic', dirs.site);
    const result = await astro(['build', '--mode', 'staging'], {
      root: site,
      env: { ASTRO_CACHE_DIR: dirs.cacheDir, ASTRO_OUT_DIR: dirs.outDir },
    }).done;
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/3 posts \(3 new/);
  });

  it('astro sync', async () => {
    const dirs = await siteWithEnv('env-sync', 'production');
    const site = await copyFixture('basic', dirs.site);
    const result = await astro(['sync'], { root: site, env: { ASTRO_CACHE_DIR: dirs.cacheDir } }).done;
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/3 posts \(3 new/);
  });

  it.each([
    ['basic', '/entries.json'],
    ['integration', '/profile.json'],
  ])('astro dev (%s): .env.development wins over .env', async (name, page) => {
    const dirs = await siteWithEnv(`env-dev-${name}`, 'development');
    const site = await copyFixture(name, dirs.site);
    const dev = await astroDev(site, { ASTRO_CACHE_DIR: dirs.cacheDir });
    try {
      const body = await (await fetchWhenReady(`${dev.origin}${page}`)).text();
      for (const id of ids()) expect(body, dev.output()).toContain(id);
      expect(dev.output()).not.toMatch(/No Instagram access token/);
    } finally {
      await dev.stop();
    }
  });
});

describe('siteEnv: one variable as Astro sees it', () => {
  it('layers .env, .env.local, .env.[mode], .env.[mode].local; the environment wins, unless set to nothing', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'site-env-'));
    await writeFile(path.join(root, '.env'), 'A=env\nB=env\nC=env\nD=env\nE=env\n');
    await writeFile(path.join(root, '.env.local'), 'B=local\nC=local\nD=local\n');
    await writeFile(path.join(root, '.env.production'), 'C=mode\nD=mode\n');
    await writeFile(path.join(root, '.env.production.local'), 'D=mode-local\n# a comment\nQUOTED="with spaces"\n');
    const env = siteEnv({ root: `${root}/` }, 'production', { E: 'real', A: '' });
    expect(env).toMatchObject({ A: 'env', B: 'local', C: 'mode', D: 'mode-local', E: 'real', QUOTED: 'with spaces' });
    expect(siteEnv({ root }, 'development', {}).D).toBe('local');
    expect(siteEnv({ root, vite: { envDir: false } }, 'production', {}).A).toBeUndefined();
  });
});
