import { urlRoot } from './api-url.js';
import { DEFAULT_TIMEOUT_MS } from './defaults.js';
import { InstagramError, type InstagramErrorKind, messageOf, oneLine, tokenFreeCause } from './errors.js';
import { parseJson } from './http.js';
import { redact } from './redact.js';
import type { RawGraphError, RawOAuthError } from './types.js';

/** Host of the login dialog (Business Login for Instagram). */
export const DEFAULT_AUTHORIZE_URL = 'https://www.instagram.com';
/** Host of the code exchange. */
export const DEFAULT_OAUTH_URL = 'https://api.instagram.com';
/** All a feed needs: read the profile and media. */
export const DEFAULT_SCOPES = ['instagram_business_basic'] as const;

export type OAuthFailureReason =
  | 'denied' // the user pressed "Not now" / cancelled
  | 'state-mismatch' // the answer is not for this login attempt
  | 'no-code' // the redirect carried neither a code nor an error
  | 'code-rejected' // the code is unknown, used or older than 1 hour
  | 'redirect-uri' // redirect_uri differs from the one in the dialog URL
  | 'client' // app id or secret wrong
  | 'unavailable' // network or outage
  | 'rejected'; // anything else

/** A login step failed; `message` is one line: what failed, why, how to fix. */
export class InstagramOAuthError extends InstagramError {
  readonly reason: OAuthFailureReason;
  /** `error_type` (legacy shape) or `type` (Graph shape). */
  readonly errorType: string | undefined;
  readonly code: number | undefined;
  constructor(
    reason: OAuthFailureReason,
    what: string,
    fix: string,
    init: { errorType?: string; code?: number; kind?: InstagramErrorKind; cause?: unknown } = {},
  ) {
    super(init.kind ?? (reason === 'unavailable' ? 'transient' : 'auth'), what, fix, 'cause' in init ? { cause: init.cause } : undefined);
    this.name = 'InstagramOAuthError';
    this.reason = reason;
    this.errorType = init.errorType;
    this.code = init.code;
  }
}

export interface AuthorizeUrlOptions {
  /** The Instagram app id (Meta App Dashboard > Instagram > API setup with Instagram login), not the Meta app id. */
  clientId: string;
  /** Must be listed in the app's OAuth redirect URIs, character for character. */
  redirectUri: string;
  /** Random value echoed back in the redirect; check it. */
  state: string;
  /** @default ['instagram_business_basic'] */
  scopes?: readonly string[];
  /** Dialog origin. @default 'https://www.instagram.com' */
  authorizeUrl?: string;
  /** Ask for the password even when a session exists. */
  forceReauth?: boolean;
}

/** `https://www.instagram.com/oauth/authorize?client_id=…&redirect_uri=…&response_type=code&scope=…&state=…` */
export function buildAuthorizeUrl(options: AuthorizeUrlOptions): string {
  const url = new URL(`${root(options.authorizeUrl ?? DEFAULT_AUTHORIZE_URL, 'authorize URL')}/oauth/authorize`);
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', options.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', (options.scopes ?? DEFAULT_SCOPES).join(','));
  url.searchParams.set('state', options.state);
  if (options.forceReauth) url.searchParams.set('force_reauth', 'true');
  return url.toString();
}

const RETRY_LOGIN = 'Start the login again.';

/**
 * Reads the address Instagram redirected the browser to (or just its query string) and returns
 * the authorization code. Checks `state`, strips the `#_` Instagram appends, and turns
 * `?error=access_denied…` into an error.
 */
