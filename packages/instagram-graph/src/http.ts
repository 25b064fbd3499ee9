import pRetry from 'p-retry';
import { InstagramApiError, InstagramError, InstagramNetworkError, messageOf, tokenFreeCause, tokenKindOf } from './errors.js';
import type { InstagramApiHost } from './host.js';
import { RateLimitGate, retryAfterFromHeaders } from './rate-limit.js';
import { redact } from './redact.js';
import type { RawGraphError } from './types.js';

export interface RetryPolicy {
  /** Attempts after the first. @default 4 */
  retries: number;
  /** First backoff delay; doubles each time, jittered. @default 500 */
  minDelayMs: number;
  /** Cap on a single backoff delay. @default 30_000 */
  maxDelayMs: number;
  /** Total time allowed for retrying one request before it counts as an outage. @default 120_000 */
  maxRetryTimeMs: number;
}

export interface HttpOptions {
  token: string;
  /** Which login the token comes from, for the fix an error suggests. @default 'instagram' */
  host?: InstagramApiHost;
  /** Per-request timeout. @default 30_000 */
  timeoutMs: number;
  retry: RetryPolicy;
  fetch: typeof fetch;
  onRetry?: (info: { endpoint: string; attempt: number; delayMs: number; error: InstagramError }) => void;
  onResponse?: (info: { endpoint: string; headers: Headers }) => void;
  /** Shared by all requests of one client: a rate limit met by one holds the others back. @default a gate of this call's own */
  rateLimit?: RateLimitGate;
}

export interface RequestOptions {
  /**
   * The caller asks for less itself when Instagram answers "Please reduce the amount of data"
   * (code 1), so that answer comes back at once: the same request again would fail the same way.
   */
  canShrink?: boolean;
}

/**
 * GET a Graph API URL and parse its JSON, retrying what is worth retrying.
 * `endpoint` is the token-free name used in messages (e.g. "GET /me/media").
 */
export async function getJson<T>(url: URL, endpoint: string, options: HttpOptions, request: RequestOptions = {}): Promise<T> {
  const sanitize = (text: string) => redact(text, [options.token]);
  const started = performance.now();
  const budgetLeft = () => options.retry.maxRetryTimeMs - (performance.now() - started);
  // A call without a client (token endpoints) still gets the rate-limit policy, on a gate of its own.
  const pass = await (options.rateLimit ?? new RateLimitGate()).enter(endpoint, budgetLeft);

  let body: T;
  try {
    body = await pRetry(
      async () => {
        const target = new URL(url);
        target.searchParams.set('access_token', options.token);
        return fetchJsonOnce<T>(target, endpoint, options, sanitize);
      },
      {
        retries: options.retry.retries,
        minTimeout: options.retry.minDelayMs,
        maxTimeout: options.retry.maxDelayMs,
        maxRetryTime: options.retry.maxRetryTimeMs,
        factor: 2,
        randomize: true,
        // The one place a failure is judged: throwing here ends the retries with that error.
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
          if (!(error instanceof InstagramError) || !error.retryable) throw error;
          if (request.canShrink && error instanceof InstagramApiError && error.asksForLessData) throw error;
          const asked = askedWaitMs(error);
          // A wait longer than what is left of the budget means: give up now, it is an outage.
          const canRetry = retriesLeft > 0 && Math.max(asked, retryDelay) < budgetLeft();
          const retry = error.kind === 'rate-limit' ? pass.limited(error, asked, canRetry) : canRetry;
          if (!retry) throw error;
          // p-retry sleeps `retryDelay` after this; top it up to what the server asked for.
          const extraWaitMs = Math.max(0, asked - retryDelay);
          options.onRetry?.({ endpoint, attempt: attemptNumber, delayMs: retryDelay + extraWaitMs, error });
          if (extraWaitMs > 0) await sleep(extraWaitMs);
        },
      },
    );
  } catch (error) {
    // The probe's last word: refused again means an outage for the requests waiting on it.
    pass.finish(error instanceof InstagramError && error.kind === 'rate-limit' ? 'rate-limited' : 'failed');
    throw error;
  }
  // Instagram answered, so whatever limit held the other requests back is over.
  pass.finish('answered');
  return body;
}

/** The wait the server asked for (Retry-After or usage headers), in ms; 0 when it named none. */
function askedWaitMs(error: Error): number {
  return error instanceof InstagramApiError ? (error.retryAfterMs ?? 0) : 0;
}

async function fetchJsonOnce<T>(url: URL, endpoint: string, options: HttpOptions, sanitize: (text: string) => string): Promise<T> {
  let response: Response;
  let text: string;
  try {
    response = await options.fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
    text = await response.text();
  } catch (error) {
    throw new InstagramNetworkError(endpoint, sanitize(networkReason(error, options.timeoutMs)), tokenFreeCause(error, [options.token]));
  }
  options.onResponse?.({ endpoint, headers: response.headers });

  const body = parseJson(text);
  const graphError = errorOf(body);
  if (!response.ok || graphError) {
    throw new InstagramApiError({
      status: response.status,
      endpoint,
      sanitize,
      ...(options.host ? { host: options.host } : {}),
      tokenKind: tokenKindOf(options.token),
      ...(graphError ? { error: graphError } : {}),
      ...retryAfter(response.headers),
    });
  }
  if (body === undefined) {
    throw new InstagramError(
      'invalid-response',
      `Instagram API ${endpoint} answered ${response.status} with a body that is not JSON`,
      undefined,
      tokenFreeCause(jsonError(text), [options.token]),
    );
  }
  return body as T;
}

function retryAfter(headers: Headers): { retryAfterMs?: number } {
  const ms = retryAfterFromHeaders(headers);
  return ms === undefined ? {} : { retryAfterMs: ms };
}

/** JSON.parse's own complaint about `text` (it names the position where the body broke off). */
function jsonError(text: string): unknown {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return error;
  }
}

/** The body as JSON, or undefined when it is not (an HTML error page, a cut-off answer). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorOf(body: unknown): RawGraphError | undefined {
  if (!body || typeof body !== 'object' || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  return error && typeof error === 'object' ? (error as RawGraphError) : { message: String(error) };
}

function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message;
  const message = messageOf(error);
  return detail ? `${message} (${detail})` : message;
}

function sleep(ms: number): Promise<void> {
  // Not unref(): during a build this wait may be all that keeps the process alive.
  return new Promise((resolve) => setTimeout(resolve, ms));
}
