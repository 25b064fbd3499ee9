import { apiRoot } from './api-url.js';
import { DEFAULT_TIMEOUT_MS, retryPolicy, TOKEN_RETRY } from './defaults.js';
import { InstagramApiError, InstagramError, type InstagramErrorKind, messageOf, oneLine, tokenFreeCause } from './errors.js';
import { getJson, type HttpOptions } from './http.js';
import { redact } from './redact.js';

/** Long-lived tokens, fresh or refreshed, are valid for 60 days. */
export const LONG_LIVED_TOKEN_LIFETIME_MS = 60 * 24 * 3600_000;
/** Instagram refreshes a long-lived token only once it is at least 24 hours old. */
export const MIN_REFRESH_AGE_MS = 24 * 3600_000;

/** A long-lived token as `/access_token` and `/refresh_access_token` hand it back. */
export interface LongLivedToken {
  accessToken: string;
  tokenType: string;
  /** Seconds of validity Instagram announced. */
  expiresIn: number;
  /** When the call was answered. */
  obtainedAt: Date;
  /** obtainedAt + expiresIn. */
  expiresAt: Date;
}

/**
 * Why a refresh or exchange did not give a token:
 * - `too-young`: the token is less than 24 hours old (try again later),
 * - `expired`: it expired; it can never be refreshed,
 * - `invalid`: Instagram does not accept it at all (revoked, password changed, malformed),
 * - `unavailable`: network, outage or rate limit (try again later),
 * - `rejected`: any other refusal.
 */
export type TokenFailureReason = 'too-young' | 'expired' | 'invalid' | 'unavailable' | 'rejected';

export class InstagramTokenError extends InstagramError {
  readonly reason: TokenFailureReason;
  /**
   * Instagram will never refresh this token (reason `invalid`), though it may still read until it
   * expires: refresh answered "Unsupported request - method type: get", as for old Basic Display `IGQV…` tokens.
   */
  readonly unrefreshable: boolean;
  /** The API's own message (token-free), when there was one. */
  readonly apiMessage: string | undefined;
  constructor(
    reason: TokenFailureReason,
    kind: InstagramErrorKind,
    what: string,
    fix: string,
    apiMessage?: string,
    unrefreshable = false,
    options?: ErrorOptions,
  ) {
    super(kind, what, fix, options);
    this.name = 'InstagramTokenError';
    this.reason = reason;
    this.unrefreshable = unrefreshable;
    this.apiMessage = apiMessage;
  }
}

export interface TokenRequestOptions {
  /** API origin (or a proxy). @default 'https://graph.instagram.com' */
  apiUrl?: string;
  /** Per-request timeout in ms. @default DEFAULT_TIMEOUT_MS (30_000) */
  timeoutMs?: number;
  /** Retries for network errors, 5xx and rate limits. @default TOKEN_RETRY.retries (2) */
  retries?: number;
  /** Injected fetch. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Clock for `obtainedAt`/`expiresAt`. @default () => new Date() */
  now?: () => Date;
}

const NEW_TOKEN =
  'Get a new token: log in again (Business Login for Instagram) or use Meta App Dashboard > Instagram > API setup with Instagram login > Generate token';

const NEW_INSTAGRAM_LOGIN_TOKEN =
  'Get a new Instagram-Login token: run `npx astro-loader-instagram login` or use Meta App Dashboard > Instagram > API setup with Instagram login > Generate token';

/**
 * `GET /refresh_access_token?grant_type=ig_refresh_token`: a long-lived token at least 24 hours old
 * and not expired becomes valid for another 60 days. Instagram may return the same string or a new
 * one; always keep what comes back. Refresh accepts GET only.
 */
export async function refreshAccessToken(token: string, options: TokenRequestOptions = {}): Promise<LongLivedToken> {
  const url = new URL(`${apiRoot(options.apiUrl)}/refresh_access_token`);
  url.searchParams.set('grant_type', 'ig_refresh_token');
  return requestToken(url, 'GET /refresh_access_token', token, [], options);
}

/**
 * `GET /access_token?grant_type=ig_exchange_token`: swaps a short-lived token (1 hour, from the
 * login code exchange) for a long-lived one (60 days). Needs the app secret: run it server-side only.
 */
export async function exchangeForLongLivedToken(
  shortLivedToken: string,
  appSecret: string,
  options: TokenRequestOptions = {},
): Promise<LongLivedToken> {
  const url = new URL(`${apiRoot(options.apiUrl)}/access_token`);
  url.searchParams.set('grant_type', 'ig_exchange_token');
  url.searchParams.set('client_secret', appSecret);
  return requestToken(url, 'GET /access_token (ig_exchange_token)', shortLivedToken, [appSecret], options);
}

