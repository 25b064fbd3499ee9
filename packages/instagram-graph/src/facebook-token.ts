import { apiRoot, FACEBOOK_API_URL } from './api-url.js';
import { DEFAULT_TIMEOUT_MS, retryPolicy, TOKEN_RETRY } from './defaults.js';
import { InstagramError, oneLine, tokenFreeCause } from './errors.js';
import { getJson, type HttpOptions } from './http.js';
import { redact } from './redact.js';
import { type LongLivedToken, longLivedTokenFrom } from './token.js';

/**
 * Facebook Login tokens (`host: 'facebook'`): what `debug_token` says about one, the long-lived
 * exchange (`fb_exchange_token`) and the Pages with their Page tokens (`/me/accounts`). A Page token
 * fetched with a long-lived User token never expires (Long-Lived Access Tokens guide).
 */

/** The Facebook app the token was made with (Meta App Dashboard > App settings > Basic). */
export interface AppCredentials {
  appId: string;
  appSecret: string;
}

export interface FacebookRequestOptions {
  /** Graph origin (or a proxy). @default 'https://graph.facebook.com' */
  apiUrl?: string;
  /** Version segment for `/me/accounts`. @default 'v25.0' */
  apiVersion?: string;
  /** Per-request timeout in ms. @default DEFAULT_TIMEOUT_MS (30_000) */
  timeoutMs?: number;
  /** Retries for network errors, 5xx and rate limits. @default TOKEN_RETRY.retries (2) */
  retries?: number;
  fetch?: typeof fetch;
  /** Clock for `obtainedAt`/`expiresAt` of an exchange. @default () => new Date() */
  now?: () => Date;
}

/** What `GET /debug_token` tells about a token. */
export interface TokenDebugInfo {
  isValid: boolean;
  /** `USER`, `PAGE`, `APP`… as Graph names it. */
  type: string | undefined;
  /** When it expires; null: never (`expires_at: 0`). */
  expiresAt: Date | null;
  /** When its access to data lapses (the user must use the app again); null: never, undefined: not said. */
  dataAccessExpiresAt: Date | null | undefined;
  issuedAt: Date | undefined;
  scopes: string[];
  appId: string | undefined;
  /** The Page of a Page token. */
  profileId: string | undefined;
  /** Why it is not valid, in Graph's words (token-free), when `isValid` is false. */
  problem: string | undefined;
}

const APP_CREDENTIALS_FIX =
  'Set INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET to the id and secret of the Facebook app the token was made with (Meta App Dashboard > App settings > Basic).';

/**
 * `GET /debug_token?input_token=<token>&access_token=<app id>|<app secret>`. The app token is a
 * secret: it, the app secret and the token are scrubbed from every message.
 */
export async function debugToken(token: string, app: AppCredentials, options: FacebookRequestOptions = {}): Promise<TokenDebugInfo> {
  const url = new URL(`${apiRoot(options.apiUrl, FACEBOOK_API_URL)}/debug_token`);
  url.searchParams.set('input_token', token);
  // A refused app token is 190; a token of another app is refused as not matching the app id.
  const body = await call<{ data?: RawDebugData }>(url, 'GET /debug_token', appToken(app), [token, app.appSecret], options, (error) =>
    error.kind === 'auth' || error.kind === 'permission' || /app_?id|application/i.test(error.message) ? APP_CREDENTIALS_FIX : undefined,
  );
  const data = body?.data;
  if (!data || typeof data !== 'object') {
    throw new InstagramError(
      'invalid-response',
      'Facebook GET /debug_token answered without data',
      'Check that apiUrl points at graph.facebook.com.',
    );
  }
  const clean = (text: string) => redact(oneLine(text), [token, app.appSecret, appToken(app)]);
  return {
    isValid: data.is_valid === true,
    type: typeof data.type === 'string' ? data.type : undefined,
    expiresAt: timeOf(data.expires_at) ?? null,
    dataAccessExpiresAt: data.data_access_expires_at === undefined ? undefined : (timeOf(data.data_access_expires_at) ?? null),
    issuedAt: timeOf(data.issued_at) ?? undefined,
    scopes: Array.isArray(data.scopes) ? data.scopes.filter((scope): scope is string => typeof scope === 'string') : [],
    appId: data.app_id === undefined ? undefined : String(data.app_id),
    profileId: data.profile_id === undefined ? undefined : String(data.profile_id),
    problem: data.error?.message ? clean(data.error.message) : undefined,
  };
}

/** Tokens that live this long or less count as short-lived (Facebook's short-lived ones last hours). */
const SHORT_LIVED_MAX_MS = 24 * 3600_000;

/** "a Page token that never expires", "a short-lived User token", "a long-lived User token". */
export function describeFacebookToken(info: TokenDebugInfo, now: Date): string {
  const kind = info.type === 'PAGE' ? 'Page' : info.type === 'USER' ? 'User' : (info.type?.toLowerCase() ?? 'Facebook');
  if (info.expiresAt === null) return `a ${kind} token that never expires`;
  const lifetime = info.expiresAt.getTime() - (info.issuedAt ?? now).getTime();
  return `a ${lifetime <= SHORT_LIVED_MAX_MS ? 'short-lived' : 'long-lived'} ${kind} token`;
}

