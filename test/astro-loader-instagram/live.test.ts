import { type ChildProcessByStdio, spawn } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, cleanEnv, readAllText, tempSiteDirs } from '../helpers/astro.js';

/**
 * The live collection as a user runs it: test/fixtures/live (output 'server', @astrojs/node
 * standalone, memoryCache route caching) is built with `astro build`, started as
 * `node dist/server/entry.mjs` with the token in its environment (not in the build), and asked over
 * HTTP for its list page, its entry page and Astro's image endpoint, against the fake Graph API + CDN.
 */

interface Server {
  origin: string;
  child: ChildProcessByStdio<null, Readable, Readable>;
  output(): string;
  stop(): Promise<void>;
}

let fake: FakeInstagram;
let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
let buildOutput = '';
const servers: Server[] = [];

/** Starts the built server on a port the OS picks (PORT=0), resolved once it says where it listens. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [path.join(dirs.outDir, 'server/entry.mjs')], {
    env: { ...cleanEnv(), HOST: '127.0.0.1', PORT: '0', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 60 s. Output:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const port = /Server listening on https?:\/\/[^\s:]+:(\d+)/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`the server exited before listening. Output:\n${output}`)));
  });
  const server: Server = {
    origin,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  servers.push(server);
  return server;
}

async function get(server: Server, pathname: string) {
  const response = await fetch(server.origin + pathname);
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** Post ids on the list page, in page order. */
const listedIds = (html: string) => [...html.matchAll(/<li data-id="(\d+)"/g)].map((match) => match[1]);

/** The fake's posts newest first, as Instagram lists them. */
const newestFirst = () =>
  [...fake.media].sort((a, b) => new Date(b.timestamp).getTime() - new Date(a.timestamp).getTime()).map((post) => post.id);