async function requestToken(
  url: URL,
  endpoint: string,
  token: string,
  secrets: string[],
  options: TokenRequestOptions,
): Promise<LongLivedToken> {
  if (!token?.trim()) throw new InstagramTokenError('invalid', 'auth', 'No Instagram access token was given', NEW_TOKEN);
  const now = options.now ?? (() => new Date());
  const http: HttpOptions = {
    token: token.trim(),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: retryPolicy(TOKEN_RETRY, { retries: options.retries }),
    fetch: options.fetch ?? globalThis.fetch,
  };
  let body: unknown;
  try {
    body = await getJson<unknown>(url, endpoint, http);
  } catch (error) {
    throw tokenError(error, endpoint, [token, ...secrets]);
  }
  const answer = (body ?? {}) as { access_token?: unknown; token_type?: unknown; expires_in?: unknown };
  if (typeof answer.access_token !== 'string' || !answer.access_token) {
    throw new InstagramTokenError(
      'rejected',
      'invalid-response',
      `Instagram API ${endpoint} answered without an access_token`,
      'Check that apiUrl points at graph.instagram.com or a faithful proxy.',
    );
  }
  return longLivedTokenFrom({ ...answer, access_token: answer.access_token }, now());
}

/** A token endpoint's answer as a `LongLivedToken`; without a usable `expires_in`, the documented 60 days. */
export function longLivedTokenFrom(
  answer: { access_token: string; token_type?: unknown; expires_in?: unknown },
  obtainedAt: Date,
): LongLivedToken {
  const expiresIn = Number(answer.expires_in);
  const seconds = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : LONG_LIVED_TOKEN_LIFETIME_MS / 1000;
  return {
    accessToken: answer.access_token,
    tokenType: typeof answer.token_type === 'string' ? answer.token_type : 'bearer',
    expiresIn: seconds,
    obtainedAt,
    expiresAt: new Date(obtainedAt.getTime() + seconds * 1000),
  };
}

// Instagram's wording for "less than 24 hours old" is not documented (UNVERIFIED): match loosely.
const TOO_YOUNG = /24\s*h|hours? old|too (?:new|young|recent|early|soon)|at least/i;
const EXPIRED = /expired/i;
// OBSERVED on GET refresh_access_token for tokens it will never refresh (instafeed.js #654, postiz-app #638).
const UNSUPPORTED_REQUEST = /Unsupported request - method type/i;

/** Turns whatever the request threw into a token error with one line: what failed, why, how to fix. */
function tokenError(error: unknown, endpoint: string, secrets: string[]): InstagramTokenError {
  const clean = (text: string) => redact(oneLine(text), secrets);
  // The wrapped error keeps its fields for debugging, unless the app secret shows in it somewhere.
  const cause = tokenFreeCause(error, secrets);
  if (error instanceof InstagramApiError) {
    const codes = error.code === undefined ? `HTTP ${error.status}` : `code ${error.code}${error.subcode ? `/${error.subcode}` : ''}`;
    const what = `Instagram API ${endpoint} failed (${codes})`;
    const apiMessage = clean(error.apiMessage).replace(/\.$/, '');
    const fail = (reason: TokenFailureReason, kind: InstagramErrorKind, why: string, fix: string, unrefreshable = false) =>
      new InstagramTokenError(reason, kind, `${what}: ${why}`, fix, apiMessage, unrefreshable, cause);
    if (error.kind === 'auth') {
      if (error.subcode === 463 || EXPIRED.test(apiMessage)) {
        return fail('expired', 'auth', 'the token has expired', `Expired tokens can never be refreshed. ${NEW_TOKEN}`);
      }
      return fail('invalid', 'auth', 'Instagram does not accept this token', NEW_TOKEN);
    }
    if (error.kind === 'transient' || error.kind === 'rate-limit') {
      return fail('unavailable', error.kind, apiMessage, 'Try again later.');
    }
    if (UNSUPPORTED_REQUEST.test(apiMessage)) {
      return fail(
        'invalid',
        'auth',
        `Instagram will never refresh this token (it answered "${apiMessage}", as for old Basic Display IGQV… tokens)`,
        `It stops working when it expires. ${NEW_INSTAGRAM_LOGIN_TOKEN}`,
        true,
      );
    }
    if (TOO_YOUNG.test(apiMessage)) {
      return fail(
        'too-young',
        'invalid-request',
        'the token is less than 24 hours old',
        'Instagram refreshes a token only once it is at least 24 hours old; try again later.',
      );
    }
    return fail('rejected', error.kind, apiMessage, error.fix);
  }
  if (error instanceof InstagramError) {
    const unavailable = error.kind === 'transient' || error.kind === 'rate-limit';
    return new InstagramTokenError(
      unavailable ? 'unavailable' : 'rejected',
      error.kind,
      clean(error.what).replace(/\.\s*$/, ''),
      unavailable ? 'Try again later.' : error.fix,
      undefined,
      false,
      cause,
    );
  }
  return new InstagramTokenError(
    'unavailable',
    'transient',
    `Instagram API ${endpoint} failed: ${clean(messageOf(error))}`,
    'Try again later.',
    undefined,
    false,
    cause,
  );
}
