import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, listFiles, readAllText, tempSiteDirs } from '../helpers/astro.js';
import { refuseTokenRefresh } from '../helpers/faults.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * The token's life over two months of scheduled builds, with time injected
 * (ASTRO_LOADER_INSTAGRAM_NOW for the build, the fake's clock for Instagram), never waited for.
 */
describe('token lifecycle in real astro builds', () => {
  const T0 = Date.now();
  let clock = T0;
  let fake: FakeInstagram;
  let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
  const outputs: string[] = [];
  const mediaTokens: string[] = [];
  let refreshed = '';

  const storeFile = () => path.join(dirs.cacheDir, 'astro-loader-instagram', 'token.json');
  const readStore = async () => JSON.parse(await readFile(storeFile(), 'utf8')) as { tokens: Array<Record<string, unknown>> };

  async function buildAt(at: number) {
    clock = at;
    const result = await buildFixture('basic', dirs, {
      INSTAGRAM_TOKEN: fake.token,
      INSTAGRAM_API_URL: fake.url,
      ASTRO_LOADER_INSTAGRAM_NOW: new Date(at).toISOString(),
    });
    outputs.push(result.output);
    expect(result.code, result.output).toBe(0);
    return result.output;
  }

  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 3, seed: 21, now: () => clock, rotateOnRefresh: true });
    fake.intercept((_req, _res, info) => {
      if (info.route === 'media') mediaTokens.push(info.url.searchParams.get('access_token') ?? '');
      return false;
    });
    dirs = await tempSiteDirs('ig-token');
  });
  afterAll(async () => {
    await fake?.close();
    if (dirs) await rm(dirs.base, { recursive: true, force: true });
  });

  it('first build: records the token (by hash), does not refresh it', async () => {
    const output = await buildAt(T0);
    expect(fake.stats.byRoute['refresh-token']).toBeUndefined();
    expect(output).toMatch(
      /Instagram token \(instagram\): first seen by the token store .*token\.json; builds refresh it once it is 24 hours old by these records \(from .* UTC on\)\./,
    );
    const { tokens } = await readStore();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).not.toHaveProperty('token');
    expect((await stat(storeFile())).mode & 0o777).toBe(0o600);
  });

  it('a day later: refreshes, keeps the new token in cacheDir (0600) and reads the feed with it', async () => {
    const output = await buildAt(T0 + 25 * HOUR);
    expect(fake.stats.byRoute['refresh-token']).toBe(1);
    expect(output).toMatch(
      /Instagram token \(instagram\): refreshed, valid until \d{4}-\d\d-\d\d; Instagram issued a new token string, kept in .*token\.json for the next builds\./,
    );
    const [record] = (await readStore()).tokens;
    refreshed = record!.token as string;
    expect(refreshed).toMatch(/^IGAA/);
    expect(refreshed).not.toBe(fake.token);
    expect(fake.tokens.get(refreshed)?.expiresAt).toBe(T0 + 25 * HOUR + 60 * DAY);
    expect((await stat(storeFile())).mode & 0o777).toBe(0o600);
    expect(mediaTokens.at(-1)).toBe(refreshed);
  });

  it('next build: same old INSTAGRAM_TOKEN, yet uses the stored refresh and does not refresh again', async () => {
    const output = await buildAt(T0 + 26 * HOUR);
    expect(fake.stats.byRoute['refresh-token']).toBe(1);
    expect(mediaTokens.at(-1)).toBe(refreshed);
    expect(output).toMatch(/3 posts \(0 new, 0 updated, 3 unchanged, 0 removed\)/);
    expect(output).not.toMatch(/first seen/);
  });

  it('warns 13 days before expiry when refreshing fails, error-level within 3 days, and never fails the build', async () => {
    refuseTokenRefresh(fake);
    const expires = new Date(T0 + 25 * HOUR + 60 * DAY).toISOString().slice(0, 10);

    const warned = await buildAt(T0 + 25 * HOUR + 47 * DAY);
    expect(warned).toMatch(
      new RegExp(
        `\\[WARN\\].*Instagram token \\(instagram\\): expires in 13 days \\(${expires}\\) and the automatic refresh failed: .*To fix: run \`npx astro-loader-instagram refresh\``,
      ),
    );
    expect(warned).not.toMatch(/URGENT/);

    const urgent = await buildAt(T0 + 25 * HOUR + 58 * DAY);
    expect(urgent).toMatch(
      new RegExp(
        `\\[ERROR\\].*Instagram token \\(instagram\\): URGENT: expires in 2 days \\(${expires}\\).*\`npx astro-loader-instagram refresh\``,
      ),
    );
    expect(urgent).toMatch(/3 posts \(0 new, 0 updated, 3 unchanged, 0 removed\)/);
  });

  it('never puts a token in the log, dist or data store (only in token.json and its backup copy)', async () => {
    const tokens = [fake.token, refreshed];
    const cacheFiles = await listFiles(dirs.cacheDir);
    expect(
      cacheFiles
        .filter((file) => /token\.json/.test(file))
        .map((file) => path.basename(file))
        .sort(),
    ).toEqual(['token.json', 'token.json.bak']);
    const cacheText = (
      await Promise.all(
        cacheFiles.filter((file) => !/token\.json(\.bak)?$/.test(file)).map((file) => readFile(path.join(dirs.cacheDir, file), 'latin1')),
      )
    ).join('\n');
    expect(cacheFiles).toContain('data-store.json');
    const haystacks = [...outputs, await readAllText(dirs.outDir), cacheText];
    for (const haystack of haystacks) for (const token of tokens) expect(haystack).not.toContain(token);
  });
});
