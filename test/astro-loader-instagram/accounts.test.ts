import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { astro, buildFixture, fixtureSite, readAllText, tempSiteDirs } from '../helpers/astro.js';

/**
 * Several accounts in one grid, and more of the API: the `accounts` fixture loads two accounts (two
 * fakes, each with its own token) into two collections, merges them with `mergeFeeds()`, and asks
 * one of them for more fields (one misspelt) and a `transform` typed by an extended schema.
 */

/** The feed's tiles in page order: the media id each opens, and the account label shown on it. */
function tiles(html: string): Array<{ id: string; account: string | undefined }> {
  const buttons = html.match(/<button\b[^>]*command="show-modal"[^>]*>[\s\S]*?<\/button>/g) ?? [];
  return buttons.map((button) => ({
    id: /commandfor="ig-lightbox-(\d+)"/.exec(button)![1]!,
    account: /class="ig-feed__account[^"]*"[^>]*>([^<]*)</.exec(button)?.[1],
  }));
}

const timeOf = (media: FakeInstagram['media'][number]) => new Date(media.timestamp).getTime();

describe('two accounts as one feed, extra fields and transform (real astro build)', () => {
  let studio: FakeInstagram;
  let cafe: FakeInstagram;
  let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
  let env: Record<string, string>;
  let build: { code: number | null; output: string };
  const page = (name: string) => readFile(path.join(dirs.outDir, name), 'utf8');

  beforeAll(async () => {
    [studio, cafe] = await Promise.all([
      startFakeInstagram({ posts: 7, seed: 21, username: 'studio.north', token: 'IGAAstudio-fake-token-1111' }),
      startFakeInstagram({ posts: 6, seed: 22, username: 'cafe.south', token: 'IGAAcafe-fake-token-2222' }),
    ]);
    dirs = await tempSiteDirs('ig-accounts');
    env = {
      FIXTURE_STUDIO_TOKEN: studio.token,
      FIXTURE_STUDIO_API_URL: studio.url,
      FIXTURE_CAFE_TOKEN: cafe.token,
      FIXTURE_CAFE_API_URL: cafe.url,
    };
    build = await buildFixture('accounts', dirs, env);
  });
  afterAll(async () => {
    await Promise.all([studio?.close(), cafe?.close()]);
  });

  it('renders both accounts as one grid, newest first, each tile labelled with its account', async () => {
    expect(build.code, build.output).toBe(0);
    const all = [...studio.media, ...cafe.media];
    const expected = [...all].sort((a, b) => timeOf(b) - timeOf(a)).map((media) => ({ id: media.id, account: `@${media.username}` }));
    // The two accounts' posts interleave in time, so the grid is not one account after the other.
    const accounts = expected.map((tile) => tile.account);
    expect(accounts.filter((name, index) => index > 0 && name !== accounts[index - 1]).length).toBeGreaterThan(1);
    expect(tiles(await page('index.html'))).toEqual(expected);
  });

  it('shows no account label when the posts come from one account', async () => {
    const shown = tiles(await page('one/index.html'));
    expect(shown.map((tile) => tile.id).sort()).toEqual(cafe.media.map((media) => media.id).sort());
    expect(shown.every((tile) => tile.account === undefined)).toBe(true);
  });

  it('puts the fields asked for in entry.data.extra, unchanged, and the transform result in the page', async () => {
    const html = await page('extra/index.html');
    const rows = [...html.matchAll(/<li data-id="(\d+)" data-mood="(\w+)" data-kind="(\w+)" data-extra="([^"]*)"/g)].map(
      ([, id, mood, kind, extra]) => ({ id, mood, kind, extra: JSON.parse(extra!.replaceAll('&quot;', '"')) as Record<string, unknown> }),
    );
    expect(rows.map((row) => row.id).sort()).toEqual(studio.media.map((media) => media.id).sort());
    for (const row of rows) {
      const source = studio.media.find((media) => media.id === row.id)!;
      // Only the fields asked for and served: the misspelt one was refused and is absent.
      expect(row.extra).toEqual({ media_product_type: source.media_product_type, is_comment_enabled: expect.any(Boolean) });
      expect(row.kind).toBe(source.media_type);
      expect(row.mood).toBe(source.media_type === 'IMAGE' ? 'still' : 'moving');
    }
  });

  it('warns once, in one line, about the refused field, and leaks no token', async () => {
    const warnings = build.output.split('\n').filter((line) => line.includes('media_product_typ '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Instagram refused media_product_typ from the fields option .*Check the spelling/);
    const published = await readAllText(dirs.outDir);
    for (const secret of [studio.token, cafe.token]) {
      expect(published).not.toContain(secret);
      expect(build.output).not.toContain(secret);
    }
  });

  it('a transform that throws keeps the last good posts, with one warning naming the post', async () => {
    // Unchanged posts are not built again (digest), so a new post is what meets the broken transform.
    const before = studio.media.length;
    studio.publish();
    const rebuild = await buildFixture('accounts', dirs, { ...env, FIXTURE_TRANSFORM_THROWS: '1' });
    expect(rebuild.code, rebuild.output).toBe(0);
    const warnings = rebuild.output.split('\n').filter((line) => line.includes('transform() threw'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /astro-loader-instagram \(studio\): transform\(\) threw for post https:\/\/www\.instagram\.com\/p\/\S+: no mood for this post\. Fix the transform option .* Kept the 7 posts from the last successful sync\./,
    );
    expect(rebuild.output).not.toMatch(/Stack trace|at syncOne/);
    const moods = [...(await page('extra/index.html')).matchAll(/data-mood="(\w+)"/g)];
    expect(moods).toHaveLength(before);
  });

  it('types entries from the extended schema (astro check)', async () => {
    const site = await fixtureSite('accounts', dirs, env);
    const result = await astro(['check'], site).done;
    expect(result.output).toMatch(/0 errors/);
    expect(result.code, result.output).toBe(0);
  });
});
