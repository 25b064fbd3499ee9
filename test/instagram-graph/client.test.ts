import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { createInstagramClient, InstagramApiError, InstagramError } from 'instagram-graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failApi as failApiWith, json } from '../helpers/faults.js';

let fake: FakeInstagram;
beforeAll(async () => {
  fake = await startFakeInstagram({ posts: 250 });
});
afterAll(() => fake.close());

const fastRetry = { minDelayMs: 5, maxDelayMs: 20 };
const client = (token = fake.token) => createInstagramClient({ token, apiUrl: fake.url, retry: fastRetry });

/** Answers the next `times` API requests with `status` and `body`, then lets requests through. */
function failApi(times: number, status: number, body: unknown, headers: Record<string, string> = {}) {
  return failApiWith(fake, times, json(status, body, headers));
}

describe('media paging', () => {
  it('reads every page to the last one, 100 posts per request', async () => {
    const ig = client();
    const media = await ig.listMedia();
    expect(media).toHaveLength(250);
    expect(new Set(media.map((item) => item.id)).size).toBe(250);
    expect(ig.requestCount).toBe(3);
  });

  it('brings carousel children in the same request', async () => {
    const ig = client();
    const media = await ig.listMedia({ limit: 100 });
    const album = media.find((item) => item.media_type === 'CAROUSEL_ALBUM');
    expect(album?.children?.data?.length).toBeGreaterThan(1);
    expect(album?.children?.data?.[0]).toHaveProperty('media_url');
    expect(ig.requestCount).toBe(1);
  });

  it('stops at `limit` without reading further pages', async () => {
    const ig = client();
    expect(await ig.listMedia({ limit: 30 })).toHaveLength(30);
    expect(ig.requestCount).toBe(1);
  });

  it('reads the profile', async () => {
    const profile = await client().getProfile();
    expect(profile.username).toBe('demo.studio');
  });
});

