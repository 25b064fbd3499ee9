import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import {
  createInstagramClient,
  debugToken,
  exchangeCodeForToken,
  exchangeForLongLivedToken,
  InstagramApiError,
  InstagramError,
  InstagramNetworkError,
  InstagramOAuthError,
  InstagramTokenError,
  messageOf,
  type RateLimitInfo,
  refreshAccessToken,
  tokenFreeCause,
} from 'instagram-graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failApi as failApiWith, json } from '../helpers/faults.js';

/**
 * Every error of the client carries `what` (what failed and why), `fix` (what to do), its `kind`
 * (and code where Instagram gave one) and, where it wraps another error, that error as `cause`:
 * nobody has to cut the fix back off `message`, which stays the one line `${what}. ${fix}`.
 */
let fake: FakeInstagram;
beforeAll(async () => {
  fake = await startFakeInstagram({ posts: 3, seed: 61 });
});
afterAll(() => fake.close());

const fastRetry = { minDelayMs: 5, maxDelayMs: 20 };
/** A loopback port nothing listens on any more: the connection is refused at once. */
let CLOSED: string;
beforeAll(async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  CLOSED = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise((resolve) => server.close(resolve));
});

function failApi(times: number, status: number, body: unknown, headers: Record<string, string> = {}) {
  return failApiWith(fake, times, json(status, body, headers));
}

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );

/** `message` is exactly `what`, a full stop unless `what` ends in one, then `fix`. */
function expectWhatAndFix(error: InstagramError) {
  expect(error.what).toBeTruthy();
  expect(error.fix).toBeTruthy();
  expect(error.message).toBe(`${error.what}${/[.!?]$/.test(error.what) ? '' : '.'} ${error.fix}`);
  expect(error.message).not.toMatch(/\n/);
}

describe('InstagramError and its subclasses carry what, fix, kind and cause', () => {
  it('InstagramError: fields, and the cause it is given', () => {
    const cause = new Error('inner');
    const error = new InstagramError('transient', 'Something broke', undefined, { cause });
    expectWhatAndFix(error);
    expect(error).toMatchObject({
      kind: 'transient',
      what: 'Something broke',
      fix: 'Instagram or the network had a problem; rebuild later.',
    });
    expect(error.cause).toBe(cause);
  });

  it('InstagramApiError: what holds the endpoint, code and Instagram words; fix is ours; code and subcode are fields', async () => {
    const ig = createInstagramClient({ token: 'IGAAdead-token-0000000000000', apiUrl: fake.url, retry: fastRetry });
    const error = (await caught(ig.getProfile())) as InstagramApiError;
    expect(error).toBeInstanceOf(InstagramApiError);
    expectWhatAndFix(error);
    expect(error).toMatchObject({ kind: 'auth', code: 190, status: 400 });
    expect(error.what).toMatch(/^Instagram API GET \/me failed \(code 190\): /);
    expect(error.what).toContain(error.apiMessage);
    expect(error.fix).toMatch(/^Generate a new long-lived token/);
  });

  it('InstagramNetworkError: the cause is fetch’s own error, with its code, and holds no token', async () => {
    const token = 'IGAAnetwork-secret-token-123456';
    const ig = createInstagramClient({ token, apiUrl: CLOSED, retry: { ...fastRetry, retries: 0 } });
    const error = (await caught(ig.getProfile())) as InstagramNetworkError;
    expect(error).toBeInstanceOf(InstagramNetworkError);
    expectWhatAndFix(error);
    expect(error.kind).toBe('transient');
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    expect(inspect(error, { depth: 10 })).not.toContain(token);
  });

  it('a body that is not JSON: invalid-response, with JSON.parse’s complaint as the cause', async () => {
    const restore = failApi(10, 200, '{"data":[{"id":"1790');
    try {
      const ig = createInstagramClient({ token: fake.token, apiUrl: fake.url, retry: { ...fastRetry, retries: 0 } });
      const error = (await caught(ig.getProfile())) as InstagramError;
      expectWhatAndFix(error);
      expect(error.kind).toBe('invalid-response');
      expect(error.cause).toBeInstanceOf(SyntaxError);
    } finally {
      restore();
    }
  });

  it('a cause that would show the token is left off, so no inspect() or log of the error prints it', async () => {
    const secret = 'IGAAsecret-token-123456789-abcdef';
    const restore = failApi(10, 502, `<html>${secret}</html>`);
    try {
      const ig = createInstagramClient({ token: secret, apiUrl: fake.url, retry: { ...fastRetry, retries: 0 } });
      const error = (await caught(ig.getProfile())) as InstagramError;
      expect(error.kind).toBe('transient');
      expect(inspect(error, { depth: 10 })).not.toContain(secret);
    } finally {
      restore();
    }
  });

  it('InstagramTokenError: reason, what and fix as fields; the API error it came from is its cause', async () => {
    const error = (await caught(
      refreshAccessToken('IGAAdead-token-0000000000000', { apiUrl: fake.url, retries: 0 }),
    )) as InstagramTokenError;
    expect(error).toBeInstanceOf(InstagramTokenError);
    expectWhatAndFix(error);
    expect(error).toMatchObject({ reason: 'invalid', kind: 'auth' });
    expect(error.what).toBe('Instagram API GET /refresh_access_token failed (code 190): Instagram does not accept this token');
    expect(error.cause).toBeInstanceOf(InstagramApiError);
    expect(error.apiMessage).toBe((error.cause as InstagramApiError).apiMessage.replace(/\.$/, ''));
  });

  it('InstagramTokenError: a network failure keeps its cause; the app secret never shows in it', async () => {
    const appSecret = 'app-secret-0123456789abcdef';
    const error = (await caught(
      exchangeForLongLivedToken('IGshort-lived-token-000000000', appSecret, { apiUrl: CLOSED, retries: 0 }),
    )) as InstagramTokenError;
    expectWhatAndFix(error);
    expect(error).toMatchObject({ reason: 'unavailable', kind: 'transient', fix: 'Try again later.' });
    expect(error.cause).toBeInstanceOf(InstagramNetworkError);
    expect(inspect(error, { depth: 10 })).not.toContain(appSecret);
  });

  it('InstagramOAuthError: what, fix and reason; a refused connection is the cause', async () => {
    const clientSecret = 'oauth-app-secret-0123456789';
    const error = (await caught(
      exchangeCodeForToken({
        clientId: '1',
        clientSecret,
        redirectUri: 'https://localhost/cb',
        code: 'AQcode-000000000',
        oauthUrl: CLOSED,
      }),
    )) as InstagramOAuthError;
    expect(error).toBeInstanceOf(InstagramOAuthError);
    expectWhatAndFix(error);
    expect(error).toMatchObject({ reason: 'unavailable', kind: 'transient' });
    expect(error.cause).toBeInstanceOf(Error);
    expect(inspect(error, { depth: 10 })).not.toContain(clientSecret);
  });

  it('Facebook calls: what names Facebook, the fix fits the call, the API error is the cause', async () => {
    const appSecret = 'wrong-app-secret-0123456789';
    const error = (await caught(
      debugToken('EAAsome-user-token-0000000000', { appId: fake.oauth.appId, appSecret }, { apiUrl: fake.url, retries: 0 }),
    )) as InstagramError;
    expectWhatAndFix(error);
    expect(error.what).toMatch(/^Facebook GET \/debug_token failed/);
    expect(error.fix).toMatch(/INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET/);
    expect(error.cause).toBeInstanceOf(InstagramApiError);
    expect(inspect(error, { depth: 10 })).not.toContain(appSecret);
  });
});