/**
 * `GET /oauth/access_token?grant_type=fb_exchange_token&client_id&client_secret&fb_exchange_token`:
 * a (short-lived) User token becomes a long-lived one (about 60 days).
 */
export async function exchangeFacebookToken(
  userToken: string,
  app: AppCredentials,
  options: FacebookRequestOptions = {},
): Promise<LongLivedToken> {
  const url = new URL(`${apiRoot(options.apiUrl, FACEBOOK_API_URL)}/oauth/access_token`);
  url.searchParams.set('grant_type', 'fb_exchange_token');
  url.searchParams.set('client_id', app.appId);
  url.searchParams.set('client_secret', app.appSecret);
  url.searchParams.set('fb_exchange_token', userToken);
  // A wrong secret is answered with code 1 (Graph's "unknown error"): never worth a retry here.
  const body = await call<{ access_token?: unknown; token_type?: unknown; expires_in?: unknown }>(
    url,
    'GET /oauth/access_token (fb_exchange_token)',
    appToken(app),
    [userToken, app.appSecret],
    { ...options, retries: 0 },
    (error) => {
      if (/client secret|application/i.test(error.message)) return APP_CREDENTIALS_FIX;
      if (error.kind === 'auth')
        return 'The User token is expired or not a User token: copy a new one (Graph API Explorer > Generate Access Token) and run again.';
      return undefined;
    },
  );
  if (typeof body?.access_token !== 'string' || !body.access_token) {
    throw new InstagramError(
      'invalid-response',
      'Facebook GET /oauth/access_token (fb_exchange_token) answered without an access_token',
      'Check that apiUrl points at graph.facebook.com.',
    );
  }
  return longLivedTokenFrom({ ...body, access_token: body.access_token }, (options.now ?? (() => new Date()))());
}

/** A Facebook Page the user has a task on, with its Page token and linked Instagram account. */
export interface FacebookPage {
  id: string;
  name: string;
  accessToken: string | undefined;
  /** The Instagram professional account linked to the Page (its id is the loader's `userId`). */
  instagram: { id: string; username: string | undefined } | undefined;
}

/** `GET /me/accounts?fields=name,access_token,instagram_business_account{id,username}` with a User token. */
export async function listFacebookPages(userToken: string, options: FacebookRequestOptions = {}): Promise<FacebookPage[]> {
  const url = new URL(`${apiRoot(options.apiUrl, FACEBOOK_API_URL)}/${options.apiVersion ?? 'v25.0'}/me/accounts`);
  url.searchParams.set('fields', 'name,access_token,instagram_business_account{id,username}');
  url.searchParams.set('limit', '100');
  const body = await call<{ data?: unknown }>(url, 'GET /me/accounts', userToken, [], options, (error) =>
    error.kind === 'permission' ? 'Grant the pages_show_list permission when you make the User token, then run again.' : undefined,
  );
  const rows = Array.isArray(body?.data) ? (body.data as RawPage[]) : [];
  // Page tokens are secrets too: the raw body is never shown; ids keep their digits (strings in Graph).
  return rows
    .filter((row) => row && row.id !== undefined)
    .map((row) => ({
      id: String(row.id),
      name: typeof row.name === 'string' ? row.name : String(row.id),
      accessToken: typeof row.access_token === 'string' ? row.access_token : undefined,
      instagram:
        row.instagram_business_account?.id === undefined
          ? undefined
          : {
              id: String(row.instagram_business_account.id),
              username: typeof row.instagram_business_account.username === 'string' ? row.instagram_business_account.username : undefined,
            },
    }));
}

interface RawDebugData {
  is_valid?: unknown;
  type?: unknown;
  expires_at?: unknown;
  data_access_expires_at?: unknown;
  issued_at?: unknown;
  scopes?: unknown;
  app_id?: unknown;
  profile_id?: unknown;
  error?: { message?: string; code?: number };
}

interface RawPage {
  id?: unknown;
  name?: unknown;
  access_token?: unknown;
  instagram_business_account?: { id?: unknown; username?: unknown };
}

/** The app token: `<app id>|<app secret>`. */
function appToken(app: AppCredentials): string {
  return `${app.appId}|${app.appSecret}`;
}

/** Unix seconds → Date; 0 or missing → undefined. */
function timeOf(value: unknown): Date | undefined {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
}

/** One GET with `token` as access_token; failures become one token-free line with a fix that fits the call. */
async function call<T>(
  url: URL,
  endpoint: string,
  token: string,
  secrets: string[],
  options: FacebookRequestOptions,
  fixFor: (error: InstagramError) => string | undefined,
): Promise<T> {
  const http: HttpOptions = {
    token,
    host: 'facebook',
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: retryPolicy(TOKEN_RETRY, { retries: options.retries }),
    fetch: options.fetch ?? globalThis.fetch,
  };
  try {
    return await getJson<T>(url, endpoint, http);
  } catch (error) {
    if (!(error instanceof InstagramError)) throw error;
    const clean = (text: string) => redact(text, [token, ...secrets]);
    const what = clean(error.what).replace(/^Instagram API/, 'Facebook');
    const fix = fixFor(error) ?? error.fix;
    throw new InstagramError(error.kind, what.replace(/\.\s*$/, ''), clean(fix), tokenFreeCause(error, [token, ...secrets]));
  }
}
