import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import {
  buildAuthorizeUrl,
  createInstagramClient,
  debugToken,
  describeFacebookToken,
  exchangeCodeForToken,
  exchangeFacebookToken,
  exchangeForLongLivedToken,
  InstagramApiError,
  InstagramError,
  InstagramOAuthError,
  InstagramTokenError,
  listFacebookPages,
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

  it('the fake answers the code exchange flat by default, as observed: a bare numeric user_id beyond 2^53 and permissions as an array', async () => {
    const form = new FormData();
    const fields = {
      client_id: fake.oauth.appId,
      client_secret: fake.oauth.appSecret,
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT,
    };
    for (const [name, value] of Object.entries({ ...fields, code: await loginCode() })) form.set(name, value);
    const text = await (await fetch(`${fake.url}/oauth/access_token`, { method: 'POST', body: form })).text();
    expect(text).toMatch(/^\{"access_token":"IGAA[^"]+","user_id":17841400000000001,"permissions":\["instagram_business_basic"\]\}$/);
    // What JSON.parse makes of it loses the digits: the client must read the text.
    expect(String((JSON.parse(text) as { user_id: number }).user_id)).not.toBe(fake.profile.user_id);
    const short = await exchange(await loginCode());
    expect(short.userId).toBe(fake.profile.user_id);
    expect(short.permissions).toEqual(['instagram_business_basic']);
  });

  it("reads the reference's {data:[…]} shape too (user_id a string, permissions comma-separated)", async () => {
    fake.oauth.codeExchangeShape = 'data';
    const code = await loginCode();
    const short = await exchange(code);
    expect(short.accessToken).toMatch(/^IGAA/);
    expect(short.userId).toBe(fake.profile.user_id);
    expect(short.permissions).toEqual(['instagram_business_basic']);
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

  it('calls a token whose refresh answers "Unsupported request - method type: get" for (old Basic Display IGQV…) invalid and never refreshable', async () => {
    const legacy = 'IGQVJold-basic-display-token-0000';
    fake.tokens.add(legacy, { issuedAt: clock - 10 * DAY });
    const response = await fetch(`${fake.url}/refresh_access_token?grant_type=ig_refresh_token&access_token=${legacy}`);
    const body = (await response.json()) as { error: { message: string; code: number; type: string } };
    expect(body.error).toMatchObject({ message: 'Unsupported request - method type: get', code: 100, type: 'IGApiException' });

    const error = (await refresh(legacy).catch((caught: unknown) => caught)) as InstagramTokenError;
    expect(error).toBeInstanceOf(InstagramTokenError);
    expect(error.reason).toBe('invalid');
    expect(error.unrefreshable).toBe(true);
    expect(error.message).toBe(
      'Instagram API GET /refresh_access_token failed (code 100): Instagram will never refresh this token (it answered "Unsupported request - method type: get", as for old Basic Display IGQV… tokens). It stops working when it expires. Get a new Instagram-Login token: run `npx astro-loader-instagram login` or use Meta App Dashboard > Instagram > API setup with Instagram login > Generate token',
    );
    expect(error.message).not.toContain(legacy);

    // Any token can be made to answer so.
    const other = fake.tokens.add('IGAAunrefreshable-0000000000', { issuedAt: clock - 10 * DAY, unrefreshable: true }).token;
    expect(((await refresh(other).catch((caught: unknown) => caught)) as InstagramTokenError).unrefreshable).toBe(true);
  });

  it('calls an unknown token invalid, never echoing it', async () => {
    const error = await refresh('IGAAnot-a-real-token-000000').catch((caught: unknown) => caught);
    expect((error as InstagramTokenError).reason).toBe('invalid');
    expect((error as Error).message).not.toContain('IGAAnot-a-real-token-000000');
  });
});

describe('Facebook Login tokens (graph.facebook.com)', () => {
  const app = () => ({ appId: fake.oauth.appId, appSecret: fake.oauth.appSecret });
  const options = () => ({ apiUrl: fake.url, retries: 0, now });

  it('debug_token tells the kind and expiry of a token; expires_at 0 means never', async () => {
    const page = fake.tokens.issueFacebook('page');
    const pageInfo = await debugToken(page.token, app(), options());
    expect(pageInfo).toMatchObject({ isValid: true, type: 'PAGE', expiresAt: null, appId: fake.oauth.appId });
    expect(describeFacebookToken(pageInfo, now())).toBe('a Page token that never expires');

    const short = fake.tokens.issueFacebook('short-user');
    const shortInfo = await debugToken(short.token, app(), options());
    expect(shortInfo.expiresAt?.getTime()).toBe(clock + 2 * HOUR);
    expect(describeFacebookToken(shortInfo, now())).toBe('a short-lived User token');

    const long = fake.tokens.issueFacebook('long-user');
    expect(describeFacebookToken(await debugToken(long.token, app(), options()), now())).toBe('a long-lived User token');

    clock += 3 * HOUR;
    const dead = await debugToken(short.token, app(), options());
    expect(dead.isValid).toBe(false);
    expect(dead.problem).toMatch(/^Error validating access token: Session has expired on /);
  });

  it('debug_token with a wrong app token: 190 OAuthException, one line naming the app credentials, no secret in it', async () => {
    const { token } = fake.tokens.issueFacebook('long-user');
    const raw = await fetch(`${fake.url}/debug_token?input_token=${token}&access_token=${fake.oauth.appId}|wrong-secret-000000`);
    expect(((await raw.json()) as { error: unknown }).error).toMatchObject({ code: 190, type: 'OAuthException' });

    const error = (await debugToken(token, { appId: fake.oauth.appId, appSecret: 'wrong-secret-000000' }, options()).catch(
      (caught: unknown) => caught,
    )) as InstagramError;
    expect(error).toBeInstanceOf(InstagramError);
    expect(error.message).toBe(
      'Facebook GET /debug_token failed (code 190): Invalid OAuth access token signature. Set INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET to the id and secret of the Facebook app the token was made with (Meta App Dashboard > App settings > Basic).',
    );
    expect(error.message).not.toContain('wrong-secret-000000');
    expect(error.message).not.toContain(token);
  });

  it('fb_exchange_token gives a long-lived User token; its Pages hand out Page tokens that never expire', async () => {
    const short = fake.tokens.issueFacebook('short-user');
    const long = await exchangeFacebookToken(short.token, app(), options());
    expect(long.expiresAt.getTime()).toBe(clock + 60 * DAY);
    expect(fake.tokens.get(long.accessToken)).toMatchObject({ type: 'USER', kind: 'long' });

    const pages = await listFacebookPages(long.accessToken, options());
    expect(pages).toEqual([
      {
        id: fake.facebookPages[0]!.id,
        name: fake.facebookPages[0]!.name,
        accessToken: expect.stringMatching(/^EAA/),
        instagram: { id: fake.profile.user_id, username: fake.profile.username },
      },
    ]);
    expect((await debugToken(pages[0]!.accessToken!, app(), options())).expiresAt).toBeNull();
    // With the short-lived User token, the Page token dies with it.
    const [fromShort] = await listFacebookPages(short.token, options());
    expect((await debugToken(fromShort!.accessToken!, app(), options())).expiresAt?.getTime()).toBe(short.expiresAt);
  });

  it('fb_exchange_token with a wrong secret: one line, not retried, secret and token not shown', async () => {
    const short = fake.tokens.issueFacebook('short-user');
    const error = (await exchangeFacebookToken(
      short.token,
      { appId: fake.oauth.appId, appSecret: 'wrong-secret-000000' },
      {
        apiUrl: fake.url,
      },
    ).catch((caught: unknown) => caught)) as InstagramError;
    expect(error.message).toBe(
      'Facebook GET /oauth/access_token (fb_exchange_token) failed (code 1): Error validating client secret. Set INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET to the id and secret of the Facebook app the token was made with (Meta App Dashboard > App settings > Basic).',
    );
    expect(fake.stats.byRoute['fb-exchange-token']).toBe(1);
    expect(error.message).not.toContain(short.token);
  });
});
