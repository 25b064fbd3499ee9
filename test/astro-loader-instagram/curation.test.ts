import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type FakeInstagram, type FakeMedia, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, tempSiteDirs } from '../helpers/astro.js';

interface EntryJson {
  id: string;
  timestamp: string;
  pinned?: number;
  isReel: boolean;
  sharedToFeed?: boolean;
}

/**
 * Curation in real builds of the `curation` fixture (a page with `<InstagramFeed>` over the
 * collection as `getCollection` returns it): the owner hides posts by list and by #nosite, kept the
 * newest Reel off the grid, pins an old post and a recent one; `limit` still yields its number of
 * posts, the feed shows the pinned ones first, and the build log has one line per mistake. A second
 * build of the same site with `until` and `offFeedReels: 'keep'`.
 */
describe('curation in a real astro build', () => {
  let fake: FakeInstagram;
  let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
  /** Newest first, as Instagram lists them. */
  let media: FakeMedia[];
  let offFeedReel: FakeMedia;
  let build: { code: number | null; output: string };
  const readEntries = async () => JSON.parse(await readFile(path.join(dirs.outDir, 'entries.json'), 'utf8')) as EntryJson[];
  const env = (options: Record<string, unknown>) => ({
    INSTAGRAM_TOKEN: fake.token,
    INSTAGRAM_API_URL: fake.url,
    FIXTURE_CURATION: JSON.stringify(options),
  });
  const unknownHide = 'https://www.instagram.com/p/Bzzzzzzzzzz/';
  const unknownPin = 'Cyyyyyyyyyy';

  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 30, seed: 15 });
    media = fake.media;
    // The owner hid the newest post from the Instagram app, and kept the newest Reel off the grid.
    fake.editCaption(media[0]!.id, 'Closed for the holidays #NoSite back on the 5th');
    offFeedReel = media.find((post) => post.media_product_type === 'REELS')!;
    offFeedReel.is_shared_to_feed = false;
    dirs = await tempSiteDirs('ig-curation');
    build = await buildFixture(
      'curation',
      dirs,
      env({
        limit: 7,
        hide: [`${media[1]!.permalink}?igsh=MTc4MmM1YmI2Ng==`, unknownHide],
        pin: [media[25]!.shortcode, media[4]!.id, unknownPin],
      }),
    );
  });
  afterAll(() => fake?.close());

  /** What the site should hold: the pinned posts, then the newest posts nobody hid, up to `limit` in all. */
  const expectedIds = () => {
    const pinned = [media[25]!, media[4]!];
    const hidden = new Set([media[0]!.id, media[1]!.id, offFeedReel.id]);
    const rest = media.filter((post) => !hidden.has(post.id) && !pinned.includes(post)).slice(0, 7 - pinned.length);
    return { pinned: pinned.map((post) => post.id), rest: rest.map((post) => post.id) };
  };

  it('leaves out the posts hidden by list, by #nosite and off the grid, and limit still yields 7 posts', async () => {
    expect(build.code, build.output).toBe(0);
    expect(media.indexOf(offFeedReel)).toBeLessThan(8); // inside what limit would show: its place is taken, not left empty
    const entries = await readEntries();
    const { pinned, rest } = expectedIds();
    expect(entries).toHaveLength(7);
    expect(new Set(entries.map((entry) => entry.id))).toEqual(new Set([...pinned, ...rest]));
    const html = await readFile(path.join(dirs.outDir, 'index.html'), 'utf8');
    for (const post of [media[0]!, media[1]!, offFeedReel]) expect(html).not.toContain(post.shortcode);
  });

  it('keeps the pinned post older than limit, with pinned: 1, 2 in pin order', async () => {
    const entries = await readEntries();
    const pins = Object.fromEntries(entries.filter((entry) => entry.pinned !== undefined).map((entry) => [entry.id, entry.pinned]));
    expect(pins).toEqual({ [media[25]!.id]: 1, [media[4]!.id]: 2 });
  });

  it("shows pinned posts first in the feed component's HTML, with a Pinned badge, then the newest", async () => {
    const html = await readFile(path.join(dirs.outDir, 'index.html'), 'utf8');
    const tiles = [...html.matchAll(/<a class="ig-feed__tile[^"]*" href="([^"]+)"/g)].map((match) => match[1]);
    const byId = new Map(media.map((post) => [post.id, post.permalink]));
    const { pinned, rest } = expectedIds();
    expect(tiles).toEqual([...pinned, ...rest].map((id) => byId.get(id)));
    expect(html.match(/<span class="ig-feed__badge ig-feed__badge--pinned"[^>]*>Pinned<\/span>/g)).toHaveLength(2);
  });

  it('says each mistake in one warning line, and the build goes on', () => {
    expect(build.output).toContain(
      `hide (instagram): "${unknownHide}" matches no post in the feed (deleted, archived or mistyped). Remove it from \`hide\`, or copy the post's link from Instagram (Share > Copy link).`,
    );
    expect(build.output).toContain(
      `pin (instagram): "${unknownPin}" matches no post in the feed (deleted, archived or mistyped), so nothing is pinned in its place. Remove it from \`pin\`, or copy the post's link from Instagram (Share > Copy link).`,
    );
    expect(build.output.match(/matches no post in the feed/g)).toHaveLength(2);
  });

  it("until keeps posts at or before it, and offFeedReels: 'keep' brings the Reel back (next build of the same site)", async () => {
    const until = new Date(media[2]!.timestamp);
    const next = await buildFixture('curation', dirs, env({ until: until.toISOString(), offFeedReels: 'keep' }));
    expect(next.code, next.output).toBe(0);
    const entries = await readEntries();
    expect(new Set(entries.map((entry) => entry.id))).toEqual(new Set(media.slice(2).map((post) => post.id)));
    for (const entry of entries) expect(Date.parse(entry.timestamp)).toBeLessThanOrEqual(until.getTime());
    expect(entries.find((entry) => entry.id === offFeedReel.id)).toMatchObject({ isReel: true, sharedToFeed: false });
    expect(entries.some((entry) => entry.pinned !== undefined)).toBe(false);
  });
});
