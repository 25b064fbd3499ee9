import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type FakeInstagram, type FakeInstagramOptions, startFakeInstagram } from 'fake-instagram';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFixture, readAllText, tempSiteDirs } from '../helpers/astro.js';

/**
 * Real `astro build`s of test/fixtures/basic against the fake answering the way real accounts see
 * Instagram (audit rows 4, 5, 10, 28): a page too large, an optional field refused, a rate limit
 * that names no wait. Each build must still end with every post.
 */

const fakes: FakeInstagram[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function site(prefix: string, options: FakeInstagramOptions) {
  const fake = await startFakeInstagram({ seed: 11, ...options });
  fakes.push(fake);
  const dirs = await tempSiteDirs(prefix);
  const env = { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url };
  return { fake, dirs, build: () => buildFixture('basic', dirs, env) };
}

async function entryIds(outDir: string): Promise<string[]> {
  const json = JSON.parse(await readFile(path.join(outDir, 'entries.json'), 'utf8')) as { instagram: Array<{ id: string }> };
  return json.instagram.map((entry) => entry.id).sort();
}

const linesMatching = (output: string, pattern: RegExp) => output.split('\n').filter((line) => pattern.test(line));

describe('real Graph API answers in a real build', () => {
  it('pages over 50 refused with code 1 "reduce the amount of data": halves the page and keeps every post', async () => {
    const { fake, dirs, build } = await site('ig-real-page', { posts: 120, maxPageSize: 50 });
    const result = await build();
    expect(result.code, result.output).toBe(0);
    expect(await entryIds(dirs.outDir)).toEqual(fake.media.map((post) => post.id).sort());
    expect(fake.requests.filter((request) => request.route === 'media').map((request) => request.params.limit)).toEqual([
      '100',
      '50',
      '50',
      '50',
    ]);
  });

  it('an optional field refused with code 10: the build succeeds, says once what was dropped, and the next build never asks for it', async () => {
    const { fake, dirs, build } = await site('ig-real-field', { posts: 12, fieldsWithoutPermission: ['alt_text'] });
    const first = await build();
    expect(first.code, first.output).toBe(0);
    expect(await entryIds(dirs.outDir)).toHaveLength(12);
    const dropped = /Instagram does not serve alt_text for this account; reading without it\./;
    expect(linesMatching(first.output, dropped), first.output).toHaveLength(1);

    fake.resetStats();
    const second = await build();
    expect(second.code, second.output).toBe(0);
    expect(await entryIds(dirs.outDir)).toHaveLength(12);
    expect(linesMatching(second.output, dropped), second.output).toHaveLength(1);
    const askedAltText = fake.requests.filter((request) => (request.params.fields ?? '').split(/[,{}]/).includes('alt_text'));
    expect(askedAltText, JSON.stringify(fake.requests)).toEqual([]);
    expect(fake.stats.api).toBe(1);
    // What is remembered is field names only.
    expect(await readAllText(dirs.cacheDir)).not.toContain(fake.token);
  });

  it('a rate limit naming no wait while other requests are in flight: they wait for it, and every post is built', async () => {
    const { fake, dirs, build } = await site('ig-real-rate', { posts: 24 });
    // Every image URL from the feed has expired, so each post asks GET /{media-id} for a fresh one.
    // The first of those is rate-limited (estimated_time_to_regain_access: 0); the CDN holds the other
    // "expired" answers until then, so their GET /{media-id} calls arrive while the limit is on.
    fake.rateLimit({ route: 'media-item', minutesToRegain: 0 });
    let limitHit!: () => void;
    const limited = new Promise<void>((resolve) => {
      limitHit = resolve;
    });
    fake.intercept((_req, res, info) => {
      if (info.route === 'media-item') res.once('finish', () => setImmediate(limitHit));
      return false;
    });
    const expiredOnce = new Set<string>();
    fake.intercept(async (_req, res, info) => {
      if (info.kind !== 'cdn' || expiredOnce.has(info.path)) return false;
      const first = expiredOnce.size === 0;
      expiredOnce.add(info.path);
      if (!first) await limited;
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('URL signature expired');
      return true;
    });

    const result = await build();
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toMatch(/was not called|image not available/);
    expect(await entryIds(dirs.outDir)).toEqual(fake.media.map((post) => post.id).sort());
  });
});
