import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { instagramLoader } from 'astro-loader-instagram';
import { type FakeInstagram, graphError, startFakeInstagram, subjectOf } from 'fake-instagram';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../helpers/astro.js';
import { json } from '../helpers/faults.js';
import { createLoaderHarness, type LoaderHarness } from '../helpers/loader-context.js';

/**
 * The loader's sync rules, run in-process through `load()` with the shared LoaderContext harness
 * against the fake Graph API and CDN: what a build's store, meta and log would hold, without a build.
 * What only a real build shows (ImageMetadata on pages, dist/, the one-line failure) stays in
 * build.test.ts and faults.test.ts.
 */

type Options = NonNullable<Parameters<typeof instagramLoader>[0]>;
const DEAD_TOKEN = 'IGAAdead-token-0000000000000';
/** Outage answer: Graph's transient error, as a 500. */
const outage = json(500, graphError(2, 'An unexpected error has occurred. Please retry your request later.'));

const harnesses: LoaderHarness[] = [];
async function harnessFor(fake: FakeInstagram, options: Options = {}) {
  const loader = instagramLoader({ token: fake.token, apiUrl: fake.url, retries: 0, ...options });
  const harness = await createLoaderHarness(loader);
  harnesses.push(harness);
  return harness;
}
afterAll(async () => {
  await Promise.all(harnesses.map((harness) => harness.cleanup()));
});

const imagesDir = (harness: LoaderHarness) => path.join(harness.cacheDir, 'astro-loader-instagram/instagram/images');
/** Image files with their modification times: proof that nothing was rewritten or deleted. */
async function imageFiles(harness: LoaderHarness): Promise<Map<string, number>> {
  const dir = imagesDir(harness);
  const files = await listFiles(dir);
  return new Map(await Promise.all(files.map(async (file) => [file, (await stat(path.join(dir, file))).mtimeMs] as const)));
}
const ids = (harness: LoaderHarness) => harness.store.keys().sort();

describe('sync by digest: build after build', () => {
  let fake: FakeInstagram;
  let harness: LoaderHarness;
  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 12, seed: 7 });
    harness = await harnessFor(fake);
    await harness.load();
  });
  afterAll(() => fake?.close());

  it('first load: every post stored with local image files that exist, and a one-line summary', async () => {
    expect(ids(harness)).toEqual(fake.media.map((media) => media.id).sort());
    expect(harness.logger.messages('info').join('\n')).toMatch(
      /@demo\.studio: 12 posts \(12 new, 0 updated, 0 unchanged, 0 removed\); 1 API request; images: \d+ downloaded, 0 cached/,
    );
    for (const entry of harness.store.values()) {
      expect(entry.digest, entry.id).toBeTruthy();
      // Every image field reached the store as a file Astro can import.
      expect(entry.assetImports?.length, entry.id).toBeGreaterThan(0);
      for (const file of entry.assetImports ?? []) expect((await stat(file)).isFile(), file).toBe(true);
    }
  });

  it("every post image and album child carries its picture's focal point, on the fake's subject", async () => {
    type Focus = { x: number; y: number };
    type Child = { id: string; focus?: Focus };
    const near = (id: string, focus: Focus | undefined) => {
      const subject = subjectOf(id);
      const where = `${id}: subject ${subject.x.toFixed(1)}% ${subject.y.toFixed(1)}%, focus ${JSON.stringify(focus)}`;
      expect(focus, where).toBeDefined();
      expect(Math.abs(focus!.x - subject.x), where).toBeLessThan(15);
      expect(Math.abs(focus!.y - subject.y), where).toBeLessThan(15);
    };
    let children = 0;
    for (const { id, data } of harness.store.values()) {
      const post = data as { type: string; focus?: Focus; children: Child[] };
      for (const child of post.children) near(child.id, child.focus);
      children += post.children.length;
      // An album's cover is its first child's picture; a video's is its own poster.
      if (post.type === 'carousel') expect(post.focus, id).toEqual(post.children[0]!.focus);
      else near(id, post.focus);
    }
    expect(children).toBeGreaterThan(0);
  });

  it('next load: every entry skipped by digest, no CDN request, no image rewritten', async () => {
    const before = await imageFiles(harness);
    const digests = new Map(harness.store.values().map((entry) => [entry.id, entry.digest]));
    fake.resetStats();
    await harness.load();
    expect(fake.stats.cdn).toBe(0);
    expect(fake.stats.api).toBe(1);
    expect(harness.logger.messages('info').join('\n')).toMatch(
      /12 posts \(0 new, 0 updated, 12 unchanged, 0 removed\); 1 API request; images: 0 downloaded/,
    );
    expect(new Map(harness.store.values().map((entry) => [entry.id, entry.digest]))).toEqual(digests);
    expect(await imageFiles(harness)).toEqual(before);
  });

  it('adds new posts and removes deleted ones one by one, pruning their image files', async () => {
    const removed = fake.media.find((media) => media.media_type === 'CAROUSEL_ALBUM')!;
    fake.removePost(removed.id);
    const [added] = fake.addPosts(1);
    fake.resetStats();
    await harness.load();
    expect(ids(harness)).toHaveLength(12);
    expect(ids(harness)).not.toContain(removed.id);
    expect(ids(harness)).toContain(added!.id);
    const cached = await listFiles(imagesDir(harness));
    for (const id of [removed.id, ...(removed.children ?? []).map((child) => child.id)]) {
      expect(
        cached.some((file) => file.startsWith(`${id}.`)),
        id,
      ).toBe(false);
    }
    // An album's cover is its first child, so an album costs one download per child.
    expect(fake.stats.cdn).toBe(added!.media_type === 'CAROUSEL_ALBUM' ? added!.children!.length : 1);
    expect(harness.logger.messages('info').join('\n')).toMatch(/1 new, 0 updated, 11 unchanged, 1 removed/);
  });
});