export function parseAuthorizationRedirect(input: string, expectedState: string): { code: string } {
  const text = input.trim();
  let params: URLSearchParams;
  try {
    params = /^[a-z][a-z0-9+.-]*:\/\//i.test(text)
      ? new URL(text).searchParams
      : new URLSearchParams(text.replace(/^[^?]*\?/, '').replace(/#.*$/, ''));
  } catch {
    throw new InstagramOAuthError(
      'no-code',
      'Instagram login failed: the pasted text is not the address the browser was sent to',
      `Paste the whole address from the browser's address bar. ${RETRY_LOGIN}`,
    );
  }
  const error = params.get('error');
  if (error) {
    const description = params.get('error_description') ?? params.get('error_reason') ?? error;
    const denied = error === 'access_denied';
    throw new InstagramOAuthError(
      denied ? 'denied' : 'rejected',
      `Instagram login failed: ${denied ? 'access was not allowed' : error} (${oneLine(description)})`,
      denied ? `Allow the app to access the account when Instagram asks. ${RETRY_LOGIN}` : RETRY_LOGIN,
    );
  }
  const state = params.get('state');
  if (state !== expectedState) {
    throw new InstagramOAuthError(
      'state-mismatch',
      `Instagram login failed: the answer's state ${state === null ? 'is missing' : 'does not match this login'}, so it may come from another login attempt or another site`,
      `Nothing was exchanged. ${RETRY_LOGIN}`,
    );
  }
  const code = params.get('code')?.replace(/#_?$/, '').trim();
  if (!code) {
    throw new InstagramOAuthError(
      'no-code',
      'Instagram login failed: the redirect carries no code',
      `Paste the whole address from the browser's address bar. ${RETRY_LOGIN}`,
    );
  }
  return { code };
}

export interface CodeExchangeOptions {
  clientId: string;
  clientSecret: string;
  /** Exactly the redirect_uri of the dialog URL. */
  redirectUri: string;
  code: string;
  /** Origin of the code exchange. @default 'https://api.instagram.com' */
  oauthUrl?: string;
  /** @default DEFAULT_TIMEOUT_MS (30_000) */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The short-lived (1 hour) token a login code is worth. */
export interface ShortLivedToken {
  accessToken: string;
  /** Kept as a string: ids exceed 2^53. */
  userId: string | undefined;
  permissions: string[];
}

const ENDPOINT = 'POST /oauth/access_token';

/**
 * `POST https://api.instagram.com/oauth/access_token` (form: client_id, client_secret,
 * grant_type=authorization_code, redirect_uri, code). Codes are single-use and valid for 1 hour, so
 * this is never retried. Answers `{data:[{access_token,user_id,permissions}]}` (the reference) or the
 * same fields flat; errors come in the legacy `{error_type, code, error_message}` shape or Graph's.
 */
export async function exchangeCodeForToken(options: CodeExchangeOptions): Promise<ShortLivedToken> {
  const secrets = [options.clientSecret, options.code];
  const url = `${root(options.oauthUrl ?? DEFAULT_OAUTH_URL, 'OAuth URL')}/oauth/access_token`;
  const form = new FormData();
  form.set('client_id', options.clientId);
  form.set('client_secret', options.clientSecret);
  form.set('grant_type', 'authorization_code');
  form.set('redirect_uri', options.redirectUri);
  form.set('code', options.code.replace(/#_?$/, ''));

  let response: Response;
  let text: string;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, {
      method: 'POST',
      body: form,
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      redirect: 'error',
    });
    text = await response.text();
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? 'no answer in time' : messageOf(error);
    throw new InstagramOAuthError(
      'unavailable',
      `Instagram login failed at ${ENDPOINT}: ${redact(oneLine(reason), secrets)}`,
      `Check the network (and --oauth-url), then start the login again.`,
      tokenFreeCause(error, secrets),
    );
  }

  const body = parseJson(text);
  const failure = oauthErrorOf(body);
  if (!response.ok || failure) throw codeExchangeError(response.status, failure, secrets);

  const entry = Array.isArray((body as { data?: unknown })?.data) ? (body as { data: unknown[] }).data[0] : body;
  const fields = (entry ?? {}) as { access_token?: unknown; user_id?: unknown; permissions?: unknown };
  if (typeof fields.access_token !== 'string' || !fields.access_token) {
    throw new InstagramOAuthError(
      'rejected',
      `Instagram login failed at ${ENDPOINT}: the answer holds no access_token`,
      'Check --oauth-url points at https://api.instagram.com.',
      { kind: 'invalid-response' },
    );
  }
  return {
    accessToken: fields.access_token,
    userId: userIdOf(text, fields.user_id),
    permissions: permissionsOf(fields.permissions),
  };
}

/** Both error shapes, legacy first: `{error_type, code, error_message}` and `{error:{message,type,code}}`. */
function oauthErrorOf(body: unknown): { type?: string; code?: number; message?: string } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const legacy = body as RawOAuthError & { error?: unknown; error_description?: unknown };
  if (typeof legacy.error_message === 'string' || typeof legacy.error_type === 'string') {
    return {
      ...(legacy.error_type ? { type: legacy.error_type } : {}),
      ...(typeof legacy.code === 'number' ? { code: legacy.code } : {}),
      ...(legacy.error_message ? { message: legacy.error_message } : {}),
    };
  }
  if (legacy.error && typeof legacy.error === 'object') {
    const graph = legacy.error as RawGraphError;
    return {
      ...(graph.type ? { type: graph.type } : {}),
      ...(typeof graph.code === 'number' ? { code: graph.code } : {}),
      ...(graph.message ? { message: graph.message } : {}),
    };
  }
  if (typeof legacy.error === 'string') {
    return { type: legacy.error, ...(typeof legacy.error_description === 'string' ? { message: legacy.error_description } : {}) };
  }
  return undefined;
}

function codeExchangeError(
  status: number,
  failure: { type?: string; code?: number; message?: string } | undefined,
  secrets: string[],
): InstagramOAuthError {
  const message = redact(oneLine(failure?.message ?? `HTTP ${status}`), secrets).replace(/\.$/, '');
  const label = [failure?.type, failure?.code ?? status].filter((part) => part !== undefined).join(' ');
  const what = `Instagram login failed at ${ENDPOINT} (${label}): ${message}`;
  const init = { ...(failure?.type ? { errorType: failure.type } : {}), ...(failure?.code !== undefined ? { code: failure.code } : {}) };
  if (status >= 500) return new InstagramOAuthError('unavailable', what, 'Instagram had a problem; start the login again later.', init);
  if (/matching code|code.*(?:used|expired|invalid)|verification code/i.test(message) && !/redirect_uri/i.test(message)) {
    return new InstagramOAuthError('code-rejected', what, 'A login code works once and for 1 hour only; start the login again.', init);
  }
  if (/redirect_uri|redirect uri/i.test(message)) {
    return new InstagramOAuthError(
      'redirect-uri',
      what,
      "Use the same redirect URI as in the login URL, listed under the app's OAuth redirect URIs, then start the login again.",
      init,
    );
  }
  if (/client.?secret|app secret/i.test(message)) {
    return new InstagramOAuthError(
      'client',
      what,
      'Set INSTAGRAM_APP_SECRET to the Instagram app secret (Meta App Dashboard > Instagram > API setup with Instagram login), not the Meta app secret.',
      init,
    );
  }
  if (/platform app|client.?id|app.?id|application/i.test(message)) {
    return new InstagramOAuthError(
      'client',
      what,
      'Use the Instagram app id (Meta App Dashboard > Instagram > API setup with Instagram login) as --client-id or INSTAGRAM_APP_ID, not the Meta app id.',
      init,
    );
  }
  return new InstagramOAuthError('rejected', what, 'Check the app id, secret and redirect URI, then start the login again.', init);
}

/** Numbers in the raw text keep their digits (JSON.parse would round ids beyond 2^53). */
function userIdOf(text: string, parsed: unknown): string | undefined {
  const raw = /"user_id"\s*:\s*"?(\d+)"?/.exec(text)?.[1];
  if (raw) return raw;
  return typeof parsed === 'string' && parsed ? parsed : undefined;
}

function permissionsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  if (typeof value === 'string')
    return value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  return [];
}

function root(url: string, name: string): string {
  const parsed = urlRoot(url);
  if (parsed === undefined) {
    throw new InstagramOAuthError(
      'rejected',
      `The ${name} "${url.slice(0, 80)}" is not a URL`,
      'Pass an origin such as https://api.instagram.com.',
      { kind: 'invalid-request' },
    );
  }
  return parsed;
}
