import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_LOADER_DEFAULTS } from '../../packages/astro-loader-instagram/src/config-defaults.js';
import { createLiveLoader } from '../../packages/astro-loader-instagram/src/live/live-loader.js';
import { checkEntryFilter, checkLiveOptions } from '../../packages/astro-loader-instagram/src/live/live-options.js';
import { loaderOptionsShape } from '../../packages/astro-loader-instagram/src/options-schema.js';

/**
 * The live loader in-process against the fake Graph API: its options, its filters (`until` is not
 * in the SSR fixture's pages) and where it reads the token. test/astro-loader-instagram/live.test.ts
 * runs it in a built, started server.
 */

let fake: FakeInstagram;
beforeAll(async () => {
  fake = await startFakeInstagram({ posts: 8, seed: 4 });
});
afterAll(() => fake?.close());

const secrets = (values: Record<string, string | undefined>) => (key: string) => values[key];
const ids = (result: Awaited<ReturnType<ReturnType<typeof createLiveLoader>['loadCollection']>>) => {
  if ('error' in result) throw result.error;
  return result.entries.map((entry) => entry.id);
};
const newestFirst = () => [...fake.media].sort((a, b) => new Date(b.timestamp).getTime() - new Date(a.timestamp).getTime());

describe('instagramLiveLoader() options', () => {
  it('defaults to one quick retry and a short timeout: a visitor is waiting', () => {
    expect(checkLiveOptions({})).toEqual(LIVE_LOADER_DEFAULTS);
    expect(checkLiveOptions({ retries: 3 }).retries).toBe(3);
  });

  it("refuses the build loader's download options, saying why, and guesses a misspelt one", () => {
    expect(() => checkLiveOptions({ maxImageSize: 800 } as never)).toThrow(
      'option `maxImageSize` does not apply to instagramLiveLoader(): live entries keep Instagram CDN URLs',
    );
    expect(() => checkLiveOptions({ limt: 3 } as never)).toThrow('unknown option `limt`; did you mean `limit`?');
    expect(() => checkLiveOptions({ since: 'yesterday-ish' })).toThrow('option `since` must be a Date or an ISO date string');
  });

  it("a bad option is every call's { error } (live.config loads at the first request, where a throw is a 500)", async () => {
    const loader = createLiveLoader({ maxImageSize: 800 } as never, secrets({ INSTAGRAM_TOKEN: fake.token }));
    for (const result of [
      await loader.loadCollection({ collection: 'instagram' }),
      await loader.loadEntry({ collection: 'instagram', filter: { id: '1' } }),
    ]) {
      expect(result && 'error' in result && result.error.kind).toBe('options');
      expect(result && 'error' in result && result.error.message).toBe(
        "astro-loader-instagram (instagram): invalid instagramLiveLoader() options: option `maxImageSize` does not apply to instagramLiveLoader(): live entries keep Instagram CDN URLs; size images with <Image> and image.remotePatterns. Fix the options passed to instagramLiveLoader() in src/live.config.ts; the README's Live mode section lists them.",
      );
    }
  });

  it('getLiveEntry: a numeric id is a media id, anything else a shortcode', () => {
    expect(checkEntryFilter({ id: '17900000000000001' }, 'instagram')).toEqual({ id: '17900000000000001' });
    expect(checkEntryFilter({ id: 'C8abc123XyZ' }, 'instagram')).toEqual({ shortcode: 'C8abc123XyZ' });
    expect(checkEntryFilter({ shortcode: 'C8abc123XyZ' }, 'instagram')).toEqual({ shortcode: 'C8abc123XyZ' });
    expect(() => checkEntryFilter({}, 'instagram')).toThrow("invalid getLiveEntry('instagram', …) lookup");
  });
});

describe('instagramLiveLoader() reading the fake', () => {
  const loader = () => createLiveLoader({ apiUrl: fake.url }, secrets({ INSTAGRAM_TOKEN: fake.token }));

  it('until keeps posts published at or before it; with limit, the newest of those', async () => {
    const posts = newestFirst();
    const until = new Date(posts[2]!.timestamp);
    const expected = posts.slice(2).map((post) => post.id);
    expect(ids(await loader().loadCollection({ collection: 'instagram', filter: { until } }))).toEqual(expected);
    expect(ids(await loader().loadCollection({ collection: 'instagram', filter: { until: until.toISOString(), limit: 2 } }))).toEqual(
      expected.slice(0, 2),
    );
    expect(ids(await loader().loadCollection({ collection: 'instagram', filter: { since: until } }))).toEqual(
      posts.slice(0, 3).map((post) => post.id),
    );
  });

  it("the collection's options are defaults a page's filter overrides", async () => {
    const limited = createLiveLoader({ apiUrl: fake.url, limit: 1 }, secrets({ INSTAGRAM_TOKEN: fake.token }));
    expect(ids(await limited.loadCollection({ collection: 'instagram' }))).toHaveLength(1);
    expect(ids(await limited.loadCollection({ collection: 'instagram', filter: { limit: 3 } }))).toHaveLength(3);
  });

  it('entries carry CDN URLs, a never-empty alt and cache hints tagged by collection and post', async () => {
    const result = await loader().loadCollection({ collection: 'shop', filter: { limit: 1 } });
    if ('error' in result) throw result.error;
    const [entry] = result.entries;
    expect(entry!.data.image?.startsWith(`${fake.url}/cdn/`)).toBe(true);
    expect(entry!.data.alt.length).toBeGreaterThan(0);
    expect(entry!.cacheHint).toEqual({
      tags: ['instagram', 'instagram:shop', `instagram:shop:${entry!.id}`],
      lastModified: entry!.data.timestamp,
    });
    expect(result.cacheHint).toEqual({ tags: ['instagram', 'instagram:shop'], lastModified: entry!.data.timestamp });
  });

  it("the token from astro:env's getSecret wins over process.env; a bad one is an { error }, never thrown", async () => {
    const saved = process.env.INSTAGRAM_TOKEN;
    process.env.INSTAGRAM_TOKEN = 'IGAAnot-the-real-one';
    try {
      expect(ids(await loader().loadCollection({ collection: 'instagram', filter: { limit: 1 } }))).toHaveLength(1);
      const fromEnv = createLiveLoader({ apiUrl: fake.url }, secrets({}));
      const result = await fromEnv.loadCollection({ collection: 'instagram' });
      expect('error' in result && result.error.kind).toBe('auth');
      expect('error' in result && result.error.message).not.toContain('IGAAnot-the-real-one');
    } finally {
      if (saved === undefined) delete process.env.INSTAGRAM_TOKEN;
      else process.env.INSTAGRAM_TOKEN = saved;
    }
  });
});

