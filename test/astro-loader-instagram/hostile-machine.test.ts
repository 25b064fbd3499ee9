import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAtomic } from '../../packages/astro-loader-instagram/src/utils/atomic-write.js';
import { astro, astroDev, buildFixture, type DevServer, fixtureSite, listFiles, tempSiteDirs } from '../helpers/astro.js';

/**
 * Real `astro build`s (and one `astro dev`) on a machine that is not on our side: a full disk, a
 * cache file damaged behind our back, and two processes sharing one cache directory.
 */

type Dirs = Awaited<ReturnType<typeof tempSiteDirs>>;
const fakes: FakeInstagram[] = [];
const mounts: string[] = [];

afterAll(async () => {
  for (const mount of mounts) spawnSync('umount', ['-l', mount]);
  await Promise.all(fakes.map((fake) => fake.close()));
});

async function startFake(options: Parameters<typeof startFakeInstagram>[0]) {
  const fake = await startFakeInstagram(options);
  fakes.push(fake);
  return fake;
}

const envFor = (fake: FakeInstagram, extra: Record<string, string> = {}) => ({
  INSTAGRAM_TOKEN: fake.token,
  INSTAGRAM_API_URL: fake.url,
  ...extra,
});

/**
 * Our folder in Astro's cacheDir. The full disk is mounted there, not on the whole cacheDir: Astro
 * writes its own data store (data-store.json) beside it on a 500 ms debounce, and on a full disk
 * that write fails on its own timer, crashing the build with Astro's error before ours is printed
 * (seen once in CI). What the loader does on a full disk is what these tests are about.
 */
const ourCacheDir = (dirs: Dirs) => path.join(dirs.cacheDir, 'astro-loader-instagram');
const imagesDir = (dirs: Dirs, collection = 'instagram') => path.join(dirs.cacheDir, `astro-loader-instagram/${collection}/images`);

async function entryIds(outDir: string): Promise<string[]> {
  const json = JSON.parse(await readFile(path.join(outDir, 'entries.json'), 'utf8')) as { instagram: Array<{ id: string }> };
  return json.instagram.map((entry) => entry.id).sort();
}

/** Cached files with their modification times: proof that nothing was rewritten or deleted. */
async function cachedFiles(dir: string): Promise<Map<string, number>> {
  const files = (await listFiles(dir)).filter((file) => !file.includes('.tmp-'));
  return new Map(await Promise.all(files.map(async (file) => [file, (await stat(path.join(dir, file))).mtimeMs] as const)));
}

/** Lines of a build's output that match. */
const linesMatching = (output: string, pattern: RegExp) => output.split('\n').filter((line) => pattern.test(line));

/** Mounting a tmpfs needs root on Linux (the CI container); elsewhere these tests are skipped. */
function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = path.join(os.tmpdir(), `ig-tmpfs-probe-${process.pid}`);
  spawnSync('mkdir', ['-p', probe]);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]).status === 0;
  if (mounted) spawnSync('umount', [probe]);
  spawnSync('rmdir', [probe]);
  return mounted;
}

async function mountTmpfs(dir: string, size: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  mounts.push(dir);
}