/** What a scheduled job (or the owner's webhook) sends to drop the cached pages. */
const REFRESH_SECRET = 'live-fixture-refresh-secret';
const refresh = (server: Server, secret = REFRESH_SECRET) =>
  fetch(`${server.origin}/api/refresh-instagram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: '{}',
  });

let server: Server;

beforeAll(async () => {
  fake = await startFakeInstagram({ posts: 6, seed: 15 });
  dirs = await tempSiteDirs('ig-live');
  // No token at build time: a live collection reads Instagram only when a page is requested.
  const build = await buildFixture('live', dirs, {});
  buildOutput = build.output;
  expect(build.code, build.output).toBe(0);
  server = await startServer({ INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url, REFRESH_SECRET });
});

afterAll(async () => {
  await Promise.all(servers.map((running) => running.stop()));
  await fake?.close();
});

describe('instagramLiveLoader() on a started @astrojs/node server', () => {
  it('list page: every post newest first, images on the CDN, cache hint as Last-Modified', async () => {
    const page = await get(server, '/');
    expect(page.status, page.html).toBe(200);
    expect(listedIds(page.html)).toEqual(newestFirst());
    const images = [...page.html.matchAll(/<img src="([^"]+)"/g)].map((match) => match[1]);
    expect(images.length).toBe(fake.media.length);
    for (const src of images) expect(src.startsWith(`${fake.url}/cdn/`), src).toBe(true);
    const newest = fake.media.find((post) => post.id === newestFirst()[0])!;
    // The newest post's publish time (whole seconds, as HTTP dates are).
    const lastModified = new Date(page.headers.get('last-modified') ?? 0).getTime();
    expect(lastModified).toBe(Math.floor(new Date(newest.timestamp).getTime() / 1000) * 1000);
  });

  it('filters from getLiveCollection(): limit and mediaTypes', async () => {
    expect(listedIds((await get(server, '/?limit=2')).html)).toEqual(newestFirst().slice(0, 2));
    const images = fake.media.filter((post) => post.media_type === 'IMAGE').map((post) => post.id);
    expect(images.length).toBeGreaterThan(0);
    const onlyImages = listedIds((await get(server, '/?type=image')).html);
    expect(new Set(onlyImages)).toEqual(new Set(images));
  });

  it('entry page by media id and by shortcode; the image goes through astro:assets from the CDN (remotePatterns)', async () => {
    const post = fake.media.find((item) => item.media_type === 'IMAGE' && item.caption)!;
    const byId = await get(server, `/p/${post.id}/`);
    expect(byId.status, byId.html).toBe(200);
    expect(byId.html).toContain(`<article id="post" data-id="${post.id}">`);
    expect(byId.html).toContain(`href="${post.permalink}"`);
    const imageUrl = /<img src="(\/_image\?[^"]+)"/.exec(byId.html)?.[1]?.replaceAll('&amp;', '&').replaceAll('&#38;', '&');
    expect(imageUrl, byId.html).toBeDefined();
    const image = await fetch(server.origin + imageUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/webp');

    const byShortcode = await get(server, `/p/${post.shortcode}/`);
    expect(byShortcode.status, byShortcode.html).toBe(200);
    expect(byShortcode.html).toContain(`data-id="${post.id}"`);

    const missing = await get(server, '/p/17999999999999999/');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('id="fallback"');
  });

  it('route cache: a new post is served from cache until the hint\'s "instagram" tag is invalidated, then on the next request', async () => {
    await refresh(server);
    const before = await get(server, '/');
    expect(before.headers.get('x-astro-cache')).toBe('MISS');
    const post = fake.publish();
    const apiCalls = fake.stats.api;

    const cached = await get(server, '/');
    expect(cached.headers.get('x-astro-cache')).toBe('HIT');
    expect(listedIds(cached.html)).toEqual(listedIds(before.html));
    expect(fake.stats.api, 'a cached page asks Instagram nothing').toBe(apiCalls);

    expect((await refresh(server, 'wrong')).status, 'the endpoint wants its secret').toBe(401);
    expect((await get(server, '/')).headers.get('x-astro-cache')).toBe('HIT');
    const dropped = await refresh(server);
    expect(dropped.status).toBe(204);
    const fresh = await get(server, '/');
    expect(fresh.headers.get('x-astro-cache')).toBe('MISS');
    expect(listedIds(fresh.html)[0]).toBe(post.id);
    expect(listedIds(fresh.html)).toEqual(newestFirst());
  });

  it('a bad filter: the page shows its fallback, the log one line naming the filter', async () => {
    const page = await get(server, '/?limit=-1');
    expect(page.status).toBe(503);
    expect(page.html).toContain('id="fallback"');
    expect(server.output()).toContain(
      "astro-loader-instagram (instagram): invalid getLiveCollection('instagram', filter) options: option `limit` must be a positive number of posts, got -1. Fix the filter passed to getLiveCollection()",
    );
  });

  it('no token on the server: the fallback, and the log says to set INSTAGRAM_TOKEN', async () => {
    const tokenless = await startServer({ INSTAGRAM_API_URL: fake.url });
    const page = await get(tokenless, '/');
    expect(page.status).toBe(503);
    expect(page.html).toContain('id="fallback"');
    expect(tokenless.output()).toMatch(/astro-loader-instagram \(instagram\): No Instagram access token\. Set INSTAGRAM_TOKEN/);
    await tokenless.stop();
  });

  it('a dead token: list and entry pages render their fallback (503), not a 500 with a stack; the token is nowhere', async () => {
    const post = fake.media[0]!;
    fake.tokens.revoke(fake.token);
    await refresh(server);
    const list = await get(server, '/');
    const entry = await get(server, `/p/${post.id}/`);
    for (const page of [list, entry]) {
      expect(page.status, page.html).toBe(503);
      expect(page.html).toContain('id="fallback"');
      expect(page.html).not.toMatch(/\n\s+at |Error:/);
    }
    const log = server.output();
    const lines = log.split('\n').filter((line) => line.startsWith('astro-loader-instagram (instagram): Instagram API'));
    expect(lines.length, log).toBe(2);
    for (const line of lines) expect(line).toMatch(/code 190\/460.*Generate a new long-lived token/);
    expect(log).not.toMatch(/\n\s+at /);

    for (const text of [list.html, entry.html, log, buildOutput, await readAllText(dirs.outDir)]) {
      expect(text.includes(fake.token)).toBe(false);
    }
    // No paging URL (they embed the token) in what a visitor or the owner sees.
    for (const text of [list.html, entry.html, log]) expect(text).not.toContain('access_token');
  });
});
