import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, listFiles, readAllText, tempSiteDirs } from '../helpers/astro.js';

interface EntryJson {
  id: string;
  type: string;
  isReel: boolean;
  sharedToFeed?: boolean;
  caption: string;
  hashtags: string[];
  timestamp: string;
  alt: string;
  placeholder: string;
  color: string;
  focus?: { x: number; y: number };
  permalink: string;
  image: { src: string; width: number; height: number; format: string };
  children: Array<{ id: string; type: string; alt: string; image: { src: string; width: number }; focus?: { x: number; y: number } }>;
}

const readEntries = async (outDir: string) =>
  JSON.parse(await readFile(path.join(outDir, 'entries.json'), 'utf8')) as Record<string, EntryJson[]>;

describe('instagramLoader in a real astro build', () => {
  let fake: FakeInstagram;
  let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
  let env: Record<string, string>;
  let firstBuild: { code: number | null; output: string };
  const imagesDir = () => path.join(dirs.cacheDir, 'astro-loader-instagram/instagram/images');

  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 30, seed: 7 });
    // One Reel kept off the main grid by its owner.
    fake.media.find((media) => media.media_product_type === 'REELS')!.is_shared_to_feed = false;
    dirs = await tempSiteDirs('ig-basic');
    // offFeedReels 'keep': that Reel stays in the collection, so its sharedToFeed can be checked.
    env = { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url, FIXTURE_EXTRA_OPTIONS: '{"offFeedReels":"keep"}' };
    firstBuild = await buildFixture('basic', dirs, env);
  });
  afterAll(() => fake?.close());

  it('builds and logs a one-line summary', () => {
    expect(firstBuild.code, firstBuild.output).toBe(0);
    expect(firstBuild.output).toMatch(
      /@demo\.studio: 30 posts \(30 new, 0 updated, 0 unchanged, 0 removed\); 1 API request; images: \d+ downloaded, 0 cached/,
    );
  });

  it('gives typed, complete entries', async () => {
    const { instagram = [] } = await readEntries(dirs.outDir);
    expect(instagram).toHaveLength(30);
    const upstream = new Map(fake.media.map((media) => [media.id, media]));
    for (const entry of instagram) {
      const source = upstream.get(entry.id);
      expect(source, entry.id).toBeDefined();
      expect(entry.type).toBe({ IMAGE: 'image', VIDEO: 'video', CAROUSEL_ALBUM: 'carousel' }[source!.media_type]);
      expect(entry.permalink).toBe(source!.permalink);
      expect(new Date(entry.timestamp).getTime()).toBe(new Date(source!.timestamp).getTime());
      expect(entry.alt.length).toBeGreaterThan(0);
      expect(entry.placeholder).toMatch(/^data:image\/webp;base64,/);
      expect(entry.color).toMatch(/^#[0-9a-f]{6}$/);
      expect(entry.image.src).toMatch(/^\/_astro\//);
      // Instagram's sizes are kept as served (maxImageSize 1920), and every picture has its focal point.
      expect([entry.image.width, entry.image.height], entry.id).toEqual([source!.width, source!.height]);
      for (const image of [entry, ...entry.children]) {
        expect(image.focus, entry.id).toEqual({ x: expect.any(Number), y: expect.any(Number) });
      }
      expect(entry.children).toHaveLength(source!.media_type === 'CAROUSEL_ALBUM' ? (source!.children ?? []).length : 0);
    }
    expect(instagram.some((entry) => entry.type === 'carousel')).toBe(true);
    expect(instagram.some((entry) => entry.isReel)).toBe(true);
    // is_shared_to_feed reaches the entry for Reels; other posts say nothing.
    for (const entry of instagram)
      expect(entry.sharedToFeed, entry.id).toBe(entry.isReel ? upstream.get(entry.id)!.is_shared_to_feed : undefined);
    expect(instagram.filter((entry) => entry.sharedToFeed === false)).toHaveLength(1);
  });

  it('serves every image from the site itself', async () => {
    const files = new Set(await listFiles(dirs.outDir));
    const pages = [...files].filter((file) => file.endsWith('.html'));
    expect(pages.filter((file) => file.startsWith('p/'))).toHaveLength(30);
    for (const page of pages) {
      const html = await readFile(path.join(dirs.outDir, page), 'utf8');
      expect(html).not.toMatch(/cdninstagram|fbcdn|127\.0\.0\.1|\/cdn\//);
      for (const [, src] of html.matchAll(/<img[^>]+src="([^"]+)"/g)) {
        expect(src).toMatch(/^\/_astro\//);
        expect(files.has(src!.slice(1)), `${page}: ${src}`).toBe(true);
      }
    }
  });

  it('stores images without EXIF, at most 1920 px, keyed by media id', async () => {
    const files = await listFiles(imagesDir());
    const images = files.filter((file) => !file.endsWith('.json'));
    expect(images.length).toBeGreaterThanOrEqual(30);
    for (const file of images) {
      expect(file).toMatch(/^\d+\.(jpg|png|webp)$/);
      const meta = await sharp(path.join(imagesDir(), file)).metadata();
      expect(meta.exif).toBeUndefined();
      expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(1920);
    }
  });

  it('rebuilds without a single CDN request or re-encode', async () => {
    fake.resetStats();
    const before = await stat(path.join(imagesDir(), (await listFiles(imagesDir()))[0]!));
    const second = await buildFixture('basic', dirs, env);
    expect(second.code, second.output).toBe(0);
    expect(fake.stats.cdn).toBe(0);
    expect(fake.stats.api).toBe(1);
    expect(second.output).toMatch(/30 posts \(0 new, 0 updated, 30 unchanged, 0 removed\); 1 API request; images: 0 downloaded/);
    const after = await stat(path.join(imagesDir(), (await listFiles(imagesDir()))[0]!));
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('adds new posts and removes deleted ones, pruning their files', async () => {
    const removed = fake.media.find((media) => media.media_type === 'CAROUSEL_ALBUM')!;
    fake.removePost(removed.id);
    const [added] = fake.addPosts(1);
    fake.resetStats();
    const third = await buildFixture('basic', dirs, env);
    expect(third.code, third.output).toBe(0);
    const { instagram = [] } = await readEntries(dirs.outDir);
    const ids = instagram.map((entry) => entry.id);
    expect(ids).toHaveLength(30);
    expect(ids).not.toContain(removed.id);
    expect(ids).toContain(added!.id);
    const cached = await listFiles(imagesDir());
    for (const id of [removed.id, ...(removed.children ?? []).map((child) => child.id)]) {
      expect(cached.some((file) => file.startsWith(`${id}.`))).toBe(false);
    }
    // An album's cover is its first child, so an album costs one download per child.
    expect(fake.stats.cdn).toBe(added!.media_type === 'CAROUSEL_ALBUM' ? added!.children!.length : 1);
    expect(third.output).toMatch(/1 new, 0 updated, 29 unchanged, 1 removed/);
  });

  it('never writes the token to dist, the cache or the log', async () => {
    expect(firstBuild.output).not.toContain(fake.token);
    expect(await readAllText(dirs.outDir)).not.toContain(fake.token);
    expect(await readAllText(dirs.cacheDir)).not.toContain(fake.token);
  });
});

describe('several accounts side by side', () => {
  it('loads two collections with different tokens into separate caches', async () => {
    const first = await startFakeInstagram({ posts: 5, seed: 11, username: 'first.account', token: 'IGAAfirst-account-token-000000' });
    const second = await startFakeInstagram({ posts: 4, seed: 12, username: 'second.account', token: 'IGAAsecond-account-token-00000' });
    try {
      const dirs = await tempSiteDirs('ig-two');
      const result = await buildFixture('basic', dirs, {
        INSTAGRAM_TOKEN: first.token,
        INSTAGRAM_API_URL: first.url,
        FIXTURE_SECOND_TOKEN: second.token,
        FIXTURE_SECOND_API_URL: second.url,
      });
      expect(result.code, result.output).toBe(0);
      const entries = await readEntries(dirs.outDir);
      expect(entries.instagram?.map((entry) => entry.id).sort()).toEqual(first.media.map((media) => media.id).sort());
      expect(entries.second?.map((entry) => entry.id).sort()).toEqual(second.media.map((media) => media.id).sort());
      expect(result.output).toContain('@first.account: 5 posts');
      expect(result.output).toContain('@second.account: 4 posts');
      const cacheRoot = path.join(dirs.cacheDir, 'astro-loader-instagram');
      const firstFiles = await listFiles(path.join(cacheRoot, 'instagram/images'));
      const secondFiles = await listFiles(path.join(cacheRoot, 'second/images'));
      const idsOf = (media: FakeInstagram['media']) =>
        new Set(media.flatMap((item) => [item.id, ...(item.children ?? []).map((child) => child.id)]));
      for (const [files, account] of [
        [firstFiles, first],
        [secondFiles, second],
      ] as const) {
        expect(files.length).toBeGreaterThan(0);
        for (const file of files) expect(idsOf(account.media).has(file.split('.')[0]!), file).toBe(true);
      }
      for (const token of [first.token, second.token]) expect(result.output).not.toContain(token);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
