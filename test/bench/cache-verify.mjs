// What checking the image cache costs on a warm rebuild (issue 16): fills a real cache through the
// loader's own pipeline (fake CDN, MediaLocalizer, ImageCache) for an account of N posts, then times
// looking every image up the old way (sidecar + stat) and the new way (sidecar + read + size + CRC-32).
//
//   node test/bench/cache-verify.mjs            1,000 posts (about 1,700 images)
//   node test/bench/cache-verify.mjs 200        another size
//
// Needs `npm run build` (it imports dist/). The cache stays in test/output/cache-verify/<posts>/, so a
// second run only measures. The files are in the page cache, as on a warm rebuild.
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeInstagram } from 'fake-instagram';
import pMap from 'p-map';
import { ImageCache } from '../../packages/astro-loader-instagram/dist/media/image-cache.js';
import { MediaLocalizer } from '../../packages/astro-loader-instagram/dist/media/localize.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const posts = Number(process.argv[2] ?? 1000);
const concurrency = 16; // the loader's default
const rounds = 9;
const cacheDir = path.join(repoRoot, `test/output/cache-verify/${posts}`);

const fake = await startFakeInstagram({ posts, seed: 6, imageCacheDir: path.join(repoRoot, 'test/bench/.cache/fake-images') });
try {
  const media = await readFeed(fake);
  const cache = new ImageCache(cacheDir, 1080);
  const download = { apiOrigin: fake.url, timeoutMs: 30_000, maxBytes: 25 * 1024 * 1024, retries: 2, minRetryDelayMs: 100, fetch };
  const localizer = new MediaLocalizer(cache, download, { maxSize: 1080, maxInputPixels: 40_000_000 });
  const filled = performance.now();
  await pMap(media, ({ id, url }) => localizer.localize(id, url, async () => undefined), { concurrency });
  console.log(
    `cache: ${media.length} images for ${posts} posts (${localizer.stats.downloaded} downloaded now, ${localizer.stats.cached} already there) in ${((performance.now() - filled) / 1000).toFixed(1)} s`,
  );

  const ids = media.map((item) => item.id);
  let bytes = 0;
  for (const id of ids) bytes += (await stat(path.join(cacheDir, `${id}.jpg`)).catch(() => ({ size: 0 }))).size;
  console.log(
    `bytes: ${(bytes / 1024 / 1024).toFixed(1)} MiB (${Math.round(bytes / ids.length / 1024)} KiB an image); ${os.cpus().length} CPUs`,
  );

  const oldWay = async (id) => {
    const sidecar = JSON.parse(await readFile(path.join(cacheDir, `${id}.json`), 'utf8'));
    return (await stat(path.join(cacheDir, `${id}.${sidecar.format === 'jpeg' ? 'jpg' : sidecar.format}`))).isFile();
  };
  const newWay = async (id) => {
    if (!(await cache.get(id))) throw new Error(`cache miss for ${id}`);
  };
  // Rounds alternate between the two, so a burst of load from other processes hits both alike.
  const ways = [
    { label: 'old: sidecar + stat', lookUp: oldWay, times: [] },
    { label: 'new: sidecar + read + size + CRC-32', lookUp: newWay, times: [] },
  ];
  for (let round = 0; round < rounds; round++) {
    for (const way of ways) {
      const started = performance.now();
      await pMap(ids, way.lookUp, { concurrency });
      way.times.push(performance.now() - started);
    }
  }
  const median = (times) => [...times].sort((a, b) => a - b)[rounds >> 1];
  for (const { label, times } of ways) {
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `${label}: median ${median(times).toFixed(0)} ms, best ${sorted[0].toFixed(0)} ms, worst ${sorted.at(-1).toFixed(0)} ms (${rounds} rounds)`,
    );
  }
  const extra = ways[1].times.map((time, round) => time - ways[0].times[round]);
  console.log(
    `extra cost of the check: median ${median(extra).toFixed(0)} ms for ${ids.length} images (${((median(extra) / ids.length) * 1000).toFixed(0)} µs an image)`,
  );
} finally {
  await fake.close();
}

/** Every image the loader would cache: single images, video posters, album children (no album covers). */
async function readFeed(fake) {
  const fields = 'id,media_type,media_url,thumbnail_url,children{id,media_type,media_url,thumbnail_url}';
  let next = `${fake.url}/v25.0/me/media?fields=${encodeURIComponent(fields)}&limit=100&access_token=${fake.token}`;
  const items = [];
  const still = (item) => (item.media_type === 'VIDEO' ? item.thumbnail_url : item.media_url);
  while (next) {
    const page = await (await fetch(next)).json();
    for (const post of page.data) {
      if (post.media_type === 'CAROUSEL_ALBUM') for (const child of post.children.data) items.push({ id: child.id, url: still(child) });
      else items.push({ id: post.id, url: still(post) });
    }
    next = page.paging?.next;
  }
  return items.filter((item) => item.url);
}
