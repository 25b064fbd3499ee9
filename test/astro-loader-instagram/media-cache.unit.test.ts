import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, truncate, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_URL_TTL_SECONDS, DEFAULT_VIDEO_URL_TTL_SECONDS, type FakeInstagram, startFakeInstagram, subjectOf } from 'fake-instagram';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DownloadOptions, expiryOf } from '../../packages/astro-loader-instagram/src/media/download.js';
import { removeStale } from '../../packages/astro-loader-instagram/src/media/files.js';
import { ImageCache } from '../../packages/astro-loader-instagram/src/media/image-cache.js';
import { MediaLocalizer } from '../../packages/astro-loader-instagram/src/media/localize.js';
import { VideoCache } from '../../packages/astro-loader-instagram/src/media/video-cache.js';
import { tempPathFor } from '../../packages/astro-loader-instagram/src/utils/atomic-write.js';

/**
 * The media pipeline against the fake CDN on loopback, without Astro: what Meta's CDN really does
 * with expired URLs, and what the cache does with files changed behind its back.
 */

const DAY_MS = 86_400_000;
let fake: FakeInstagram;
/** The fake's clock: tests move it forward to expire the URLs it signed. */
let clock = Date.now();
let root: string;

beforeAll(async () => {
  fake = await startFakeInstagram({ posts: 8, seed: 41, cdnStyle: 'fbcdn', now: () => clock });
  root = await mkdtemp(path.join(os.tmpdir(), 'ig-media-cache-'));
});
afterAll(() => fake?.close());

function downloadOptions(now = Date.now): DownloadOptions {
  return { apiOrigin: fake.url, timeoutMs: 10_000, maxBytes: 25 * 1024 * 1024, retries: 0, minRetryDelayMs: 10, fetch, now };
}

/** A media's signed URL as the API hands it out now (the fake's clock). */
async function signedUrl(id: string, field: 'media_url' | 'thumbnail_url' = 'media_url'): Promise<string> {
  const response = await fetch(`${fake.url}/v25.0/${id}?fields=${field}&access_token=${fake.token}`);
  return ((await response.json()) as Record<string, string>)[field]!;
}

const imagePost = () => fake.media.find((media) => media.media_type === 'IMAGE')!;
const videoId = () => fake.media.find((media) => media.media_type === 'VIDEO' && media.hasMediaUrl !== false)!.id;

async function localizer(name: string, now?: () => number) {
  const dir = path.join(root, name);
  const damaged: string[] = [];
  const cache = new ImageCache(dir, 1080, (id, reason) => damaged.push(`${id}: ${reason}`));
  return { dir, damaged, localizer: new MediaLocalizer(cache, downloadOptions(now), { maxSize: 1080, maxInputPixels: 40_000_000 }) };
}

/** Counts the fake CDN's 403 answers while `run` runs. */
async function counting403s<T>(run: () => Promise<T>): Promise<{ result: T; refused: number }> {
  let refused = 0;
  const stop = fake.intercept((_req, res, info) => {
    if (info.kind === 'cdn') res.once('finish', () => res.statusCode === 403 && refused++);
    return false;
  });
  try {
    return { result: await run(), refused };
  } finally {
    stop();
  }
}

describe('fake CDN', () => {
  it('answers an expired fbcdn-style URL with 403 "Bad URL hash", and signs videos for a shorter time than images', async () => {
    const image = await signedUrl(imagePost().id);
    const video = await signedUrl(videoId());
    expect(new URL(image).searchParams.get('_nc_ht')).toMatch(/\.fbcdn\.net$/);
    const lifetime = (url: string) => (expiryOf(url)! - clock) / 1000;
    expect(Math.abs(lifetime(image) - DEFAULT_URL_TTL_SECONDS)).toBeLessThan(2);
    expect(Math.abs(lifetime(video) - DEFAULT_VIDEO_URL_TTL_SECONDS)).toBeLessThan(2);
    expect(DEFAULT_VIDEO_URL_TTL_SECONDS).toBeLessThan(DEFAULT_URL_TTL_SECONDS);

    clock += 5 * DAY_MS;
    try {
      const refused = await fetch(image);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toBe('Bad URL hash');
    } finally {
      clock -= 5 * DAY_MS;
    }
  });
});

