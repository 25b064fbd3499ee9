import type { InstagramApiHost } from './host.js';
import type { RawGraphError } from './types.js';

/** What went wrong, in the terms a site owner acts on. */
export type InstagramErrorKind =
  | 'auth' // token expired, revoked or malformed (code 190/102): make a new token
  | 'permission' // the token lacks a permission (code 10, 200-299)
  | 'rate-limit' // app, user or business-use-case limit (4, 17, 32, 613, 80001, 80002, HTTP 429)
  | 'transient' // 5xx, codes 1/2/-1/-2, is_transient, IGApiException, network failure, timeout
  | 'invalid-request' // bad field or parameter (100) or an id that does not exist
  | 'invalid-response'; // the body was not the JSON we expect

const AUTH_CODES = new Set([102, 190]);
const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 368, 613, 80001, 80002]);
/** -1 "Instagram server error. Try again." and -2 "It takes too long" come from Instagram's own error table. */
const TRANSIENT_CODES = new Set([1, 2, -1, -2]);

/** Which login a token belongs to, told by its prefix alone: the token itself never reaches an error. */
export type TokenKind = 'facebook' | 'instagram' | 'unknown';

export function tokenKindOf(token: string): TokenKind {
  if (token.startsWith('EAA')) return 'facebook';
  if (token.startsWith('IG')) return 'instagram';
  return 'unknown';
}

/** Code 1 "Please reduce the amount of data you're asking for": the cure is a smaller request, not the same one again. */
const LESS_DATA = /reduce the amount of data/i;

const NEW_TOKEN_FIX =
  'Generate a new long-lived token (Meta App Dashboard > Instagram > API setup with Instagram login > Generate token) and set INSTAGRAM_TOKEN.';
/** With Facebook Login the token is a Page token, with other permissions. */
const FACEBOOK_PERMISSIONS =
  'instagram_basic, pages_read_engagement and pages_show_list (plus business_management when a Business Manager owns the Page)';
const NEW_PAGE_TOKEN_FIX = `Generate a new Page access token from a long-lived User token (npx astro-loader-instagram facebook-token), or use a long-lived User token, with ${FACEBOOK_PERMISSIONS}, and set INSTAGRAM_TOKEN.`;
const FACEBOOK_FIXES: Partial<Record<InstagramErrorKind, string>> = {
  auth: NEW_PAGE_TOKEN_FIX,
  permission: `Grant ${FACEBOOK_PERMISSIONS} to the app and generate a new Page access token (npx astro-loader-instagram facebook-token).`,
};
/** "Cannot parse access token": a token of the other login sent to this host. */
const WRONG_HOST_FIXES: Partial<Record<InstagramApiHost, Partial<Record<TokenKind, string>>>> = {
  instagram: {
    facebook:
      "This is a Facebook Login token (EAA…), which graph.instagram.com cannot read: set host: 'facebook' and userId (the Instagram account id) instead of generating a new token.",
  },
  facebook: {
    instagram:
      "This is an Instagram Login token (IG…), which graph.facebook.com cannot read: remove host: 'facebook' (and userId) so it goes to graph.instagram.com.",
  },
};
const LESS_DATA_FIX = 'Instagram found the answer too large, even after the media pages were shrunk to 25 posts; rebuild later.';

const FIXES: Record<InstagramErrorKind, string> = {
  auth: NEW_TOKEN_FIX,
  permission: 'Grant the instagram_business_basic permission to the app and generate a new token.',
  'rate-limit': 'Instagram rate-limited this app; wait before rebuilding and avoid frequent preview builds.',
  transient: 'Instagram or the network had a problem; rebuild later.',
  'invalid-request': 'Check the loader options (fields, apiVersion, apiUrl) against the Instagram API reference.',
  'invalid-response': 'The API answered with something unexpected; check apiUrl points at graph.instagram.com or a faithful proxy.',
};

/**
 * Base class: `message` is one line, `${what}. ${fix}`: what failed and why, then how to fix it.
 * `what` and `fix` are also fields, so nobody has to cut the fix back off the message. Never holds a
 * token; `cause` (when set) is the token-free error this one wraps (see `tokenFreeCause`).
 */
export class InstagramError extends Error {
  readonly kind: InstagramErrorKind;
  /** What failed and why, without the fix. */
  readonly what: string;
  /** What the site owner does about it. */
  readonly fix: string;
  constructor(kind: InstagramErrorKind, what: string, fix: string = FIXES[kind], options?: ErrorOptions) {
    // Instagram's own words often end in a full stop already ("Instagram server error. Try again.").
    super(`${what}${/[.!?]$/.test(what) ? '' : '.'} ${fix}`, options);
    this.name = 'InstagramError';
    this.kind = kind;
    this.what = what;
    this.fix = fix;
  }
  /** Worth another attempt: transient failures, rate limits and garbled (often truncated) bodies. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate-limit' || this.kind === 'invalid-response';
  }
}

/** `error.message` for an Error, else the value as text: for the lines that quote a failure. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * `{ cause: error }` when no secret shows anywhere in the error or its own causes (message or
 * stack), else `{}`: an error of fetch or of the file system keeps its `code` and stack for
 * debugging, while one that quotes a URL with `access_token=` is dropped rather than leaked.
 */
export function tokenFreeCause(error: unknown, secrets: ReadonlyArray<string | undefined> = []): { cause?: unknown } {
  const words = secrets.filter((secret): secret is string => !!secret && secret.length >= 8);
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    const text = current instanceof Error ? `${current.message}\n${current.stack ?? ''}` : safeString(current);
    if (/[?&](?:access_token|client_secret|input_token|fb_exchange_token|code)=/i.test(text)) return {};
    if (words.some((word) => text.includes(word))) return {};
    current = current instanceof Error ? current.cause : undefined;
  }
  return error === undefined ? {} : { cause: error };
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  } catch {
    return String(value);
  }
}

