import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { astroDev, buildFixture, tempSiteDirs } from '../helpers/astro.js';

interface ProfileJson {
  posts: string[];
  profiles: Array<{
    id: string;
    username: string;
    name?: string;
    followersCount?: number;
    alt: string;
    picture?: { src: string; width: number };
  }>;
}

let fake: FakeInstagram;
beforeAll(async () => {
  fake = await startFakeInstagram({ posts: 6, seed: 31 });
});
afterAll(() => fake?.close());

const readJson = async (outDir: string) => JSON.parse(await readFile(path.join(outDir, 'profile.json'), 'utf8')) as ProfileJson;

describe('instagramProfileLoader and the integration', () => {
  it('loads the profile as one entry with a local picture, declares the env secret, reports per collection', async () => {
    const dirs = await tempSiteDirs('ig-integration');
    const env = { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url };
    const first = await buildFixture('integration', dirs, env);
    expect(first.code, first.output).toBe(0);
    const { profiles, posts } = await readJson(dirs.outDir);
    expect(posts).toHaveLength(6);
    expect(profiles).toHaveLength(1);
    expect(profiles[0]).toMatchObject({
      id: fake.profile.user_id,
      username: fake.profile.username,
      name: fake.profile.name,
      followersCount: fake.profile.followers_count,
    });
    expect(profiles[0]!.picture?.src).toMatch(/^\/_astro\//);
    expect(profiles[0]!.alt).toBe(`Profile picture of ${fake.profile.name}`);

    // InstagramFeed: `count` and a function child rendered under each tile.
    const feed = await readFile(path.join(dirs.outDir, 'feed/index.html'), 'utf8');
    expect(feed.match(/class="ig-feed__item/g)).toHaveLength(4);
    expect(feed.match(/<span class="likes">\d+ likes<\/span>/g)).toHaveLength(4);
    // The <img> fallback reuses the WebP <source>'s files: no second set of JPEGs to encode and ship.
    // (The tiles' pictures: each tile's lightbox has its own, larger one.)
    const pictures = [
      ...feed.matchAll(/<span class="ig-feed__media"[^>]*><picture[^>]*><source srcset="([^"]+)"[^>]*><img [^>]*srcset="([^"]+)"/g),
    ];
    expect(pictures).toHaveLength(4);
    for (const [, source, fallback] of pictures) expect(fallback).toBe(source);
    expect(feed).not.toMatch(/\/_astro\/[^"\s]+\.jpe?g/);

    const envTypes = await readFile(path.join(dirs.base, 'site/.astro/env.d.ts'), 'utf8');
    expect(envTypes).toMatch(/INSTAGRAM_TOKEN: string \| undefined/);
    // One report line per collection at the end of the build.
    expect(first.output).toMatch(/\[astro-loader-instagram\] instagram: @demo\.studio: 6 posts/);
    expect(first.output).toMatch(/\[astro-loader-instagram\] profile: @demo\.studio: profile synced/);

    fake.resetStats();
    const second = await buildFixture('integration', dirs, env);
    expect(second.code, second.output).toBe(0);
    expect(fake.stats.cdn).toBe(0);
    expect(second.output).toMatch(/profile synced \(1 API request; picture cached\)/);
    for (const output of [first.output, second.output]) expect(output).not.toContain(fake.token);
  });

  it('reads the same entries through the Instagram API with Facebook Login (/{ig-user-id})', async () => {
    const dirs = await tempSiteDirs('ig-facebook');
    fake.resetStats();
    const result = await buildFixture('integration', dirs, {
      INSTAGRAM_TOKEN: fake.token,
      INSTAGRAM_API_URL: fake.url,
      FIXTURE_HOST: 'facebook',
      FIXTURE_USER_ID: fake.profile.user_id,
    });
    expect(result.code, result.output).toBe(0);
    const { posts, profiles } = await readJson(dirs.outDir);
    expect(posts.sort()).toEqual(fake.media.map((media) => media.id).sort());
    expect(profiles[0]?.username).toBe(fake.profile.username);
    expect(fake.stats.byRoute.me).toBe(1);
  });

  it('dev: the refresh endpoint re-runs only the Instagram loaders, and dev serves the cached images', async () => {
    const dirs = await tempSiteDirs('ig-dev');
    await buildFixture('integration', dirs, { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url }); // makes the site copy
    // The port is the one dev reports (a random fixed one could be taken by another run).
    const dev = await astroDev(dirs.site, { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url, ASTRO_CACHE_DIR: dirs.cacheDir });
    try {
      await expect.poll(() => dev.output(), { timeout: 60_000, interval: 200 }).toMatch(/re-syncs the Instagram collections/);
      const base = dev.origin;
      const page = await (await fetch(`${base}/`)).text();
      const imageUrls = [...page.matchAll(/<img[^>]+src="([^"]+)"/g)].map((match) => match[1]!.replaceAll('&amp;', '&'));
      expect(imageUrls.length).toBeGreaterThan(1);
      for (const url of imageUrls.slice(0, 3)) expect((await fetch(new URL(url, base))).status, url).toBe(200);

      expect((await fetch(`${base}/_instagram/refresh`)).status).toBe(405);
      fake.resetStats();
      const refreshed = await fetch(`${base}/_instagram/refresh`, { method: 'POST' });
      expect(refreshed.status).toBe(200);
      expect(await refreshed.json()).toEqual({ refreshed: true });
      expect(fake.stats.byRoute.media).toBe(1);
      expect(fake.stats.byRoute.me).toBe(1);
      expect(fake.stats.cdn).toBe(0);
    } finally {
      await dev.stop();
    }
  });
});

describe('downloadVideos', () => {
  it('downloads each MP4 once, publishes it with the site, and plays it in a local <video>', async () => {
    const videoFake = await startFakeInstagram({ posts: 14, seed: 33 });
    try {
      const dirs = await tempSiteDirs('ig-videos');
      const env = { INSTAGRAM_TOKEN: videoFake.token, INSTAGRAM_API_URL: videoFake.url, FIXTURE_VIDEOS: '1' };
      const first = await buildFixture('integration', dirs, env);
      expect(first.code, first.output).toBe(0);
      const expected = videoFake.media.flatMap((media) => [
        ...(media.media_type === 'VIDEO' && media.hasMediaUrl !== false ? [media.id] : []),
        ...(media.children ?? []).filter((child) => child.media_type === 'VIDEO').map((child) => child.id),
      ]);
      expect(expected.length).toBeGreaterThan(0);
      // Reels with licensed audio have no media_url; asking the API for one again can't bring it back.
      expect(videoFake.media.some((media) => media.media_type === 'VIDEO' && media.hasMediaUrl === false)).toBe(true);
      expect(videoFake.stats.byRoute['media-item'] ?? 0).toBe(0);
      const html = await readFile(path.join(dirs.outDir, 'videos/index.html'), 'utf8');
      for (const id of expected) {
        const published = path.join(dirs.outDir, `_instagram/videos/instagram/${id}.mp4`);
        expect((await readFile(published)).length, id).toBeGreaterThan(0);
        expect(html).toMatch(new RegExp(`<video src="/_instagram/videos/instagram/${id}\\.mp4" poster="/_astro/[^"]+\\.webp"`));
      }
      expect(first.output).toMatch(new RegExp(`Published ${expected.length} Instagram videos? with the site`));

      videoFake.resetStats();
      const second = await buildFixture('integration', dirs, env);
      expect(second.code, second.output).toBe(0);
      expect(videoFake.stats.cdn).toBe(0);
      // One page of media and the profile: no per-post requests.
      expect(videoFake.stats.byRoute).toMatchObject({ media: 1, me: 1 });
      expect(videoFake.stats.api).toBe(2);
    } finally {
      await videoFake.close();
    }
  });
});