describe('signed CDN URLs', () => {
  it('a 403 "Bad URL hash" is taken as expiry: re-signed once through the API, then downloaded', async () => {
    const post = imagePost();
    const url = await signedUrl(post.id);
    clock += 5 * DAY_MS; // the URL is now past its oe for the CDN, but not for our clock: the CDN must say so
    try {
      const { localizer: media } = await localizer('bad-url-hash');
      fake.resetStats();
      const { result, refused } = await counting403s(() => media.localize(post.id, url, () => signedUrl(post.id)));
      expect(result?.format).toBe('jpeg');
      expect(refused).toBe(1);
      expect(media.stats).toMatchObject({ downloaded: 1, resigned: 1 });
      expect(fake.stats.byRoute['media-item']).toBe(1);
    } finally {
      clock -= 5 * DAY_MS;
    }
  });

  it('a freshly signed URL refused again is a hard failure in one line, without the signature', async () => {
    const post = imagePost();
    const stop = fake.intercept((_req, res, info) => {
      if (info.kind !== 'cdn') return false;
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Bad URL hash');
      return true;
    });
    try {
      const { localizer: media } = await localizer('refused-twice');
      const failure = media.localize(post.id, await signedUrl(post.id), () => signedUrl(post.id));
      await expect(failure).rejects.toThrow(/refused a freshly signed URL too \(HTTP 403 Bad URL hash\)/);
      const message = await failure.catch((error: Error) => error.message);
      expect(message).not.toMatch(/oh=|_nc_ohc|\n/);
      expect(media.stats.resigned).toBe(1);
    } finally {
      stop();
    }
  });

  it('a URL whose oe has already passed is re-signed before any request is spent on it', async () => {
    const post = imagePost();
    const stale = await signedUrl(post.id);
    clock += 5 * DAY_MS;
    try {
      const { localizer: media } = await localizer('oe-passed', () => clock);
      fake.resetStats();
      const { result, refused } = await counting403s(() => media.localize(post.id, stale, () => signedUrl(post.id)));
      expect(result?.format).toBe('jpeg');
      expect(refused).toBe(0);
      expect(fake.stats.byRoute['cdn-image']).toBe(1);
      expect(media.stats.resigned).toBe(1);
    } finally {
      clock -= 5 * DAY_MS;
    }
  });
});

describe('cached files are checked before they are trusted', () => {
  it('an image cut behind the cache’s back is reported and downloaded again', async () => {
    const post = imagePost();
    const { dir, damaged, localizer: media } = await localizer('cut-image');
    const first = await media.localize(post.id, await signedUrl(post.id), () => signedUrl(post.id));
    const original = await readFile(first!.file);
    await truncate(first!.file, 5000);

    const again = await media.localize(post.id, await signedUrl(post.id), () => signedUrl(post.id));
    expect(media.stats).toMatchObject({ downloaded: 2, cached: 0 });
    expect(damaged).toEqual([`${post.id}: ${path.basename(first!.file)}: 5000 of ${original.length} bytes`]);
    expect((await readFile(again!.file)).equals(original)).toBe(true);
    await sharp(again!.file, { failOn: 'truncated' }).raw().toBuffer();
    expect((await readdir(dir)).sort()).toEqual([`${post.id}.jpg`, `${post.id}.json`]);
  });

  it('an image of the right size but other bytes is not trusted either', async () => {
    const post = imagePost();
    const { damaged, localizer: media } = await localizer('changed-image');
    const first = await media.localize(post.id, await signedUrl(post.id), () => signedUrl(post.id));
    const bytes = await readFile(first!.file);
    bytes.fill(0, bytes.length - 2000, bytes.length - 2); // zeroed tail: an interrupted copy into a preallocated file
    await writeFile(first!.file, bytes);
    await media.localize(post.id, await signedUrl(post.id), () => signedUrl(post.id));
    expect(damaged).toEqual([`${post.id}: ${path.basename(first!.file)}: its content changed`]);
    expect(media.stats.downloaded).toBe(2);
  });

  it('a cut MP4 is downloaded again', async () => {
    const id = videoId();
    const videos = new VideoCache(path.join(root, 'cut-video'), downloadOptions());
    const file = await videos.localize(id, await signedUrl(id), () => signedUrl(id));
    const original = await readFile(file!);
    await truncate(file!, Math.floor(original.length / 2));
    await videos.localize(id, await signedUrl(id), () => signedUrl(id));
    expect(videos.stats).toEqual({ downloaded: 2, cached: 0 });
    expect((await readFile(file!)).equals(original)).toBe(true);
    await videos.localize(id, await signedUrl(id), () => signedUrl(id));
    expect(videos.stats).toEqual({ downloaded: 2, cached: 1 });
  });
});