describe.skipIf(!canMountTmpfs())('a full disk (cacheDir on an 8 MB tmpfs; needs root to mount it)', () => {
  it('a cold build fails in one line naming the folder, the error and the fix; no post is skipped one by one', async () => {
    const fake = await startFake({ posts: 30, seed: 51 }); // ~45 images of ~200 KB: more than 8 MB
    const dirs = await tempSiteDirs('ig-enospc-cold');
    await mountTmpfs(ourCacheDir(dirs), '8m');
    const result = await buildFixture('basic', dirs, envFor(fake));
    expect(result.code, result.output).not.toBe(0);
    const lines = linesMatching(result.output, /ENOSPC/);
    expect(lines.length, result.output).toBeGreaterThanOrEqual(1);
    // Astro prints an AstroError's hint (our fix) on the lines under the message.
    expect(result.output).toMatch(
      new RegExp(
        `astro-loader-instagram \\(instagram\\): cannot write the media cache in ${imagesDir(dirs)} \\(ENOSPC: no space left on device\\)\\.\\n\\s+Hint:\\n\\s+Free disk space, or point Astro's \`cacheDir\` at a disk with room\\.`,
      ),
    );
    expect(result.output).not.toMatch(/image not available/);
  });

  it('a write that loses the race to another process with the same bytes still counts; other bytes fail', async () => {
    const dir = path.join((await tempSiteDirs('ig-enospc-race')).base, 'cache');
    await mountTmpfs(dir, '1m');
    const file = path.join(dir, '1.jpg');
    const bytes = randomBytes(600 * 1024);
    await writeAtomic(file, bytes); // the other process's whole file; 400 KiB left
    await writeAtomic(file, bytes); // our temp copy does not fit, but the file already holds these bytes
    await expect(writeAtomic(file, randomBytes(600 * 1024))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect((await readFile(file)).equals(bytes)).toBe(true);
    expect(await readdir(dir)).toEqual(['1.jpg']);
  });

  it('a warm build whose new posts do not fit keeps every previous entry and file, warns once, and recovers once there is room', async () => {
    const fake = await startFake({ posts: 12, seed: 52 });
    const dirs = await tempSiteDirs('ig-enospc-warm');
    await mountTmpfs(ourCacheDir(dirs), '8m');
    const first = await buildFixture('basic', dirs, envFor(fake));
    expect(first.code, first.output).toBe(0);
    const before = { ids: await entryIds(dirs.outDir), files: await cachedFiles(imagesDir(dirs)) };
    expect(before.ids).toHaveLength(12);

    const added = fake.addPosts(30);
    const full = await buildFixture('basic', dirs, envFor(fake));
    expect(full.code, full.output).toBe(0);
    const warnings = linesMatching(full.output, /ENOSPC/);
    expect(warnings, full.output).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /cannot write the media cache in .* \(ENOSPC: no space left on device\)\. Free disk space.*Kept the 12 posts/,
    );
    expect(full.output).not.toMatch(/image not available/);
    expect(await entryIds(dirs.outDir)).toEqual(before.ids);
    const after = await cachedFiles(imagesDir(dirs));
    for (const [file, mtime] of before.files) expect(after.get(file), file).toBe(mtime);

    // Room again: the next build catches up with everything.
    expect(spawnSync('mount', ['-o', 'remount,size=64m', ourCacheDir(dirs)]).status).toBe(0);
    const recovered = await buildFixture('basic', dirs, envFor(fake));
    expect(recovered.code, recovered.output).toBe(0);
    const ids = await entryIds(dirs.outDir);
    expect(ids).toHaveLength(42);
    for (const post of added) expect(ids).toContain(post.id);
  });
});

describe('a damaged cache file', () => {
  it('a cached image cut to 5,000 bytes is detected, downloaded again, and the site is built from a whole file', async () => {
    const fake = await startFake({ posts: 6, seed: 53 });
    const dirs = await tempSiteDirs('ig-damaged');
    const first = await buildFixture('basic', dirs, envFor(fake));
    expect(first.code, first.output).toBe(0);
    const victim = fake.media.find((media) => media.media_type === 'IMAGE')!;
    const file = path.join(imagesDir(dirs), `${victim.id}.jpg`);
    const whole = await readFile(file);
    await truncate(file, 5000);

    fake.resetStats();
    const second = await buildFixture('basic', dirs, envFor(fake));
    expect(second.code, second.output).toBe(0);
    expect(
      linesMatching(
        second.output,
        new RegExp(
          `Cached image ${victim.id} did not match what was written \\(${victim.id}\\.jpg: 5000 of ${whole.length} bytes\\); downloading it again\\.`,
        ),
      ),
    ).toHaveLength(1);
    expect(fake.stats.byRoute['cdn-image']).toBe(1);
    expect((await readFile(file)).equals(whole)).toBe(true);
    expect(await entryIds(dirs.outDir)).toContain(victim.id);
    // The page's image was made from the whole file: it decodes to the end.
    const html = await readFile(path.join(dirs.outDir, 'p', victim.id, 'index.html'), 'utf8');
    const src = /<img[^>]+src="([^"]+)"/.exec(html)![1]!;
    await sharp(path.join(dirs.outDir, src), { failOn: 'truncated' }).raw().toBuffer();
  });
});