/** The Graph API answered with an error body (or a bare HTTP error status). */
export class InstagramApiError extends InstagramError {
  readonly status: number;
  readonly code: number | undefined;
  readonly subcode: number | undefined;
  readonly type: string | undefined;
  readonly fbtraceId: string | undefined;
  /** Server-requested wait before retrying (Retry-After or usage headers), in ms. */
  readonly retryAfterMs: number | undefined;
  /** Code 1 "Please reduce the amount of data you're asking for" (in `message`, or only in `error_user_msg`). */
  readonly asksForLessData: boolean;
  /** Instagram's own words (token-free), without our endpoint or fix around them. */
  readonly apiMessage: string;

  constructor(init: {
    status: number;
    error?: RawGraphError;
    endpoint: string;
    retryAfterMs?: number;
    sanitize: (text: string) => string;
    /** Which login the token comes from: the fix for a dead token differs. @default 'instagram' */
    host?: InstagramApiHost;
    /** The token's prefix kind, to tell a token sent to the wrong host. @default 'unknown' */
    tokenKind?: TokenKind;
  }) {
    const { status, error, endpoint } = init;
    const kind = classify(status, error);
    const codes =
      error?.code === undefined ? `HTTP ${status}` : `code ${error.code}${error.error_subcode ? `/${error.error_subcode}` : ''}`;
    const apiMessage = init.sanitize(oneLine(apiText(error) ?? `HTTP ${status}`));
    const wait = kind === 'rate-limit' && init.retryAfterMs ? ` Instagram asks to wait ${formatWait(init.retryAfterMs)}.` : '';
    const fix = fixFor(kind, error, init.host, init.tokenKind);
    super(kind, `Instagram API ${endpoint} failed (${codes}): ${apiMessage}`, `${fix}${wait}`);
    this.name = 'InstagramApiError';
    this.status = status;
    this.code = error?.code;
    this.subcode = error?.error_subcode;
    this.type = error?.type;
    this.fbtraceId = error?.fbtrace_id;
    this.retryAfterMs = init.retryAfterMs;
    this.asksForLessData = asksForLessData(error);
    this.apiMessage = apiMessage;
  }
}

function asksForLessData(error: RawGraphError | undefined): boolean {
  return error?.code === 1 && LESS_DATA.test(`${error.message ?? ''} ${error.error_user_msg ?? ''}`);
}

/** `message`, with `error_user_title`/`error_user_msg` after it: sometimes only those say what to do. */
function apiText(error: RawGraphError | undefined): string | undefined {
  if (!error) return undefined;
  const user = [error.error_user_title, error.error_user_msg].filter((part) => part && !error.message?.includes(part)).join(': ');
  if (!user) return error.message;
  return error.message ? `${error.message} (${user})` : user;
}

/** The request never got an answer: connection refused or reset, DNS, TLS, timeout. */
export class InstagramNetworkError extends InstagramError {
  /** `options.cause`: fetch's own error (its `cause.code` says ECONNRESET, ENOTFOUND...), when token-free. */
  constructor(endpoint: string, reason: string, options?: ErrorOptions) {
    super('transient', `Instagram API ${endpoint} failed: ${oneLine(reason)}`, undefined, options);
    this.name = 'InstagramNetworkError';
  }
}

function classify(status: number, error: RawGraphError | undefined): InstagramErrorKind {
  const code = error?.code;
  if (code !== undefined) {
    if (AUTH_CODES.has(code)) return 'auth';
    if (RATE_LIMIT_CODES.has(code)) return 'rate-limit';
    if (code === 10 || (code >= 200 && code <= 299)) return 'permission';
    if (TRANSIENT_CODES.has(code) || error?.is_transient) return 'transient';
    // graph.instagram.com also answers "Unsupported request - method type: get" as IGApiException
    // code 100: a wrong request, not a hiccup.
    if (code === 100) return 'invalid-request';
  }
  // Instagram's own server errors ("Instagram server error", "It takes too long") come as IGApiException.
  if (error?.type === 'IGApiException') return 'transient';
  if (status === 429) return 'rate-limit';
  if (status >= 500) return 'transient';
  if (status === 401) return 'auth';
  return 'invalid-request';
}

function fixFor(
  kind: InstagramErrorKind,
  error: RawGraphError | undefined,
  host: InstagramApiHost = 'instagram',
  tokenKind: TokenKind = 'unknown',
): string {
  if (kind === 'auth' && /cannot parse access token/i.test(error?.message ?? '')) {
    const wrongHost = WRONG_HOST_FIXES[host]?.[tokenKind];
    if (wrongHost) return wrongHost;
  }
  if (asksForLessData(error)) return LESS_DATA_FIX;
  const fix = (host === 'facebook' ? FACEBOOK_FIXES[kind] : undefined) ?? FIXES[kind];
  if (kind === 'auth' && error?.error_subcode === 460) {
    return `The password was changed or the session was reset, so the token is dead. ${fix}`;
  }
  if (kind === 'auth' && error?.error_subcode === 463) {
    return `Expired tokens cannot be refreshed. ${fix}`;
  }
  return fix;
}

export function formatWait(ms: number): string {
  return ms >= 90_000 ? `${Math.ceil(ms / 60_000)} min` : `${Math.ceil(ms / 1000)} s`;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export { FIXES as ERROR_FIXES };
