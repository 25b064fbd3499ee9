import { instagramLoader, sortPosts } from 'astro-loader-instagram';
import { type FakeInstagram, type FakeMedia, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postRefKey } from '../../packages/astro-loader-instagram/src/curation/post-ref.js';
import { createLoaderHarness, type LoaderHarness } from '../helpers/loader-context.js';

/**
 * Curation (`hide`, `hideTag`, `pin`, `until`, `offFeedReels`): how entries name posts, the config
 * errors, `sortPosts`, and the loader's choices run in-process against the fake Graph API. The same
 * choices in a real build, with the feed component's HTML, are in curation.test.ts.
 */

type Options = NonNullable<Parameters<typeof instagramLoader>[0]>;

describe('a hide or pin entry names a post in any of the forms Instagram shows', () => {
  const code = 'C3xYz12AbCd';
  it.each([
    [code],
    [` ${code} `],
    [`https://www.instagram.com/p/${code}/`],
    [`https://www.instagram.com/p/${code}`],
    [`https://www.instagram.com/p/${code}/?igsh=MTc4MmM1YmI2Ng==&utm_source=ig_web_copy_link`],
    [`https://instagram.com/reel/${code}/`],
    [`https://www.instagram.com/reels/${code}/`],
    [`https://www.instagram.com/tv/${code}/`],
    [`https://www.instagram.com/acme.studio/p/${code}/`],
    [`http://m.instagram.com/p/${code}/#comments`],
    [`instagram.com/p/${code}`],
    [`https://instagr.am/p/${code}/`],
  ])('%s', (value) => {
    expect(postRefKey(value)).toBe(code);
  });

  it('a media id is kept as it is', () => {
    expect(postRefKey('17912345678901234')).toBe('17912345678901234');
  });

  it.each([
    ['#nosite'],
    ['https://www.instagram.com/stories/acme/3123456789012345678/'],
    ['https://www.instagram.com/acme/'],
    ['https://example.com/p/C3xYz12AbCd/'],
    ['ftp://instagram.com/p/C3xYz12AbCd/'],
    ['C3x'],
    [''],
  ])('%j is no post', (value) => {
    expect(postRefKey(value)).toBeUndefined();
  });
});

