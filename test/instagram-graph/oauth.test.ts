import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import {
  buildAuthorizeUrl,
  createInstagramClient,
  exchangeCodeForToken,
  exchangeForLongLivedToken,
  InstagramApiError,
  InstagramOAuthError,
  InstagramTokenError,
  parseAuthorizationRedirect,
  refreshAccessToken,
} from 'instagram-graph';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const REDIRECT = 'https://site.example/instagram/callback';

let fake: FakeInstagram;
let clock: number;
beforeEach(async () => {
  clock = Date.parse('2026-11-23T12:00:00Z');
  fake = await startFakeInstagram({ posts: 2, now: () => clock });
});
afterEach(() => fake.close());

const now = () => new Date(clock);
const fast = { apiUrl: '', retries: 0, now };

/** Plays the browser: opens the dialog URL on the fake and returns where it redirects. */
async function authorize(state = 'state-123', redirectUri = REDIRECT): Promise<string> {
  const url = buildAuthorizeUrl({ clientId: fake.oauth.appId, redirectUri, state, authorizeUrl: fake.url });
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return response.headers.get('location')!;
}

async function loginCode(state = 'state-123'): Promise<string> {
  return parseAuthorizationRedirect(await authorize(state), state).code;
}

const exchange = (code: string, overrides: Partial<Parameters<typeof exchangeCodeForToken>[0]> = {}) =>
  exchangeCodeForToken({
    clientId: fake.oauth.appId,
    clientSecret: fake.oauth.appSecret,
    redirectUri: REDIRECT,
    code,
    oauthUrl: fake.url,
    ...overrides,
  });