describe('focal points in the sidecar', () => {
  const sidecarOf = async (dir: string, id: string) => JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8'));
  const writeSidecar = (dir: string, id: string, sidecar: unknown) => writeFile(path.join(dir, `${id}.json`), JSON.stringify(sidecar));

  it('is found on download, kept in the sidecar, and read from it on the next build (nothing downloaded or found again)', async () => {
    const post = imagePost();
    const { dir, localizer: first } = await localizer('focus-warm');
    const stored = await first.localize(post.id, await signedUrl(post.id), () => signedUrl(post.id));
    const subject = subjectOf(post.id);
    expect(Math.abs(stored!.focus!.x - subject.x), JSON.stringify({ subject, focus: stored!.focus })).toBeLessThan(15);
    expect(Math.abs(stored!.focus!.y - subject.y), JSON.stringify({ subject, focus: stored!.focus })).toBeLessThan(15);
    expect((await sidecarOf(dir, post.id)).focus).toEqual(stored!.focus);

    // A point attention would never find in this picture: only a read of the sidecar returns it.
    await writeSidecar(dir, post.id, { ...(await sidecarOf(dir, post.id)), focus: { x: 0.5, y: 99.5 } });
    fake.resetStats();
    const { localizer: second } = await localizer('focus-warm');
    const again = await second.localize(post.id, await signedUrl(post.id), () => signedUrl(post.id));
    expect(again!.focus).toEqual({ x: 0.5, y: 99.5 });
    expect(second.stats).toMatchObject({ downloaded: 0, cached: 1, focused: 0 });
    expect(fake.stats.cdn).toBe(0);
  });

  it('a sidecar from before focal points gets one from the stored file, once, without a download', async () => {
    const post = imagePost();
    const { dir, localizer: first } = await localizer('focus-upgrade');
    const stored = await first.localize(post.id, await signedUrl(post.id), () => signedUrl(post.id));
    const { focus: _dropped, ...oldSidecar } = await sidecarOf(dir, post.id);
    await writeSidecar(dir, post.id, oldSidecar);
    const imageBefore = await readFile(stored!.file);

    fake.resetStats();
    const { localizer: upgrade } = await localizer('focus-upgrade');
    const upgraded = await upgrade.localize(post.id, await signedUrl(post.id), () => signedUrl(post.id));
    expect(upgraded!.focus).toEqual(stored!.focus);
    expect(upgrade.stats).toMatchObject({ downloaded: 0, cached: 1, focused: 1 });
    expect(fake.stats.cdn).toBe(0);
    expect(await sidecarOf(dir, post.id)).toEqual({ ...oldSidecar, focus: stored!.focus });
    expect((await readFile(stored!.file)).equals(imageBefore)).toBe(true);

    const { localizer: later } = await localizer('focus-upgrade');
    await later.localize(post.id, await signedUrl(post.id), () => signedUrl(post.id));
    expect(later.stats).toMatchObject({ downloaded: 0, cached: 1, focused: 0 });
    expect((await readdir(dir)).sort()).toEqual([`${post.id}.jpg`, `${post.id}.json`]);
  });
});

describe('the stale-file sweep on a shared cache', () => {
  it('spares temp files of live writers and files newer than the sync, removes the temps of dead writers, old orphans and dropped posts', async () => {
    const dir = path.join(root, 'sweep');
    await mkdir(dir, { recursive: true });
    const target = path.join(dir, '1.jpg');
    const mine = tempPathFor(target);
    const exited = spawnSync(process.execPath, ['-e', '0']).pid; // a pid that no longer runs
    const dead = mine.replace(`-${process.pid}-`, `-${exited}-`);
    const live = mine.replace(`-${process.pid}-`, `-${process.ppid}-`).replace(/[^-]+$/, 'other');
    const orphan = path.join(dir, '2.jpg.tmp-4242-abc'); // another host's writer: judged by age alone
    const fresh = path.join(dir, '3.jpg.tmp-4243-abc');
    const dropped = path.join(dir, '4.jpg'); // a post gone from the feed
    const newer = path.join(dir, '5.jpg'); // written during this sync by a process that read a newer feed
    for (const file of [mine, dead, live, orphan, fresh, dropped, newer]) await writeFile(file, 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    for (const file of [orphan, dropped]) await utimes(file, twoHoursAgo, twoHoursAgo);

    const removed = await removeStale(dir, new Set(['1', '2', '3']), Date.now() - 3600_000);
    expect(removed.sort()).toEqual([path.basename(dead), path.basename(orphan), '4.jpg'].sort());
    expect((await readdir(dir)).sort()).toEqual([path.basename(mine), path.basename(live), path.basename(fresh), '5.jpg'].sort());
  });
});
