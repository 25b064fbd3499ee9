import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type FakeInstagram, type FakeMedia, graphError, renderJpeg, startFakeInstagram } from 'fake-instagram';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { astro, buildFixture, fixtureSite, listFiles, readAllText, tempSiteDirs } from '../helpers/astro.js';
import { cutConnection, failApi, failImage, json, redirectTo, serveJpeg, text, truncatedJpeg } from '../helpers/faults.js';

/**
 * The fault matrix: each scenario is a real `astro build` of test/fixtures/basic against the fake
 * Graph API, after one good build. For each: the build result, what the log says, and that nothing
 * was lost (entries and image files from the last good sync stay) or leaked (token).
 * Rules that need no build (onError: 'fail', a failure mid-paging, a last good sync of 0 posts) are
 * checked in-process in loader.unit.test.ts.
 */

type Build = { code: number | null; output: string };

let fake: FakeInstagram;
let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
let env: Record<string, string>;
const outputs: string[] = [];
const restores: Array<() => void> = [];

const imagesDir = () => path.join(dirs.cacheDir, 'astro-loader-instagram/instagram/images');

async function build(extra: Record<string, string> = {}, target = dirs): Promise<Build> {
  const result = await buildFixture('basic', target, { ...env, ...extra });
  outputs.push(result.output);
  return result;
}

async function entryIds(outDir = dirs.outDir): Promise<string[]> {
  const json = JSON.parse(await readFile(path.join(outDir, 'entries.json'), 'utf8')) as { instagram: Array<{ id: string }> };
  return json.instagram.map((entry) => entry.id).sort();
}

/** Image files with their modification times: proof that nothing was rewritten or deleted. */
async function imageFiles(): Promise<Map<string, number>> {
  const files = await listFiles(imagesDir());
  return new Map(await Promise.all(files.map(async (file) => [file, (await stat(path.join(imagesDir(), file))).mtimeMs] as const)));
}

/** Adds one new single-image post upstream and returns it. */
function addImagePost(): FakeMedia {
  const [post] = fake.addPosts(1);
  Object.assign(post!, { media_type: 'IMAGE', media_product_type: 'FEED', hasMediaUrl: true });
  delete post!.children;
  return post!;
}

function expectOneLineWarning(output: string, pattern: RegExp) {
  const lines = output.split('\n').filter((line) => pattern.test(line));
  expect(lines.length, output).toBeGreaterThanOrEqual(1);
}

beforeAll(async () => {
  fake = await startFakeInstagram({ posts: 12, seed: 21 });
  dirs = await tempSiteDirs('ig-faults');
  env = { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url };
  const first = await build();
  expect(first.code, first.output).toBe(0);
});
afterEach(() => {
  while (restores.length) restores.pop()!();
});
afterAll(() => fake?.close());