describe('Business Login for Instagram', () => {
  it('builds the documented authorize URL', () => {
    const url = new URL(buildAuthorizeUrl({ clientId: '990602627938098', redirectUri: REDIRECT, state: 'abc' }));
    expect(`${url.origin}${url.pathname}`).toBe('https://www.instagram.com/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: '990602627938098',
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'instagram_business_basic',
      state: 'abc',
    });
  });

  it('goes code -> short-lived -> long-lived token, which reads the account', async () => {
    const location = await authorize('s1');
    expect(location).toMatch(/^https:\/\/site\.example\/instagram\/callback\?code=[^&#]+&state=s1#_$/);
    const { code } = parseAuthorizationRedirect(location, 's1');
    expect(code).not.toContain('#');

    const short = await exchange(code);
    expect(short.userId).toBe(fake.profile.user_id);
    expect(short.permissions).toEqual(['instagram_business_basic']);
    expect(fake.tokens.get(short.accessToken)?.kind).toBe('short');

    const long = await exchangeForLongLivedToken(short.accessToken, fake.oauth.appSecret, { ...fast, apiUrl: fake.url });
    expect(long.accessToken).not.toBe(short.accessToken);
    expect(long.tokenType).toBe('bearer');
    expect(long.expiresIn).toBe(60 * 24 * 3600);
    expect(long.expiresAt.getTime()).toBe(clock + 60 * DAY);

    const profile = await createInstagramClient({ token: long.accessToken, apiUrl: fake.url }).getProfile(['username']);
    expect(profile.username).toBe(fake.profile.username);
  });

  it('reads the flat answer shape too', async () => {
    fake.oauth.codeExchangeShape = 'flat';
    const short = await exchange(await loginCode());
    expect(short.accessToken).toMatch(/^IGAA/);
    expect(short.userId).toBe(fake.profile.user_id);
  });

  it('keeps user ids beyond 2^53 exact, as digits', async () => {
    const body = '{"access_token":"IGAAshort","user_id":17841400000000001,"permissions":["instagram_business_basic"]}';
    const short = await exchangeCodeForToken({
      clientId: '1',
      clientSecret: 'secret-value-123',
      redirectUri: REDIRECT,
      code: 'abc#_',
      fetch: async () => new Response(body, { status: 200 }),
    });
    expect(short.userId).toBe('17841400000000001');
  });

  it('strips "#_" from a pasted code and reads a bare query string', () => {
    expect(parseAuthorizationRedirect('code=AQabc%23_&state=x', 'x').code).toBe('AQabc');
    expect(parseAuthorizationRedirect(`${REDIRECT}?code=AQabc&state=x#_`, 'x').code).toBe('AQabc');
    expect(parseAuthorizationRedirect('?code=AQabc&state=x#_', 'x').code).toBe('AQabc');
  });

  it('rejects an answer whose state does not match, without exchanging anything', async () => {
    const location = await authorize('the-real-state');
    const error = (() => {
      try {
        parseAuthorizationRedirect(location, 'another-state');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InstagramOAuthError);
    expect((error as InstagramOAuthError).reason).toBe('state-mismatch');
    expect((error as Error).message).toMatch(/state does not match.*Start the login again\.$/);
  });

  it('turns a cancelled login into one line', async () => {
    fake.oauth.deny = true;
    const location = await authorize('s');
    expect(location).toContain('error=access_denied');
    expect(() => parseAuthorizationRedirect(location, 's')).toThrow(
      /access was not allowed \(The user denied your request\)\. Allow the app/,
    );
  });

  it('reports the legacy error shape in one line: a code works once', async () => {
    const code = await loginCode();
    await exchange(code);
    const error = await exchange(code).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstagramOAuthError);
    expect((error as InstagramOAuthError).reason).toBe('code-rejected');
    expect((error as InstagramOAuthError).errorType).toBe('OAuthException');
    expect((error as Error).message).toBe(
      'Instagram login failed at POST /oauth/access_token (OAuthException 400): Matching code was not found or was already used. A login code works once and for 1 hour only; start the login again.',
    );
    expect((error as Error).message).not.toContain(code);
  });

  it('names the fix for a wrong secret, app id or redirect URI, never echoing the secret', async () => {
    const code = await loginCode();
    const secret = await exchange(code, { clientSecret: 'wrong-secret-value-0000' }).catch((caught: Error) => caught);
    expect(secret.message).toMatch(/Error validating client secret.*INSTAGRAM_APP_SECRET/);
    expect(secret.message).not.toContain('wrong-secret-value-0000');
    const app = await exchange(code, { clientId: '111' }).catch((caught: Error) => caught);
    expect(app.message).toMatch(/Invalid platform app.*Instagram app id/);
    const redirect = await exchange(code, { redirectUri: 'https://other.example/' }).catch((caught: Error) => caught);
    expect((redirect as InstagramOAuthError).reason).toBe('redirect-uri');
    expect(redirect.message.split('\n')).toHaveLength(1);
  });

  it('reads a Graph-shaped error from the OAuth host as well', async () => {
    const error = await exchangeCodeForToken({
      clientId: '1',
      clientSecret: 'secret-value-123',
      redirectUri: REDIRECT,
      code: 'c',
      fetch: async () =>
        new Response('{"error":{"message":"Invalid OAuth access token","type":"OAuthException","code":190}}', { status: 400 }),
    }).catch((caught: Error) => caught);
    expect(error.message).toMatch(
      /^Instagram login failed at POST \/oauth\/access_token \(OAuthException 190\): Invalid OAuth access token\./,
    );
  });

  it('needs the right app secret for ig_exchange_token', async () => {
    const short = await exchange(await loginCode());
    const error = await exchangeForLongLivedToken(short.accessToken, 'not-the-secret', { ...fast, apiUrl: fake.url }).catch(
      (caught: Error) => caught,
    );
    expect(error).toBeInstanceOf(InstagramTokenError);
    expect(error.message).toMatch(/code 101/);
    expect(error.message).not.toContain('not-the-secret');
    expect(error.message).not.toContain(short.accessToken);
  });
});

describe('origins that are not URLs', () => {
  it('fail with one line naming the setting, for the login dialog and for the API', () => {
    expect(() => buildAuthorizeUrl({ clientId: '1', redirectUri: REDIRECT, state: 's', authorizeUrl: 'www.instagram.com' })).toThrow(
      expect.objectContaining({
        name: 'InstagramOAuthError',
        message: expect.stringMatching(/^The authorize URL "www\.instagram\.com" is not a URL/),
      }),
    );
    expect(() => createInstagramClient({ token: 'IGAAx', apiUrl: 'graph.instagram.com' })).toThrow(
      expect.objectContaining({ kind: 'invalid-request', message: expect.stringMatching(/^apiUrl "graph\.instagram\.com" is not a URL/) }),
    );
    // A proxy path is kept, its trailing slash is not.
    const url = new URL(buildAuthorizeUrl({ clientId: '1', redirectUri: REDIRECT, state: 's', authorizeUrl: 'https://proxy.test/ig/' }));
    expect(url.pathname).toBe('/ig/oauth/authorize');
  });
});

describe('refresh_access_token', () => {
  const refresh = (token: string) => refreshAccessToken(token, { ...fast, apiUrl: fake.url });

  it('refuses a token less than 24 hours old', async () => {
    clock += 23 * HOUR;
    const error = await refresh(fake.token).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstagramTokenError);
    expect((error as InstagramTokenError).reason).toBe('too-young');
    expect((error as Error).message).toMatch(/less than 24 hours old.*at least 24 hours old/);
  });

  it('refreshes a token 24 hours old for 60 more days (same string by default)', async () => {
    clock += 25 * HOUR;
    const result = await refresh(fake.token);
    expect(result.accessToken).toBe(fake.token);
    expect(result.expiresAt.getTime()).toBe(clock + 60 * DAY);
    expect(fake.tokens.get(fake.token)?.expiresAt).toBe(clock + 60 * DAY);
  });

  it('may hand back a new string (rotateOnRefresh)', async () => {
    fake.oauth.rotateOnRefresh = true;
    clock += 2 * DAY;
    const result = await refresh(fake.token);
    expect(result.accessToken).not.toBe(fake.token);
    const profile = await createInstagramClient({ token: result.accessToken, apiUrl: fake.url }).getProfile(['username']);
    expect(profile.username).toBe(fake.profile.username);
  });

  it('refuses an expired token (190/463), which then fails on /me and /me/media too', async () => {
    clock += 61 * DAY;
    const error = await refresh(fake.token).catch((caught: unknown) => caught);
    expect((error as InstagramTokenError).reason).toBe('expired');
    expect((error as Error).message).toMatch(/\(code 190\/463\): the token has expired\. Expired tokens can never be refreshed/);
    expect((error as InstagramTokenError).apiMessage).toMatch(
      /^Error validating access token: Session has expired on \w+day, \d\d-\w{3}-\d\d \d\d:\d\d:\d\d P[DS]T\. The current time is/,
    );

    const client = createInstagramClient({ token: fake.token, apiUrl: fake.url, retry: { retries: 0 } });
    for (const call of [() => client.getProfile(), () => client.listMedia()]) {
      const failure = await call().catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(InstagramApiError);
      expect((failure as InstagramApiError).code).toBe(190);
      expect((failure as InstagramApiError).subcode).toBe(463);
    }
  });

  it('answers POST with "Unsupported request - method type: post"', async () => {
    clock += 2 * DAY;
    const response = await fetch(`${fake.url}/refresh_access_token?grant_type=ig_refresh_token&access_token=${fake.token}`, {
      method: 'POST',
    });
    const body = (await response.json()) as { error: { message: string; code: number } };
    expect(response.status).toBe(400);
    expect(body.error.message).toBe('Unsupported request - method type: post');
    expect(fake.tokens.get(fake.token)?.issuedAt).toBe(Date.parse('2026-11-23T12:00:00Z'));
  });

  it('calls an unknown token invalid, never echoing it', async () => {
    const error = await refresh('IGAAnot-a-real-token-000000').catch((caught: unknown) => caught);
    expect((error as InstagramTokenError).reason).toBe('invalid');
    expect((error as Error).message).not.toContain('IGAAnot-a-real-token-000000');
  });
});
