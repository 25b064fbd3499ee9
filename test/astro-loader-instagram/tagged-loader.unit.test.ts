import { instagramTaggedLoader } from 'astro-loader-instagram';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loaderOptionsShape } from '../../packages/astro-loader-instagram/src/options-schema.js';
import { listFiles } from '../helpers/astro.js';
import { failImage, text } from '../helpers/faults.js';
import { createLoaderHarness, type LoaderHarness } from '../helpers/loader-context.js';

/** The tagged loader's approval rules, run in-process through `load()` against the fake. */
type Options = NonNullable<Parameters<typeof instagramTaggedLoader>[0]>;

let fake: FakeInstagram;
const harnesses: LoaderHarness[] = [];
beforeAll(async () => {
  fake = await startFakeInstagram({ posts: 2, tagged: 5, seed: 5 });
});
afterAll(async () => {
  await fake.close();
  await Promise.all(harnesses.map((harness) => harness.cleanup()));
});

async function loaded(options: Options) {
  const harness = await createLoaderHarness(instagramTaggedLoader({ token: fake.token, apiUrl: fake.url, retries: 0, ...options }), {
    collection: 'customers',
  });
  harnesses.push(harness);
  await harness.load();
  return harness;
}
const imageFiles = (harness: LoaderHarness) => listFiles(`${harness.cacheDir}/astro-loader-instagram/customers/images`);

describe('approve', () => {
  it('by default approves nothing: no entry, no image downloaded', async () => {
    fake.resetStats();
    const harness = await loaded({});
    expect(harness.store.keys()).toEqual([]);
    expect(fake.stats.cdn).toBe(0);
    expect(await imageFiles(harness)).toEqual([]);
    expect(harness.logger.messages('info').join('\n')).toMatch(/tagged: 0 posts .*; 5 awaiting approval/);
  });

  it('matches media ids, shortcodes and permalinks; the author and their post stay on the entry', async () => {
    const [byId, byCode, byLink] = fake.tagged;
    const harness = await loaded({ approve: [byId!.id, ` ${byCode!.shortcode} `, byLink!.permalink] });
    expect(harness.store.keys().sort()).toEqual([byId!.id, byCode!.id, byLink!.id].sort());
    for (const post of [byId!, byCode!, byLink!]) {
      expect(harness.store.get(post.id)?.data).toMatchObject({ username: post.username, permalink: post.permalink });
    }
  });

  it('takes a post link in every form hide and pin take (instagr.am, m., a share query)', async () => {
    const [first, second] = fake.tagged;
    const harness = await loaded({
      approve: [`https://instagr.am/p/${first!.shortcode}/`, `m.instagram.com/p/${second!.shortcode}?igsh=MTc4MmM1YmI2Ng==`],
    });
    expect(harness.store.keys().sort()).toEqual([first!.id, second!.id].sort());
    expect(harness.logger.messages('warn')).toEqual([]);
  });

  it('takes a function, and `limit` keeps the newest approved posts', async () => {
    const author = fake.tagged[0]!.username;
    const harness = await loaded({ approve: (post) => post.username !== author, limit: 2 });
    const newest = fake.tagged.filter((post) => post.username !== author).slice(0, 2);
    expect(harness.store.keys().sort()).toEqual(newest.map((post) => post.id).sort());
  });

  it('warns about an entry that matches no tagged post, and still loads the rest', async () => {
    const harness = await loaded({ approve: ['DNoSuchPost1', fake.tagged[0]!.shortcode] });
    expect(harness.store.keys()).toEqual([fake.tagged[0]!.id]);
    expect(harness.logger.messages('warn')).toEqual([
      'approve lists "DNoSuchPost1", which is not among the posts tagging the account (deleted, made private, tag removed, or a typo); remove it from approve.',
    ]);
  });

  it("an approved post's caption URL never becomes a link button: the address is the author's, not the owner's", async () => {
    const post = fake.tagged[3]!;
    const caption = post.caption;
    post.caption = 'Love my new mug! Shop: https://deals.example/cheap-mugs';
    try {
      const harness = await loaded({ approve: [post.shortcode] });
      expect(harness.store.get(post.id)?.data.caption).toContain('deals.example');
      expect(harness.store.get(post.id)?.data.link).toBeUndefined();
    } finally {
      post.caption = caption;
    }
  });

  it('an un-approved post leaves the collection and its images are pruned', async () => {
    const post = fake.tagged[2]!;
    const harness = await loaded({ approve: [post.shortcode] });
    expect((await imageFiles(harness)).some((file) => file.includes(post.id))).toBe(true);
    await harness.load(instagramTaggedLoader({ token: fake.token, apiUrl: fake.url, retries: 0, approve: [] }));
    expect(harness.store.keys()).toEqual([]);
    expect((await imageFiles(harness)).some((file) => file.includes(post.id))).toBe(false);
  });
});

describe('images', () => {
  it("an expired image URL is signed again by reading the tags list, not GET /{media-id} (the post is someone else's)", async () => {
    const post = fake.tagged.find((item) => item.media_type === 'IMAGE')!;
    const lift = failImage(fake, post.id, 1, text(403, 'URL signature expired'));
    try {
      fake.resetStats();
      const harness = await loaded({ approve: [post.shortcode] });
      expect(harness.store.keys()).toEqual([post.id]);
      expect(harness.logger.messages('warn')).toEqual([]);
      expect(fake.requests.map((request) => request.route)).toEqual(['me', 'tags', 'tags', 'tags', 'tags']);
    } finally {
      lift();
    }
  });
});

describe('options', () => {
  const failure = (options: unknown) => {
    try {
      instagramTaggedLoader(options as Options);
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };

  it("names a bad `approve` and the posts loader's filters as not applying, in one line", () => {
    expect(failure({ approve: 'DAbc' })).toBe(
      'astro-loader-instagram: invalid instagramTaggedLoader() options: option `approve` must be an array of media ids, shortcodes or permalinks, or a function (post) => boolean, got "DAbc"',
    );
    expect(failure({ filter: () => true })).toBe(
      'astro-loader-instagram: invalid instagramTaggedLoader() options: option `filter` does not apply to instagramTaggedLoader(): tagged posts are chosen with `approve` (ids, shortcodes, permalinks or a function)',
    );
  });

  it("every posts loader option is either taken or refused saying why, never 'unknown option'", () => {
    for (const key of Object.keys(loaderOptionsShape.shape)) expect(failure({ [key]: Symbol('bad') }), key).not.toContain('unknown option');
  });

  it("names the posts loader's curation, links and shaping options as not applying, instead of guessing another name", () => {
    const prefix = 'astro-loader-instagram: invalid instagramTaggedLoader() options: option ';
    expect(failure({ hide: ['DAbc123xyz'] })).toBe(
      `${prefix}\`hide\` does not apply to instagramTaggedLoader(): tagged posts are chosen with \`approve\` (ids, shortcodes, permalinks or a function)`,
    );
    expect(failure({ pin: ['DAbc123xyz'] })).toContain(`${prefix}\`pin\` does not apply to instagramTaggedLoader()`);
    expect(failure({ links: {} })).toBe(
      `${prefix}\`links\` does not apply to instagramTaggedLoader(): a tagged post links to its author's post (\`permalink\`), for credit`,
    );
    expect(failure({ fields: ['like_count'] })).toContain(`${prefix}\`fields\` does not apply to instagramTaggedLoader()`);
  });
});