describe('API faults', () => {
  it('503 burst then recovery: retried, build succeeds', async () => {
    const post = addImagePost();
    restores.push(failApi(fake, 2, json(503, graphError(2, 'Service temporarily unavailable'))));
    const result = await build();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/retry 1 .*code 2/);
    expect(await entryIds(), result.output).toContain(post.id);
  });

  it('429 with Retry-After: waits as asked, then succeeds', async () => {
    restores.push(failApi(fake, 1, json(429, graphError(4, '(#4) Application request limit reached'), { 'retry-after': '2' })));
    const result = await build();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/retry 1 in [2-4](\.\d)?s: .*code 4.*Instagram asks to wait 2 s/);
  });

  it('rate-limit code with a usage header asking for longer than the budget: keeps the last good feed', async () => {
    const before = { ids: await entryIds(), files: await imageFiles() };
    const usage = JSON.stringify({
      '17841400000000001': [{ type: 'instagram', call_count: 100, total_cputime: 30, total_time: 40, estimated_time_to_regain_access: 45 }],
    });
    restores.push(
      failApi(
        fake,
        10,
        json(400, graphError(80002, 'There have been too many calls to this Instagram account'), { 'x-business-use-case-usage': usage }),
      ),
    );
    const result = await build();
    expect(result.code, result.output).toBe(0);
    expectOneLineWarning(result.output, /code 80002.*wait 45 min.*Kept the \d+ posts from the last successful sync/);
    expect(await entryIds()).toEqual(before.ids);
    expect(await imageFiles()).toEqual(before.files);
  });

  it('dead token (190) with a previous sync: keeps everything, warns once with the fix', async () => {
    const before = { ids: await entryIds(), files: await imageFiles() };
    const result = await build({ INSTAGRAM_TOKEN: 'IGAAdead-token-0000000000000' });
    expect(result.code, result.output).toBe(0);
    const warnings = result.output.split('\n').filter((line) => /code 190/.test(line));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Generate a new long-lived token.*INSTAGRAM_TOKEN.*Kept the/);
    expect(await entryIds()).toEqual(before.ids);
    expect(await imageFiles()).toEqual(before.files);
  });

  it('dead token without a previous sync: fails with one line', async () => {
    const fresh = await tempSiteDirs('ig-faults-fresh');
    const result = await build({ INSTAGRAM_TOKEN: 'IGAAdead-token-0000000000000' }, fresh);
    expect(result.code).not.toBe(0);
    // Astro prints an AstroError's hint (our fix) on the lines under the message.
    expect(result.output).toMatch(
      /astro-loader-instagram \(instagram\): Instagram API GET \/me\/media failed \(code 190\): .*\n\s+Hint:\n\s+Generate a new long-lived token/,
    );
  });

  it('190/460 password changed: keeps everything, says why', async () => {
    restores.push(
      failApi(
        fake,
        10,
        json(
          400,
          graphError(
            190,
            'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
            460,
          ),
        ),
      ),
    );
    const result = await build();
    expect(result.code, result.output).toBe(0);
    expectOneLineWarning(result.output, /code 190\/460.*password was changed.*Kept the/);
  });

  it('malformed JSON page: retried, then succeeds', async () => {
    restores.push(failApi(fake, 1, json(200, '{"data":[{"id":"1790'), /\/media$/));
    const result = await build();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/retry 1 .*not JSON/);
  });

  it('a post with a path-traversal id or missing fields is skipped with a warning naming it; the rest goes on', async () => {
    restores.push(
      fake.intercept(async (req, res, info) => {
        if (info.kind !== 'api' || info.path !== '/me/media' || req.headers['x-bypass']) return false;
        // Fetch the real page from the fake itself, then poison it.
        const real = await fetch(`${fake.url}${info.url.pathname}${info.url.search}`, { headers: { 'x-bypass': '1' } });
        const page = (await real.json()) as { data: Array<Record<string, unknown>> };
        page.data.push(
          { id: '../../../../tmp/pwned', media_type: 'IMAGE', media_url: `${fake.url}/cdn/x.jpg`, timestamp: '2026-11-20T09:00:00+0000' },
          { id: '17999999999999999', caption: 'no type, no timestamp' },
        );
        json(200, page)(res, req);
        return true;
      }),
    );
    const result = await build();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/Instagram media "\.\.\/\.\.\/\.\.\/\.\.\/tmp\/pwned" skipped: the id is not a numeric string/);
    expect(result.output).toMatch(/Instagram media 17999999999999999 skipped: unknown media_type/);
    const ids = await entryIds();
    expect(ids).not.toContain('17999999999999999');
    expect(ids.length).toBeGreaterThanOrEqual(12);
    expect((await listFiles(imagesDir())).every((file) => /^\d+\.(jpg|png|webp|json)$/.test(file))).toBe(true);
  });
});