/** A loopback Graph API that answers /me/media from a script: the page for each `after` cursor. */
async function scriptedPages(pages: Record<string, unknown>) {
  const server = createServer((req, res) => {
    const after = new URL(req.url ?? '/', 'http://x').searchParams.get('after') ?? '';
    res.writeHead(after in pages ? 200 : 400, { 'content-type': 'application/json' });
    res.end(JSON.stringify(pages[after] ?? { error: { message: `unknown cursor ${after}`, code: 100 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ig: createInstagramClient({ token: 'IGAAscripted-token-000000000', apiUrl: url, retry: { ...fastRetry, retries: 0 } }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
const item = (id: string) => ({ id, media_type: 'IMAGE', timestamp: '2026-11-20T09:00:00+0000' });
const nextAfter = (cursor: string) => ({
  cursors: { after: cursor },
  next: `https://graph.instagram.com/v25.0/me/media?access_token=IGAAscripted-token-000000000&after=${cursor}`,
});

describe('the end of the feed is only a page without `next`', () => {
  it('follows `next` past an empty page', async () => {
    const api = await scriptedPages({
      '': { data: [item('1'), item('2')], paging: nextAfter('a') },
      a: { data: [], paging: nextAfter('b') },
      b: { data: [item('3')], paging: { cursors: { after: 'c' } } },
    });
    try {
      expect((await api.ig.listMedia()).map((media) => media.id)).toEqual(['1', '2', '3']);
      expect(api.ig.requestCount).toBe(3);
    } finally {
      await api.close();
    }
  });

  it.each([
    [
      'a cursor that repeats',
      { '': { data: [item('1')], paging: nextAfter('a') }, a: { data: [item('2')], paging: nextAfter('a') } },
      /repeated a paging cursor/,
    ],
    [
      'empty pages that never end',
      Object.fromEntries(
        ['', 'a', 'b', 'c', 'd', 'e'].map((cursor, i, all) => [cursor, { data: [], paging: nextAfter(all[i + 1] ?? 'f') }]),
      ),
      /5 empty pages in a row/,
    ],
    [
      'a `next` without a cursor',
      {
        '': { data: [item('1')], paging: { next: 'https://graph.instagram.com/v25.0/me/media?access_token=IGAAscripted-token-000000000' } },
      },
      /without a cursor/,
    ],
  ])('fails (so the last good sync is kept) on %s', async (_name, pages, message) => {
    const api = await scriptedPages(pages);
    try {
      const error = await api.ig.listMedia().catch((caught: unknown) => caught);
      expect(error).toMatchObject({ kind: 'invalid-response', message: expect.stringMatching(message) });
      expect((error as Error).message).not.toContain('IGAAscripted');
    } finally {
      await api.close();
    }
  });
});

describe('retries', () => {
  it('retries 500 and 503 answers, then succeeds', async () => {
    const restore = failApi(2, 503, {
      error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2, is_transient: true },
    });
    try {
      const ig = client();
      expect(await ig.listMedia({ limit: 5 })).toHaveLength(5);
      expect(ig.requestCount).toBe(3);
    } finally {
      restore();
    }
  });

  it('retries a bare HTTP 500', async () => {
    const restore = failApi(1, 500, '<html>oops</html>');
    try {
      const ig = client();
      expect(await ig.listMedia({ limit: 5 })).toHaveLength(5);
      expect(ig.requestCount).toBe(2);
    } finally {
      restore();
    }
  });

  it('honours Retry-After on 429', async () => {
    const restore = failApi(1, 429, { error: { message: 'Too many calls', code: 4, type: 'OAuthException' } }, { 'retry-after': '1' });
    try {
      const started = Date.now();
      const ig = client();
      await ig.listMedia({ limit: 1 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(ig.requestCount).toBe(2);
    } finally {
      restore();
    }
  });

  it('asks once more after a rate limit, then stops calling (every call pushes access back)', async () => {
    const restore = failApi(10, 400, { error: { message: '(#4) Application request limit reached', code: 4, is_transient: true } });
    try {
      const ig = client();
      await expect(ig.listMedia()).rejects.toMatchObject({ kind: 'rate-limit', code: 4 });
      expect(ig.requestCount).toBe(2);
    } finally {
      restore();
    }
  });

  it('tells a Facebook Login user to make a new Page token, not an Instagram Login one', async () => {
    const ig = createInstagramClient({
      token: 'EAAwrong-page-token-that-is-long-enough',
      host: 'facebook',
      userId: fake.profile.user_id,
      apiUrl: fake.url,
      retry: fastRetry,
    });
    const error = await ig.listMedia().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'auth', code: 190 });
    expect((error as Error).message).toMatch(/new Page access token .*instagram_basic/);
    expect((error as Error).message).not.toMatch(/Instagram login/);
  });

  it("holds the client's other requests back while Instagram's rate limit lasts, and lets them go once it answers", async () => {
    const limited = { error: { message: '(#4) Application request limit reached', code: 4, is_transient: true } };
    const ig = client();
    let restore = failApi(10, 400, limited);
    try {
      await expect(ig.listMedia({ limit: 1 })).rejects.toMatchObject({ kind: 'rate-limit' });
      const sent = ig.requestCount;
      await expect(ig.getProfile()).rejects.toMatchObject({ kind: 'rate-limit', message: expect.stringMatching(/was not called/) });
      expect(ig.requestCount).toBe(sent);
    } finally {
      restore();
    }
    restore = failApi(1, 400, limited);
    try {
      const other = client();
      expect(await other.listMedia({ limit: 1 })).toHaveLength(1);
      expect((await other.getProfile()).username).toBe('demo.studio');
      expect(other.requestCount).toBe(3);
    } finally {
      restore();
    }
  });

  it('never retries a dead token (190)', async () => {
    const ig = client('IGAAwrong-token-that-is-long-enough');
    const error = await ig.listMedia().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstagramApiError);
    expect(error).toMatchObject({ kind: 'auth', code: 190 });
    expect(ig.requestCount).toBe(1);
  });

  it('drops an optional field the API says does not exist (100), and goes on without it', async () => {
    const ig = client();
    const media = await ig.listMedia({
      limit: 150,
      fields: ['id', 'media_type', 'timestamp', 'no_such_field', 'children{id,no_such_field}'],
    });
    expect(media).toHaveLength(150);
    // One refused request, then every page with the reduced list.
    expect(ig.requestCount).toBe(3);
  });

  it('never retries a code 100 on a required field or without a field name', async () => {
    for (const message of ['(#100) Tried accessing nonexisting field (id) on node type (IGMedia)', '(#100) Invalid parameter']) {
      const restore = failApi(1, 400, { error: { message, type: 'OAuthException', code: 100 } });
      try {
        const ig = client();
        const error = await ig.listMedia().catch((caught: unknown) => caught);
        expect(error).toMatchObject({ kind: 'invalid-request', code: 100 });
        expect(ig.requestCount).toBe(1);
      } finally {
        restore();
      }
    }
  });

  it('gives up on transient errors after the retry budget', async () => {
    const restore = failApi(100, 503, { error: { message: 'down', code: 2 } });
    try {
      const ig = createInstagramClient({ token: fake.token, apiUrl: fake.url, retry: { ...fastRetry, retries: 2 } });
      await expect(ig.listMedia()).rejects.toMatchObject({ kind: 'transient' });
      expect(ig.requestCount).toBe(3);
    } finally {
      restore();
    }
  });
});

describe('the token never leaks', () => {
  const secret = 'IGAAsecret-token-123456789-abcdef';

  async function errorFor(setup: () => () => void, token = secret): Promise<InstagramError> {
    const restore = setup();
    try {
      const ig = createInstagramClient({ token, apiUrl: fake.url, retry: { ...fastRetry, retries: 1 } });
      return (await ig.listMedia().catch((caught: unknown) => caught)) as InstagramError;
    } finally {
      restore();
    }
  }

  const scenarios: Record<string, () => () => void> = {
    'dead token': () => () => {},
    'error message that echoes the request URL': () =>
      failApi(10, 400, { error: { message: `Bad request ${fake.url}/me/media?access_token=${secret}`, code: 100 } }),
    'error message that contains the token itself': () =>
      failApi(10, 400, { error: { message: `token ${secret} is malformed`, code: 190 } }),
    'server error with html': () => failApi(10, 502, `<html>${secret}</html>`),
  };

  for (const [name, setup] of Object.entries(scenarios)) {
    it(name, async () => {
      const error = await errorFor(setup);
      expect(error).toBeInstanceOf(InstagramError);
      for (const text of [error.message, String(error), error.stack ?? '', JSON.stringify(error), JSON.stringify(Object.entries(error))]) {
        expect(text).not.toContain(secret);
      }
      expect(error.message).not.toMatch(/\n/);
    });
  }

  it('network failures name no URL query', async () => {
    const ig = createInstagramClient({ token: secret, apiUrl: 'http://127.0.0.1:9', retry: { ...fastRetry, retries: 0 } });
    const error = (await ig.listMedia().catch((caught: unknown) => caught)) as InstagramError;
    expect(error.kind).toBe('transient');
    expect(`${error.message}${error.stack}`).not.toContain(secret);
  });
});