describe('two processes on one cache directory', () => {
  it('`astro dev` and `astro build` started together on a cold cache both get every image, video and the profile picture', async () => {
    // Two fakes with one seed serve the same account, so each process can be steered on its own.
    const forBuild = await startFake({ posts: 8, seed: 54 });
    const forDev = await startFake({ posts: 8, seed: 54 });
    const videoIds = forBuild.media.flatMap((media) => [
      ...(media.media_type === 'VIDEO' && media.hasMediaUrl !== false ? [media.id] : []),
      ...(media.children ?? []).filter((child) => child.media_type === 'VIDEO').map((child) => child.id),
    ]);
    expect(videoIds.length).toBeGreaterThan(0);
    const dirs = await tempSiteDirs('ig-shared-cache');
    const env = { FIXTURE_VIDEOS: '1' };

    // Choreography, so the overlap happens on every run: the build's downloads wait until dev is
    // halfway through one video, and that video's second half waits until the build is over. The
    // build's stale-file sweep thus always runs while dev's temp file is open.
    let devMidVideo = () => {};
    const devReachedVideo = new Promise<void>((resolve) => (devMidVideo = resolve));
    const stopBuild = forBuild.intercept(async (_req, _res, info) => {
      if (info.kind === 'cdn') await devReachedVideo;
      return false;
    });
    const build = astro(['build'], await fixtureSite('integration', dirs, envFor(forBuild, env)));
    const buildDone = build.done;
    const held = videoIds[0]!;
    const stop = forDev.intercept(async (req, res, info) => {
      if (info.kind !== 'cdn' || !info.path.endsWith(`/${held}.mp4`) || req.headers['x-bypass']) return false;
      const bytes = Buffer.from(
        await (await fetch(`${forDev.url}${info.url.pathname}${info.url.search}`, { headers: { 'x-bypass': '1' } })).arrayBuffer(),
      );
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, bytes.length >> 1));
      devMidVideo();
      await buildDone;
      res.end(bytes.subarray(bytes.length >> 1));
      return true;
    });

    // The port is the one dev reports (a random fixed one could be taken by another run).
    let dev: DevServer | undefined;
    try {
      dev = await astroDev(dirs.site, { ...envFor(forDev, env), ASTRO_CACHE_DIR: dirs.cacheDir });
      const base = dev.origin;
      const built = await buildDone;
      expect(built.code, built.output).toBe(0);
      // Build: every post, every image, the profile picture and every video are in dist.
      const profile = JSON.parse(await readFile(path.join(dirs.outDir, 'profile.json'), 'utf8')) as {
        posts: string[];
        profiles: Array<{ picture?: { src: string } }>;
      };
      expect(profile.posts.sort()).toEqual(forBuild.media.map((media) => media.id).sort());
      expect(profile.profiles[0]?.picture?.src, built.output).toMatch(/^\/_astro\//);
      const index = await readFile(path.join(dirs.outDir, 'index.html'), 'utf8');
      const builtImages = [...index.matchAll(/<img[^>]+src="([^"]+)"/g)].map((match) => match[1]!);
      expect(builtImages).toHaveLength(forBuild.media.length + 1);
      for (const src of builtImages) await sharp(path.join(dirs.outDir, src), { failOn: 'truncated' }).raw().toBuffer();
      for (const id of videoIds)
        expect((await stat(path.join(dirs.outDir, `_instagram/videos/instagram/${id}.mp4`))).size, id).toBeGreaterThan(0);
      expect(built.output).not.toMatch(/not available|not downloaded|ENOENT/);

      // Dev: once its sync is through, every image and video answers 200 with whole bytes.
      let page = '';
      const devVideos = expect.poll(
        async () => {
          page = await fetch(`${base}/videos/`)
            .then((response) => response.text())
            .catch(() => '');
          return videoIds.filter((id) => page.includes(`/_instagram/videos/instagram/${id}.mp4`)).length;
        },
        { timeout: 120_000, interval: 500 },
      );
      // On failure, what dev printed is what tells why (a skipped post, a refused file).
      await devVideos.toBe(videoIds.length).catch((error: Error) => {
        throw new Error(`${error.message}\nastro dev printed:\n${dev?.output()}`);
      });
      const devIndex = await (await fetch(`${base}/`)).text();
      const devImages = [...devIndex.matchAll(/<img[^>]+src="([^"]+)"/g)].map((match) => match[1]!.replaceAll('&amp;', '&'));
      expect(devImages).toHaveLength(forDev.media.length + 1);
      for (const src of devImages) {
        const response = await fetch(new URL(src, base));
        expect(response.status, src).toBe(200);
        await sharp(Buffer.from(await response.arrayBuffer()), { failOn: 'truncated' })
          .raw()
          .toBuffer();
      }
      for (const id of videoIds) {
        const response = await fetch(`${base}/_instagram/videos/instagram/${id}.mp4`);
        expect(response.status, id).toBe(200);
        expect((await response.arrayBuffer()).byteLength, id).toBe(
          (await stat(path.join(dirs.outDir, `_instagram/videos/instagram/${id}.mp4`))).size,
        );
      }
    } finally {
      stop();
      stopBuild();
      await dev?.stop();
    }
  });
});