describe('image faults', () => {
  it('expired CDN signature: fetches fresh URLs for that media once, then downloads', async () => {
    const post = addImagePost();
    restores.push(failImage(fake, post.id, 1, text(403, 'URL signature expired')));
    fake.resetStats();
    const result = await build();
    expect(result.code, result.output).toBe(0);
    expect(fake.stats.byRoute['media-item']).toBe(1);
    expect(result.output).toMatch(/1 re-signed/);
    expect(await entryIds()).toContain(post.id);
  });

  it('URLs expiring mid-build on an fbcdn-style CDN (403 "Bad URL hash"): each is re-signed once, the site gets every image', async () => {
    let clock = Date.now();
    const meta = await startFakeInstagram({ posts: 6, seed: 23, cdnStyle: 'fbcdn', now: () => clock });
    try {
      const site = await tempSiteDirs('ig-faults-bad-url-hash');
      let refused = 0;
      let expiredAll = false;
      // Once the feed has been read, the CDN's clock passes every URL's `oe` (our clock does not: only the 403 tells).
      const stop = meta.intercept((_req, res, info) => {
        if (info.kind !== 'cdn') return false;
        if (!expiredAll) clock += 5 * 86_400_000;
        expiredAll = true;
        res.once('finish', () => res.statusCode === 403 && refused++);
        return false;
      });
      const result = await build({ INSTAGRAM_TOKEN: meta.token, INSTAGRAM_API_URL: meta.url }, site);
      stop();
      expect(result.code, result.output).toBe(0);
      expect(refused).toBeGreaterThan(0);
      expect(meta.stats.byRoute['media-item']).toBe(refused);
      expect(result.output).toMatch(new RegExp(`${refused} re-signed`));
      expect(result.output).not.toMatch(/not available/);
      expect(await entryIds(site.outDir)).toEqual(meta.media.map((media) => media.id).sort());
      for (const post of meta.media) {
        const html = await readFile(path.join(site.outDir, 'p', post.id, 'index.html'), 'utf8');
        for (const [, src] of html.matchAll(/<img[^>]+src="([^"]+)"/g)) {
          await sharp(path.join(site.outDir, src!), { failOn: 'truncated' }).raw().toBuffer();
        }
      }
    } finally {
      await meta.close();
    }
  });

  it('a refused profile picture URL is signed again by reading the profile once more', async () => {
    const site = await tempSiteDirs('ig-faults-profile-403');
    const picture = `/${fake.profile.user_id}_n.jpg`;
    let refused = 0;
    restores.push(
      fake.intercept((req, res, info) => {
        if (info.kind !== 'cdn' || !info.path.endsWith(picture) || refused > 0) return false;
        refused++;
        text(403, 'Bad URL hash')(res, req);
        return true;
      }),
    );
    fake.resetStats();
    const result = await buildFixture('integration', site, env);
    expect(result.code, result.output).toBe(0);
    expect(refused).toBe(1);
    expect(fake.stats.byRoute.me).toBe(2);
    const json = JSON.parse(await readFile(path.join(site.outDir, 'profile.json'), 'utf8')) as {
      profiles: Array<{ picture?: { src: string } }>;
    };
    expect(json.profiles[0]?.picture?.src, result.output).toMatch(/^\/_astro\//);
    expect(result.output).toMatch(/profile synced \(2 API requests; picture downloaded\)/);
  });

  it('expired CDN signature twice: skips a new post with a warning', async () => {
    const post = addImagePost();
    restores.push(failImage(fake, post.id, 10, text(403, 'URL signature expired')));
    const result = await build();
    expect(result.code, result.output).toBe(0);
    expectOneLineWarning(result.output, new RegExp(`Post ${post.id}: image not available .*expired.*skipped`));
    expect(await entryIds()).not.toContain(post.id);
    fake.removePost(post.id);
  });

  it.each([
    ['image 5xx', () => text(503, 'busy')],
    ['truncated image', (bytes: Buffer) => truncatedJpeg(bytes)],
    ['connection cut mid-image', (bytes: Buffer) => cutConnection(bytes)],
  ])('%s: retried, never cached half, build succeeds', async (_name, responder) => {
    const post = addImagePost();
    const bytes = await renderJpeg(post.id, post.width, post.height);
    restores.push(failImage(fake, post.id, 1, responder(bytes)));
    const result = await build();
    expect(result.code, result.output).toBe(0);
    expect(await entryIds()).toContain(post.id);
    const file = (await listFiles(imagesDir())).find((name) => name.startsWith(`${post.id}.`) && !name.endsWith('.json'));
    const meta = await sharp(path.join(imagesDir(), file!)).stats();
    expect(meta.isOpaque).toBe(true);
    await sharp(path.join(imagesDir(), file!), { failOn: 'truncated' }).raw().toBuffer();
  });

  it('a reel without media_url (licensed audio) uses its thumbnail', async () => {
    const [post] = fake.addPosts(1);
    Object.assign(post!, { media_type: 'VIDEO', media_product_type: 'REELS', hasMediaUrl: false, is_shared_to_feed: true });
    delete post!.children;
    const result = await build();
    expect(result.code, result.output).toBe(0);
    const entries = JSON.parse(await readFile(path.join(dirs.outDir, 'entries.json'), 'utf8')) as {
      instagram: Array<{ id: string; isReel: boolean; image: { src: string } }>;
    };
    const entry = entries.instagram.find((item) => item.id === post!.id);
    expect(entry).toMatchObject({ isReel: true });
    expect(entry!.image.src).toMatch(/^\/_astro\//);
  });

  it.each([
    ['cloud metadata over http', 'http://169.254.169.254/latest/meta-data/iam.jpg'],
    ['another https host', 'https://images.example.com/x.jpg'],
    ['a file URL', 'file:///etc/passwd'],
  ])('a redirect to a non-CDN host (%s) is refused before any request', async (_name, target) => {
    const post = addImagePost();
    restores.push(failImage(fake, post.id, 10, redirectTo(target)));
    const result = await build();
    expect(result.code, result.output).toBe(0);
    expectOneLineWarning(
      result.output,
      new RegExp(`Post ${post.id}: image not available \\(refused to download from .*not an Instagram CDN host.*skipped`),
    );
    expect(await entryIds()).not.toContain(post.id);
    fake.removePost(post.id);
  });

  it('a 100-megapixel image is refused by the pixel limit', async () => {
    const post = addImagePost();
    const bomb = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#eee' } })
      .greyscale()
      .jpeg({ quality: 1 })
      .toBuffer();
    restores.push(failImage(fake, post.id, 10, serveJpeg(bomb)));
    const result = await build();
    expect(result.code, result.output).toBe(0);
    expectOneLineWarning(result.output, new RegExp(`Post ${post.id}: image not available .*pixel limit.*skipped`));
    expect(await entryIds()).not.toContain(post.id);
    fake.removePost(post.id);
  });

  it('the build killed mid-download leaves no half file; the rerun completes', async () => {
    const added = fake.addPosts(6);
    const target = await tempSiteDirs('ig-faults-kill');
    let served = 0;
    const running = astro(['build'], await fixtureSite('basic', target, env));
    restores.push(
      fake.intercept((_req, res, info) => {
        if (info.kind !== 'cdn') return false;
        served++;
        if (served === 5) {
          running.child.kill('SIGKILL');
          res.destroy();
          return true;
        }
        return false;
      }),
    );
    const killed = await running.done;
    expect(killed.code).not.toBe(0);
    const cache = path.join(target.cacheDir, 'astro-loader-instagram/instagram/images');
    // A SIGKILL can leave a temp file mid-write, never a half image under its final name.
    for (const file of await listFiles(cache)) {
      if (/\.tmp-/.test(file) || file.endsWith('.json')) continue;
      await sharp(path.join(cache, file), { failOn: 'truncated' }).raw().toBuffer();
    }
    restores.pop()!();
    const rerun = await build({}, target);
    expect(rerun.code, rerun.output).toBe(0);
    expect((await listFiles(cache)).filter((file) => /\.tmp-/.test(file))).toEqual([]);
    const ids = await entryIds(target.outDir);
    for (const post of added) expect(ids).toContain(post.id);
  });
});

describe('no leaks', () => {
  it('caption text is escaped, never raw HTML', async () => {
    const post = addImagePost();
    post.caption = '<script>alert(1)</script><img src=x onerror=alert(2)> #xss';
    const result = await build();
    expect(result.code, result.output).toBe(0);
    const html = await readFile(path.join(dirs.outDir, 'p', post.id, 'index.html'), 'utf8');
    // Inside a quoted attribute (the alt text) `<` is inert; everywhere else it must be escaped.
    const markup = html.replace(/="[^"]*"/g, '=""');
    expect(markup).not.toContain('<script>alert(1)');
    expect(markup).not.toContain('<img src=x');
    expect(html).toContain('<p class="caption">&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('the token appears in no log, dist, data store, meta or generated type of any scenario above', async () => {
    const tokens = [fake.token, 'IGAAdead-token-0000000000000'];
    const haystacks = [
      outputs.join('\n'),
      await readAllText(dirs.outDir),
      await readAllText(dirs.cacheDir), // data-store.json (entries and meta) and our image cache
      await readAllText(path.join(dirs.base, 'site', '.astro')), // generated types
    ];
    expect(outputs.length).toBeGreaterThan(10);
    for (const haystack of haystacks) for (const token of tokens) expect(haystack).not.toContain(token);
  });
});