describe("instagramLiveLoader() keeps the collection's curation on the list and on one post", () => {
  let curated: FakeInstagram;
  beforeAll(async () => {
    curated = await startFakeInstagram({ posts: 30, seed: 15 });
  });
  afterAll(() => curated?.close());

  /** The owner's choices: one post hidden by list, one by #nosite from the app, a Reel kept off the grid. */
  const setUp = () => {
    const media = curated.media;
    const reel = media.find((post) => post.media_product_type === 'REELS')!;
    reel.is_shared_to_feed = false;
    const [byList, byTag] = media.filter((post) => post !== reel);
    curated.editCaption(byTag!.id, 'Closed for the holidays #NoSite back on the 5th');
    return { reel: reel, byList: byList!, byTag: byTag! };
  };
  const liveLoader = (options: Parameters<typeof createLiveLoader>[0]) =>
    createLiveLoader({ apiUrl: curated.url, ...options }, secrets({ INSTAGRAM_TOKEN: curated.token }));

  it('a post hidden by `hide`, by #nosite or kept off the grid is in no list and its entry is not found, by id or shortcode', async () => {
    const { reel, byList, byTag } = setUp();
    const loader = liveLoader({ hide: [byList.permalink] });
    const listed = await loader.loadCollection({ collection: 'instagram' });
    if ('error' in listed) throw listed.error;
    const listedIds = listed.entries.map((entry) => entry.id);
    for (const hidden of [reel, byList, byTag]) {
      expect(listedIds, hidden.id).not.toContain(hidden.id);
      expect(await loader.loadEntry({ collection: 'instagram', filter: { id: hidden.id } }), hidden.id).toBeUndefined();
      expect(await loader.loadEntry({ collection: 'instagram', filter: { shortcode: hidden.shortcode! } }), hidden.id).toBeUndefined();
    }
    // Under the defaults alone (hideTag '#nosite', offFeedReels 'hide') too.
    for (const hidden of [reel, byTag]) {
      expect(await liveLoader({}).loadEntry({ collection: 'instagram', filter: { id: hidden.id } }), hidden.id).toBeUndefined();
    }
  });

  it("a visitor's URL that is no shortcode is not found without reading the feed (each lookup would read it all)", async () => {
    curated.resetStats();
    for (const id of ['wp-login.php', "x' OR 1=1", 'abc']) {
      expect(await liveLoader({}).loadEntry({ collection: 'instagram', filter: { id } }), id).toBeUndefined();
    }
    expect(curated.stats.api).toBe(0);
  });

  it('with hideTag: false and offFeedReels: "keep" those posts have their pages again', async () => {
    const { reel, byTag } = setUp();
    const loader = liveLoader({ hideTag: false, offFeedReels: 'keep' });
    for (const shown of [reel, byTag]) {
      const entry = await loader.loadEntry({ collection: 'instagram', filter: { id: shown.id } });
      expect(entry && 'data' in entry && entry.data.id, shown.id).toBe(shown.id);
    }
  });

  it("an `until` before `since` (the filter's or the collection's) is an { error } naming both, not an empty page", async () => {
    const since = new Date('2026-06-01T00:00:00Z');
    const until = new Date('2026-05-01T00:00:00Z');
    for (const [loader, filter] of [
      [liveLoader({}), { since, until }],
      [liveLoader({ since }), { until }],
    ] as const) {
      const result = await loader.loadCollection({ collection: 'instagram', filter });
      expect('error' in result && result.error.kind).toBe('options');
      expect('error' in result && result.error.message).toBe(
        "astro-loader-instagram (instagram): the filter's `until` (2026-05-01T00:00:00.000Z) is before `since` (2026-06-01T00:00:00.000Z), so no post is kept. Fix the filter passed to getLiveCollection(); the README's Live mode section lists the filters.",
      );
    }
  });

  it("every build loader option is either taken or refused saying why, never 'unknown option'", () => {
    for (const key of Object.keys(loaderOptionsShape.shape)) {
      let message = '';
      try {
        checkLiveOptions({ [key]: Symbol('not a valid value') } as never);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, key).not.toContain('unknown option');
    }
  });

  it('names why the build options that do not apply are refused', () => {
    expect(() => checkLiveOptions({ until: '2026-01-01' } as never)).toThrow(
      "option `until` does not apply to instagramLiveLoader(): pass it in getLiveCollection()'s filter",
    );
    expect(() => checkLiveOptions({ pin: ['DAbC123xyz'] } as never)).toThrow(
      'option `pin` does not apply to instagramLiveLoader(): a pinned post past `limit` would be searched for on every request',
    );
    expect(() => checkLiveOptions({ fields: ['is_comment_enabled'] } as never)).toThrow(
      'option `fields` does not apply to instagramLiveLoader()',
    );
  });
});