describe('curation options are checked when content.config is evaluated', () => {
  const failure = (options: Options) => {
    try {
      instagramLoader(options);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('no error');
  };
  const prefix = 'astro-loader-instagram: invalid instagramLoader() options: ';
  const forms = 'a post link (https://www.instagram.com/p/…/, /reel/…/ or /tv/…/), its shortcode (like "C3xYz12AbCd") or its media id';

  it('a hide entry that names no post, with the value and the accepted forms', () => {
    expect(failure({ hide: ['C3xYz12AbCd', '#nosite'] })).toBe(`${prefix}option \`hide[1]\` must be ${forms}, got "#nosite"`);
  });

  it('a long link is named by its path, never its query', () => {
    const story = 'https://www.instagram.com/stories/acme.studio.ceramics/3123456789012345678/?utm_source=ig_story_item_share&igsh=x';
    expect(failure({ pin: [story] })).toBe(
      `${prefix}option \`pin[0]\` must be ${forms}, got "https://www.instagram.com/stories/acme.studio.ceramics/3123456789012345678/"`,
    );
  });

  it('hideTag must be a hashtag or false', () => {
    expect(failure({ hideTag: 'no site' })).toBe(`${prefix}option \`hideTag\` must be a hashtag like "#nosite", or false, got "no site"`);
    expect(() => instagramLoader({ hideTag: false })).not.toThrow();
    expect(() => instagramLoader({ hideTag: 'NoSite' })).not.toThrow();
  });

  it('until before since keeps nothing: an error', () => {
    expect(failure({ since: '2026-06-01', until: '2026-01-01' })).toBe(
      `${prefix}option \`until\` must be a date after \`since\` (2026-06-01T00:00:00.000Z), or no post is kept, got 2026-01-01T00:00:00.000Z`,
    );
    expect(failure({ until: 'soon' })).toBe(`${prefix}option \`until\` must be a Date or an ISO date string like "2026-01-01", got "soon"`);
  });

  it('offFeedReels is "hide" or "keep"', () => {
    expect(failure({ offFeedReels: 'show' as 'keep' })).toBe(`${prefix}option \`offFeedReels\` must be "hide" or "keep", got "show"`);
  });
});

describe('sortPosts', () => {
  const at = (day: number, pinned?: number) => ({ timestamp: new Date(Date.UTC(2026, 0, day)), ...(pinned ? { pinned } : {}) });
  it('puts pinned posts first in pin order, then the rest newest first, from data or entries', () => {
    const data = [at(3), at(1, 2), at(5), at(2, 1), at(4)];
    const sorted = sortPosts(data);
    expect(sorted.map((post) => post.timestamp.getUTCDate())).toEqual([2, 1, 5, 4, 3]);
    expect(data.map((post) => post.timestamp.getUTCDate())).toEqual([3, 1, 5, 2, 4]); // left as it was
    const entries = data.map((post, index) => ({ id: String(index), data: post }));
    expect(sortPosts(entries).map((entry) => entry.id)).toEqual(['3', '1', '2', '4', '0']);
  });
});

describe('the loader leaves out what the owner hid and keeps what is pinned', () => {
  let fake: FakeInstagram;
  const harnesses: LoaderHarness[] = [];
  /** Newest first, as Instagram lists them. */
  let media: FakeMedia[];
  const load = async (options: Options) => {
    const harness = await createLoaderHarness(instagramLoader({ token: fake.token, apiUrl: fake.url, retries: 0, ...options }));
    harnesses.push(harness);
    await harness.load();
    return harness;
  };
  const entries = (harness: LoaderHarness) =>
    [...harness.store.values()]
      .map((entry) => entry.data as { id: string; pinned?: number; timestamp: Date })
      .sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
  const warnings = (harness: LoaderHarness) => harness.logger.messages('warn');

  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 130, seed: 15 });
    media = fake.media;
    // The newest post is hidden by the owner from the app, in the middle of the caption, in capitals.
    media[0]!.caption = 'Closed for the holidays #NoSite see you in January';
  });
  afterAll(async () => {
    await Promise.all(harnesses.map((harness) => harness.cleanup()));
    await fake?.close();
  });

  it('limit counts after hiding: a hidden post leaves no hole', async () => {
    const harness = await load({ limit: 5, hide: [media[1]!.permalink] });
    expect(entries(harness).map((post) => post.id)).toEqual(media.slice(2, 7).map((post) => post.id));
    expect(warnings(harness)).toEqual([]);
  });

  it('hideTag: false shows the #nosite post again', async () => {
    const harness = await load({ limit: 3, hideTag: false });
    expect(entries(harness).map((post) => post.id)).toEqual(media.slice(0, 3).map((post) => post.id));
  });

  it('a pinned post past limit is read for (a second page) and kept, in pin order, within limit', async () => {
    fake.resetStats();
    const old = media[120]!;
    const harness = await load({ limit: 4, pin: [old.shortcode, media[3]!.id] });
    const kept = entries(harness);
    expect(kept.map((post) => post.id)).toEqual([media[1]!.id, media[2]!.id, media[3]!.id, old.id]);
    expect(kept.map((post) => post.pinned)).toEqual([undefined, undefined, 2, 1]);
    expect(fake.stats.byRoute.media).toBe(2);
    expect(warnings(harness)).toEqual([]);
  });

  it('an unknown pin and an unknown hide: one warning line each; a pinned post that is also hidden: one line', async () => {
    const harness = await load({
      hide: ['https://www.instagram.com/p/Bzzzzzzzzzz/', media[5]!.shortcode],
      pin: ['Cyyyyyyyyyy', media[5]!.permalink],
    });
    expect(harness.store.keys()).toHaveLength(128);
    expect(warnings(harness)).toEqual([
      'hide (instagram): "https://www.instagram.com/p/Bzzzzzzzzzz/" matches no post in the feed (deleted, archived or mistyped). Remove it from `hide`, or copy the post\'s link from Instagram (Share > Copy link).',
      'pin (instagram): "Cyyyyyyyyyy" matches no post in the feed (deleted, archived or mistyped), so nothing is pinned in its place. Remove it from `pin`, or copy the post\'s link from Instagram (Share > Copy link).',
      `pin (instagram): "${media[5]!.permalink}" is left out by \`hide\`, which wins over \`pin\`. Remove it from one of the two.`,
    ]);
  });

  it('a hide entry for a post past limit is no mistake: no warning', async () => {
    const harness = await load({ limit: 2, hide: [media[100]!.shortcode] });
    expect(harness.store.keys()).toHaveLength(2);
    expect(warnings(harness)).toEqual([]);
  });

  it('a hide entry for a post older than since is no mistake either: no warning', async () => {
    const since = media[3]!.timestamp as Date;
    const harness = await load({ since, hide: [media[100]!.shortcode] });
    expect(harness.store.keys()).toHaveLength(3); // media[0] is #nosite
    expect(warnings(harness)).toEqual([]);
  });

  it('more pinned posts than limit: limit holds, the first ones in pin are kept, one warning line', async () => {
    const harness = await load({ limit: 2, pin: [media[6]!.id, media[4]!.shortcode, media[5]!.id] });
    expect(entries(harness).map((post) => [post.id, post.pinned])).toEqual([
      [media[4]!.id, 2],
      [media[6]!.id, 1],
    ]);
    expect(warnings(harness)).toEqual([
      'pin (instagram): 3 pinned posts found but `limit` is 2, so the last one in `pin` is not shown. Raise `limit`, or pin fewer posts.',
    ]);
  });

  it('re-pinning changes the stored entries on the next sync', async () => {
    const harness = await load({ limit: 3, pin: [media[2]!.id] });
    expect(entries(harness).map((post) => post.pinned)).toEqual([undefined, 1, undefined]);
    await harness.load(instagramLoader({ token: fake.token, apiUrl: fake.url, retries: 0, limit: 3, pin: [media[1]!.id] }));
    expect(entries(harness).map((post) => post.pinned)).toEqual([1, undefined, undefined]);
  });

  it('until keeps posts at or before it', async () => {
    const until = media[10]!.timestamp as Date;
    const harness = await load({ until, limit: 3 });
    expect(entries(harness).map((post) => post.id)).toEqual(media.slice(10, 13).map((post) => post.id));
  });
});