describe('the last good sync is kept when Instagram cannot be read', () => {
  let fake: FakeInstagram;
  const restores: Array<() => void> = [];
  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 6, seed: 21 });
  });
  afterEach(() => {
    while (restores.length) restores.pop()!();
  });
  afterAll(() => fake?.close());

  it('dead token (190) with a previous sync: keeps every entry and file, warns once with the fix', async () => {
    const harness = await harnessFor(fake);
    await harness.load();
    const before = { ids: ids(harness), files: await imageFiles(harness) };
    await harness.load(instagramLoader({ token: DEAD_TOKEN, apiUrl: fake.url, retries: 0 }));
    const warnings = harness.logger.messages('warn').filter((line) => /code 190/.test(line));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Generate a new long-lived token.*INSTAGRAM_TOKEN.*Kept the 6 posts from the last successful sync/);
    expect(ids(harness)).toEqual(before.ids);
    expect(await imageFiles(harness)).toEqual(before.files);
  });

  it('dead token without a previous sync: load() fails with the line that names the collection, the call and the fix', async () => {
    const harness = await harnessFor(fake, { token: DEAD_TOKEN });
    // Astro prints an AstroError's hint (our fix) under the line.
    await expect(harness.load()).rejects.toMatchObject({
      message: expect.stringMatching(/^astro-loader-instagram \(instagram\): Instagram API GET \/me\/media failed \(code 190\): /),
      hint: expect.stringMatching(/Generate a new long-lived token/),
    });
    expect(harness.store.keys()).toEqual([]);
  });

  it("onError: 'fail' fails even with a previous sync, and keeps the store as it was", async () => {
    const harness = await harnessFor(fake);
    await harness.load();
    const before = ids(harness);
    await expect(harness.load(instagramLoader({ token: DEAD_TOKEN, apiUrl: fake.url, retries: 0, onError: 'fail' }))).rejects.toThrow(
      /code 190/,
    );
    expect(ids(harness)).toEqual(before);
  });

  it('a good sync that kept 0 posts still counts: a later outage keeps going with a warning', async () => {
    const harness = await harnessFor(fake, { since: '2100-01-01' });
    await harness.load();
    expect(harness.logger.messages('info').join('\n')).toMatch(/0 posts \(0 new/);
    restores.push(
      fake.intercept((req, res, info) => {
        if (info.kind !== 'api') return false;
        outage(res, req);
        return true;
      }),
    );
    await harness.load();
    expect(harness.logger.messages('warn').join('\n')).toMatch(/Kept the 0 posts from the last successful sync/);
  });
});

describe('a failure mid-paging', () => {
  let many: FakeInstagram;
  beforeAll(async () => {
    many = await startFakeInstagram({ posts: 130, seed: 22 });
  });
  afterAll(() => many?.close());

  it('never deletes posts that were not seen', async () => {
    const harness = await harnessFor(many);
    await harness.load();
    const before = ids(harness);
    expect(before).toHaveLength(130);
    // Page 2 (it carries an `after` cursor) keeps failing.
    const restore = many.intercept((req, res, info) => {
      if (info.kind !== 'api' || !info.url.searchParams.has('after')) return false;
      json(500, graphError(1, 'An unknown error occurred'))(res, req);
      return true;
    });
    try {
      await harness.load();
    } finally {
      restore();
    }
    expect(harness.logger.messages('warn').join('\n')).toMatch(/Kept the 130 posts/);
    expect(ids(harness)).toEqual(before);
  });
});

describe('token records', () => {
  let fake: FakeInstagram;
  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 3, seed: 21 });
  });
  afterAll(() => fake?.close());

  it('first load records the token by hash in cacheDir (0600), does not refresh it, and writes it nowhere else', async () => {
    const harness = await harnessFor(fake);
    await harness.load();
    expect(fake.stats.byRoute['refresh-token']).toBeUndefined();
    expect(harness.logger.messages('info').join('\n')).toMatch(
      /Instagram token \(instagram\): first seen by the token store .*token\.json; builds refresh it once it is 24 hours old by these records \(from .* UTC on\)\./,
    );
    const storeFile = path.join(harness.cacheDir, 'astro-loader-instagram', 'token.json');
    const { tokens } = JSON.parse(await readFile(storeFile, 'utf8')) as { tokens: Array<Record<string, unknown>> };
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).not.toHaveProperty('token');
    expect(JSON.stringify(tokens)).not.toContain(fake.token);
    expect((await stat(storeFile)).mode & 0o777).toBe(0o600);
    // The store, meta and log are what Astro persists or prints: the token is in none of them.
    expect(JSON.stringify(harness.store.entries())).not.toContain(fake.token);
    expect(JSON.stringify(harness.meta.dump())).not.toContain(fake.token);
    expect(harness.logger.text()).not.toContain(fake.token);
  });
});
