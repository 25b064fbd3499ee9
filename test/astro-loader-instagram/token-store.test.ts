import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStore, updateStore } from '../../packages/astro-loader-instagram/src/token/store.js';
import { buildFixture, tempSiteDirs } from '../helpers/astro.js';

const HOUR = 3600_000;
const record = (hash: string) => ({ hash, previous: [], origin: 'configured' as const, firstSeenAt: '2026-11-23T12:00:00.000Z' });

describe('the token store keeps its previous good copy beside it', () => {
  let file: string;
  beforeAll(async () => {
    file = path.join(await mkdtemp(path.join(tmpdir(), 'ig-store-')), 'token.json');
  });

  it('writes token.json.bak (0600) only when a write replaces a good store', async () => {
    await updateStore(file, (snapshot) => void snapshot.data.tokens.push(record('sha256:first')));
    await expect(stat(`${file}.bak`)).rejects.toThrow(/ENOENT/); // nothing good to keep yet
    await updateStore(file, (snapshot) => void snapshot.data.tokens.push(record('sha256:second')));
    const backup = JSON.parse(await readFile(`${file}.bak`, 'utf8')) as { tokens: Array<{ hash: string }> };
    expect(backup.tokens.map((entry) => entry.hash)).toEqual(['sha256:first']);
    expect((await stat(`${file}.bak`)).mode & 0o777).toBe(0o600);
  });

  it('restores a damaged store from the backup, and says when both are gone', async () => {
    await writeFile(file, '{"version":1,"tokens":[{"hash":"sha256:sec'); // cut off mid-write by something else
    const restored = await readStore(file);
    expect(restored).toMatchObject({ unreadable: true, recovery: 'restored' });
    expect(restored.data.tokens.map((entry) => entry.hash)).toEqual(['sha256:first']);

    await writeFile(`${file}.bak`, 'garbage');
    expect(await readStore(file)).toMatchObject({ unreadable: true, recovery: 'lost', data: { tokens: [] } });
  });

  it('writes the restored store back, without overwriting the backup with the damaged file', async () => {
    await writeFile(`${file}.bak`, JSON.stringify({ version: 1, tokens: [record('sha256:kept')] }));
    await writeFile(file, 'damaged');
    await updateStore(file, () => undefined);
    expect(JSON.parse(await readFile(file, 'utf8')).tokens[0].hash).toBe('sha256:kept');
    expect(JSON.parse(await readFile(`${file}.bak`, 'utf8')).tokens[0].hash).toBe('sha256:kept');
  });
});

describe('a damaged token store in a real build', () => {
  const T0 = Date.now();
  let clock = T0;
  let fake: FakeInstagram;
  let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
  const mediaTokens: string[] = [];
  const storeFile = () => path.join(dirs.cacheDir, 'astro-loader-instagram', 'token.json');

  async function buildAt(at: number) {
    clock = at;
    return buildFixture('basic', dirs, {
      INSTAGRAM_TOKEN: fake.token,
      INSTAGRAM_API_URL: fake.url,
      ASTRO_LOADER_INSTAGRAM_NOW: new Date(at).toISOString(),
    });
  }

  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 2, seed: 41, now: () => clock, rotateOnRefresh: true });
    fake.intercept((_req, _res, info) => {
      if (info.route === 'media') mediaTokens.push(info.url.searchParams.get('access_token') ?? '');
      return false;
    });
    dirs = await tempSiteDirs('token-store');
  });
  afterAll(() => fake?.close());

  it('uses the refreshed token from token.json.bak when token.json is damaged', async () => {
    expect((await buildAt(T0)).code).toBe(0);
    const refreshBuild = await buildAt(T0 + 25 * HOUR); // refreshed: a new string, kept only in the store
    expect(refreshBuild.code, refreshBuild.output).toBe(0);
    const refreshed = mediaTokens.at(-1)!;
    expect(refreshed).not.toBe(fake.token);
    expect((await buildAt(T0 + 26 * HOUR)).code).toBe(0); // replaces the store: its previous copy becomes the .bak
    expect(await readFile(`${storeFile()}.bak`, 'utf8')).toContain(refreshed);

    // The original token no longer works, so only the refreshed one can read the feed.
    fake.tokens.revoke(fake.token);
    await writeFile(storeFile(), '\0\0\0 not json');
    const result = await buildAt(T0 + 27 * HOUR);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(
      /token\.json could not be read \(damaged, or not a store this version knows\); restored it from .*token\.json\.bak, its copy before the last change\./,
    );
    expect(mediaTokens.at(-1)).toBe(refreshed);
    expect(result.output).toMatch(/2 posts \(0 new, 0 updated, 2 unchanged/);
    expect(result.output).not.toContain(refreshed);
  });
});