describe('Reels kept off the grid', () => {
  let fake: FakeInstagram;
  const harnesses: LoaderHarness[] = [];
  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 40, seed: 15 });
    fake.media.find((post) => post.media_product_type === 'REELS')!.is_shared_to_feed = false;
  });
  afterAll(async () => {
    await Promise.all(harnesses.map((harness) => harness.cleanup()));
    await fake?.close();
  });
  const load = async (options: Options) => {
    const harness = await createLoaderHarness(instagramLoader({ token: fake.token, apiUrl: fake.url, retries: 0, ...options }));
    harnesses.push(harness);
    await harness.load();
    return harness;
  };
  const offFeed = (harness: LoaderHarness) =>
    [...harness.store.values()].filter((entry) => (entry.data as { sharedToFeed?: boolean }).sharedToFeed === false);

  it('are left out by default, as on the profile grid; other posts never carry sharedToFeed', async () => {
    const harness = await load({});
    expect(harness.store.keys()).toHaveLength(39);
    expect(offFeed(harness)).toHaveLength(0);
    const notReels = [...harness.store.values()].filter((entry) => !(entry.data as { isReel: boolean }).isReel);
    expect(notReels.length).toBeGreaterThan(0);
    for (const entry of notReels) expect(entry.data).not.toHaveProperty('sharedToFeed');
  });

  it("are kept with offFeedReels: 'keep'", async () => {
    const harness = await load({ offFeedReels: 'keep' });
    expect(harness.store.keys()).toHaveLength(40);
    expect(offFeed(harness)).toHaveLength(1);
  });
});