describe('messageOf and tokenFreeCause', () => {
  it('messageOf: the message of an Error, else the value as text', () => {
    expect(messageOf(new TypeError('bad'))).toBe('bad');
    expect(messageOf('plain')).toBe('plain');
    expect(messageOf(42)).toBe('42');
  });

  it('tokenFreeCause keeps a clean error and drops one that quotes a secret or an access_token query, however deep', () => {
    const clean = new Error('ECONNRESET');
    expect(tokenFreeCause(clean, ['IGAAsecret-token-1234'])).toEqual({ cause: clean });
    expect(tokenFreeCause(new Error('x', { cause: new Error('IGAAsecret-token-1234') }), ['IGAAsecret-token-1234'])).toEqual({});
    expect(tokenFreeCause(new Error('GET https://x/me?access_token=abc failed'))).toEqual({});
    expect(tokenFreeCause(undefined)).toEqual({});
  });
});

describe('rate limiting is the gate’s, with its own hook', () => {
  const limited = { error: { message: '(#4) Application request limit reached', code: 4, is_transient: true } };

  it('onRateLimit is told of each throttled answer and decides: false means no second try', async () => {
    const restore = failApi(10, 400, limited, { 'retry-after': '0' });
    try {
      const seen: RateLimitInfo[] = [];
      const ig = createInstagramClient({
        token: fake.token,
        apiUrl: fake.url,
        retry: fastRetry,
        onRateLimit: (info) => {
          seen.push(info);
          return false;
        },
      });
      await expect(ig.getProfile()).rejects.toMatchObject({ kind: 'rate-limit', code: 4 });
      expect(ig.requestCount).toBe(1);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ endpoint: 'GET /me', waitMs: 0, retryCount: 0 });
      expect(seen[0]!.error).toBeInstanceOf(InstagramApiError);
    } finally {
      restore();
    }
  });

  it('a hook may allow more tries; it is told how many came before', async () => {
    const restore = failApi(10, 400, limited);
    try {
      const counts: number[] = [];
      const ig = createInstagramClient({
        token: fake.token,
        apiUrl: fake.url,
        retry: fastRetry,
        onRateLimit: ({ retryCount }) => {
          counts.push(retryCount);
          return retryCount < 2;
        },
      });
      await expect(ig.getProfile()).rejects.toMatchObject({ kind: 'rate-limit' });
      expect(counts).toEqual([0, 1, 2]);
      expect(ig.requestCount).toBe(3);
    } finally {
      restore();
    }
  });
});
