import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { MEDIA_FIELDS, type RawMedia } from 'instagram-graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryShaper, extraOf, mediaFieldsWith, TransformError } from '../../packages/astro-loader-instagram/src/extra-fields.js';
import { instagramLoader } from '../../packages/astro-loader-instagram/src/loader.js';
import { instagramProfileLoader } from '../../packages/astro-loader-instagram/src/profile-loader.js';
import { listFiles } from '../helpers/astro.js';
import { createLoaderHarness, type LoaderHarness } from '../helpers/loader-context.js';

/** The one line a factory throws for these options. */
function refusal(create: () => unknown): string {
  try {
    create();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the options to be refused');
}
const loose = (options: Record<string, unknown>) => options as never;

describe('the fields option', () => {
  it('takes field names only: no expansion, modifier or parameter can ride along', () => {
    expect(() => instagramLoader({ fields: ['media_product_type', 'is_comment_enabled'] })).not.toThrow();
    for (const smuggled of ['children{access_token}', 'id&access_token=x', 'like_count.limit(2)', 'owner{username}', 'Caption', '']) {
      expect(
        refusal(() => instagramLoader({ fields: [smuggled] })),
        smuggled,
      ).toMatch(
        /^astro-loader-instagram: invalid instagramLoader\(\) options: option `fields\[0\]` must be Instagram field names \(lowercase letters, digits and _/,
      );
    }
    expect(refusal(() => instagramLoader(loose({ fields: 'media_product_type' })))).toContain(
      'option `fields` must be a list of Instagram field names',
    );
  });

  it('a value that looks like a token is counted, not printed', () => {
    const message = refusal(() => instagramLoader({ fields: ['IGAAsecret-token-that-should-never-be-printed-1234567890'] }));
    expect(message).not.toContain('IGAAsecret');
    expect(message).toContain('a string of');
  });

  it('is merged with the fields we ask for, each name once', () => {
    expect(mediaFieldsWith()).toEqual([...MEDIA_FIELDS]);
    const merged = mediaFieldsWith(['media_product_type', 'is_comment_enabled', 'is_comment_enabled', 'children']);
    expect(merged).toEqual([...MEDIA_FIELDS, 'is_comment_enabled']);
  });

  it('reaches extra unchanged, only the fields asked for and served', () => {
    const raw = { id: '1', media_type: 'IMAGE', media_product_type: 'FEED', is_comment_enabled: false, owner: { id: '9' } } as RawMedia;
    expect(extraOf(raw, ['media_product_type', 'is_comment_enabled', 'owner', 'not_served'])).toEqual({
      media_product_type: 'FEED',
      is_comment_enabled: false,
      owner: { id: '9' },
    });
    expect(extraOf(raw)).toEqual({});
  });

  it('does not apply to the profile loader, and says so', () => {
    expect(refusal(() => instagramProfileLoader(loose({ fields: ['biography'] })))).toContain(
      'option `fields` does not apply to instagramProfileLoader(): it shapes posts; set it on instagramLoader()',
    );
  });
});

describe('the transform option', () => {
  const post = { id: '17900000000000001', permalink: 'https://www.instagram.com/p/ABC/' } as never;
  const data = { id: '17900000000000001', caption: 'Hello' } as never;
  const raw = { id: '17900000000000001', media_type: 'IMAGE', is_comment_enabled: true } as RawMedia;

  it('receives the entry data with extra and the raw item, and its result is the entry data', () => {
    const shape = entryShaper({
      fields: ['is_comment_enabled'],
      transform: (entry, item) => ({ ...entry, comments: item.is_comment_enabled ? 'on' : 'off' }),
    });
    expect(shape(post, raw, data)).toEqual({
      id: '17900000000000001',
      caption: 'Hello',
      extra: { is_comment_enabled: true },
      comments: 'on',
    });
    expect(entryShaper({})(post, raw, data)).toEqual({ id: '17900000000000001', caption: 'Hello', extra: {} });
  });

  it('a transform that throws becomes one what-and-fix failure naming the post (the loader keeps the last good sync)', () => {
    const shape = entryShaper({
      transform: () => {
        throw new TypeError('mood is not defined');
      },
    });
    let thrown: unknown;
    try {
      shape(post, raw, data);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TransformError);
    expect((thrown as TransformError).what).toBe('transform() threw for post https://www.instagram.com/p/ABC/: mood is not defined');
    expect((thrown as TransformError).fix).toMatch(/^Fix the transform option passed to instagramLoader\(\) in src\/content\.config\.ts/);
    expect(refusal(() => instagramLoader(loose({ transform: 'upper' })))).toContain(
      'option `transform` must be a function (post, raw) => entry data',
    );
  });
});

describe('fields and transform through load() (in-process, against the fake)', () => {
  let fake: FakeInstagram;
  let harness: LoaderHarness;
  const options = (more: Record<string, unknown> = {}) =>
    instagramLoader({ token: fake.token, apiUrl: fake.url, retries: 0, fields: ['media_product_type', 'is_comment_enabled'], ...more });
  const summary = () => harness.logger.messages('info').find((line) => line.includes('posts ('));

  beforeAll(async () => {
    // The app lacks the permission for one field asked for: code 10, naming no field, as Instagram often answers.
    fake = await startFakeInstagram({ posts: 4, seed: 31, fieldsWithoutPermission: ['is_comment_enabled'] });
    harness = await createLoaderHarness(options());
    await harness.load();
  });
  afterAll(async () => {
    await harness?.cleanup();
    await fake?.close();
  });

  it('drops a field refused for want of permission with one warning; the others reach extra', () => {
    const warnings = harness.logger.messages('warn').filter((line) => line.includes('from the fields option'));
    expect(warnings).toEqual([expect.stringMatching(/^Instagram refused is_comment_enabled from the fields option/)]);
    expect(harness.store.keys().sort()).toEqual(fake.media.map((media) => media.id).sort());
    for (const entry of harness.store.values()) {
      const source = fake.media.find((media) => media.id === entry.id)!;
      expect(entry.data.extra, entry.id).toEqual({ media_product_type: source.media_product_type });
    }
  });

  it('a new transform rebuilds every entry once, then they are unchanged', async () => {
    const shout = options({ transform: (post: { caption: string }) => ({ ...post, caption: post.caption.toUpperCase() }) });
    await harness.load(shout);
    expect(summary()).toMatch(/4 posts \(0 new, 4 updated, 0 unchanged, 0 removed\)/);
    for (const entry of harness.store.values()) expect(entry.data.caption).toBe(String(entry.data.caption).toUpperCase());
    await harness.load(shout);
    expect(summary()).toMatch(/4 posts \(0 new, 0 updated, 4 unchanged, 0 removed\)/);
  });

  it("transform sees the entry's link and pinned place, and a post pinned past limit its raw item", async () => {
    const oldest = [...fake.media].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))[0]!;
    const seen = new Map<string, Record<string, unknown>>();
    const recording = options({
      limit: 1,
      pin: [oldest.id],
      links: { [oldest.shortcode!]: 'https://shop.example/mug' },
      transform: (post: Record<string, unknown>) => {
        seen.set(String(post.id), post);
        return post;
      },
    });
    await harness.load(recording);
    expect(seen.get(oldest.id)).toMatchObject({ pinned: 1, link: { url: expect.stringContaining('shop.example/mug') } });
    expect(harness.store.get(oldest.id)?.data.extra).toEqual({ media_product_type: oldest.media_product_type });
  });

  it('a transform that throws ends the sync only once the posts in flight are done: no image is written after load returns', async () => {
    const held = fake.media.find((media) => media.media_type === 'IMAGE')!;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The held post's image is served only once a transform has thrown, then as usual.
    const lift = fake.intercept(async (_req, _res, info) => {
      if (info.kind === 'cdn' && info.path.includes(`/${held.id}_n.jpg`)) await gate;
      return false;
    });
    const fresh = await createLoaderHarness(
      options({
        transform: () => {
          release();
          throw new Error('no mood');
        },
      }),
    );
    try {
      await expect(fresh.load()).rejects.toThrow('transform() threw');
      const images = await listFiles(`${fresh.cacheDir}/astro-loader-instagram/instagram/images`);
      expect(images.some((file) => file.includes(held.id))).toBe(true);
    } finally {
      lift();
      release();
      await fresh.cleanup();
    }
  });

  it('a transform whose error quotes the token is one line without the token (the last good sync is kept)', async () => {
    const leaky = options({
      transform: () => {
        throw new Error(`GET ${fake.url}/me?access_token=${fake.token} failed`);
      },
    });
    const kept = harness.store.keys().length;
    await harness.load(leaky);
    const line = harness.logger.messages('warn').find((message) => message.includes('transform() threw'));
    expect(line).toBeDefined();
    expect(harness.logger.text()).not.toContain(fake.token);
    expect(harness.store.keys()).toHaveLength(kept);
  });
});
