import type { InstagramApiHost } from './api-url.js';
import type { RawGraphError } from './types.js';

/** What went wrong, in the terms a site owner acts on. */
export type InstagramErrorKind =
  | 'auth' // token expired, revoked or malformed (code 190/102): make a new token
  | 'permission' // the token lacks a permission (code 10, 200-299)
  | 'rate-limit' // app, user or business-use-case limit (4, 17, 32, 613, 80001, 80002, HTTP 429)
  | 'transient' // 5xx, codes 1/2, is_transient, network failure, timeout
  | 'invalid-request' // bad field or parameter (100) or an id that does not exist
  | 'invalid-response'; // the body was not the JSON we expect

const AUTH_CODES = new Set([102, 190]);
const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 368, 613, 80001, 80002]);
const TRANSIENT_CODES = new Set([1, 2]);

const NEW_TOKEN_FIX =
  'Generate a new long-lived token (Meta App Dashboard > Instagram > API setup with Instagram login > Generate token) and set INSTAGRAM_TOKEN.';
/** With Facebook Login the token is a Page token, with other permissions. */
const NEW_PAGE_TOKEN_FIX =
  'Generate a new Page access token for the Facebook Page linked to the Instagram account (instagram_basic and pages_show_list permissions) and set INSTAGRAM_TOKEN.';
const FACEBOOK_FIXES: Partial<Record<InstagramErrorKind, string>> = {
  auth: NEW_PAGE_TOKEN_FIX,
  permission: 'Grant the instagram_basic and pages_show_list permissions to the app and generate a new Page access token.',
};

const FIXES: Record<InstagramErrorKind, string> = {
  auth: NEW_TOKEN_FIX,
  permission: 'Grant the instagram_business_basic permission to the app and generate a new token.',
  'rate-limit': 'Instagram rate-limited this app; wait before rebuilding and avoid frequent preview builds.',
  transient: 'Instagram or the network had a problem; rebuild later.',
  'invalid-request': 'Check the loader options (fields, apiVersion, apiUrl) against the Instagram API reference.',
  'invalid-response': 'The API answered with something unexpected; check apiUrl points at graph.instagram.com or a faithful proxy.',
};

/** Base class: `message` is one line saying what failed, why, and how to fix it. Never holds a token. */
export class InstagramError extends Error {
  readonly kind: InstagramErrorKind;
  readonly fix: string;
  constructor(kind: InstagramErrorKind, what: string, fix: string = FIXES[kind]) {
    super(`${what}. ${fix}`);
    this.name = 'InstagramError';
    this.kind = kind;
    this.fix = fix;
  }
  /** Worth another attempt: transient failures, rate limits and garbled (often truncated) bodies. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate-limit' || this.kind === 'invalid-response';
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

  constructor(init: {
    status: number;
    error?: RawGraphError;
    endpoint: string;
    retryAfterMs?: number;
    sanitize: (text: string) => string;
    /** Which login the token comes from: the fix for a dead token differs. @default 'instagram' */
    host?: InstagramApiHost;
  }) {
    const { status, error, endpoint } = init;
    const kind = classify(status, error);
    const codes =
      error?.code === undefined ? `HTTP ${status}` : `code ${error.code}${error.error_subcode ? `/${error.error_subcode}` : ''}`;
    const apiMessage = init.sanitize(oneLine(error?.message ?? `HTTP ${status}`));
    const wait = kind === 'rate-limit' && init.retryAfterMs ? ` Instagram asks to wait ${formatWait(init.retryAfterMs)}.` : '';
    super(kind, `Instagram API ${endpoint} failed (${codes}): ${apiMessage}`, `${fixFor(kind, error, init.host)}${wait}`);
    this.name = 'InstagramApiError';
    this.status = status;
    this.code = error?.code;
    this.subcode = error?.error_subcode;
    this.type = error?.type;
    this.fbtraceId = error?.fbtrace_id;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** The request never got an answer: connection refused or reset, DNS, TLS, timeout. */
export class InstagramNetworkError extends InstagramError {
  constructor(endpoint: string, reason: string) {
    super('transient', `Instagram API ${endpoint} failed: ${oneLine(reason)}`);
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
    if (code === 100) return 'invalid-request';
  }
  if (status === 429) return 'rate-limit';
  if (status >= 500) return 'transient';
  if (status === 401) return 'auth';
  return 'invalid-request';
}

function fixFor(kind: InstagramErrorKind, error: RawGraphError | undefined, host: InstagramApiHost = 'instagram'): string {
  const fix = (host === 'facebook' ? FACEBOOK_FIXES[kind] : undefined) ?? FIXES[kind];
  if (kind === 'auth' && error?.error_subcode === 460) {
    return `The password was changed or the session was reset, so the token is dead. ${fix}`;
  }
  if (kind === 'auth' && error?.error_subcode === 463) {
    return `Expired tokens cannot be refreshed. ${fix}`;
  }
  return fix;
}

function formatWait(ms: number): string {
  return ms >= 90_000 ? `${Math.ceil(ms / 60_000)} min` : `${Math.ceil(ms / 1000)} s`;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export { FIXES as ERROR_FIXES };
