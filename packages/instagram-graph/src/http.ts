import pRetry from 'p-retry';
import { InstagramApiError, InstagramError, InstagramNetworkError, tokenKindOf } from './errors.js';
import type { InstagramApiHost } from './host.js';
import { type RateLimitGate, retryAfterFromHeaders } from './rate-limit.js';
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
  /** Shared by all requests of one client: a rate limit met by one holds the others back. */
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
  const gate = options.rateLimit;
  const started = performance.now();
  const budgetLeft = () => options.retry.maxRetryTimeMs - (performance.now() - started);
  await gate?.pass(endpoint, budgetLeft);
  let rateLimited = 0;
  /** Set while this request is the one probing a rate limit for the others. */
  let settleProbe: ((answered: boolean) => void) | undefined;
  const decisions = new WeakMap<Error, boolean>();
  /** Whether a failure gets another attempt, decided once whichever p-retry hook asks first. */
  const decide = (error: Error, retryDelay: number): boolean => {
    let retry = decisions.get(error);
    if (retry === undefined) {
      retry = worthRetrying(error, retryDelay);
      decisions.set(error, retry);
    }
    return retry;
  };
  const worthRetrying = (error: Error, retryDelay: number): boolean => {
    if (!(error instanceof InstagramError) || !error.retryable) return false;
    if (request.canShrink && error instanceof InstagramApiError && error.asksForLessData) return false;
    const asked = askedWaitMs(error);
    // Rate limits get one more try, after the wait Instagram asks for: "when the limit has been
    // reached, stop making API calls", since every call made meanwhile pushes access back further.
    if (error.kind === 'rate-limit' && ++rateLimited > 1) return false;
    // A wait longer than what is left of the budget means: give up now, it is an outage.
    return Math.max(asked, retryDelay) < budgetLeft();
  };

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
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
          const retry = retriesLeft > 0 && decide(error, retryDelay);
          if (gate && error instanceof InstagramError && error.kind === 'rate-limit') {
            gate.limited(askedWaitMs(error));
            if (retry) settleProbe ??= gate.startProbe();
            else if (!settleProbe) gate.gaveUp(askedWaitMs(error));
          }
          if (!retry) return;
          // p-retry sleeps `retryDelay` after this; top it up to what the server asked for.
          const extraWaitMs = Math.max(0, askedWaitMs(error) - retryDelay);
          options.onRetry?.({ endpoint, attempt: attemptNumber, delayMs: retryDelay + extraWaitMs, error: error as InstagramError });
          if (extraWaitMs > 0) await sleep(extraWaitMs);
        },
        shouldRetry: ({ error, retryDelay }) => decide(error, retryDelay),
      },
    );
  } catch (error) {
    // The probe's last word: refused again means an outage for the requests waiting on it.
    settleProbe?.(!(error instanceof InstagramError && error.kind === 'rate-limit'));
    throw error;
  }
  // Instagram answered, so whatever limit held the other requests back is over.
  settleProbe?.(true);
  gate?.open();
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
    throw new InstagramNetworkError(endpoint, sanitize(networkReason(error, options.timeoutMs)));
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
    throw new InstagramError('invalid-response', `Instagram API ${endpoint} answered ${response.status} with a body that is not JSON`);
  }
  return body as T;
}

function retryAfter(headers: Headers): { retryAfterMs?: number } {
  const ms = retryAfterFromHeaders(headers);
  return ms === undefined ? {} : { retryAfterMs: ms };
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
  const message = error instanceof Error ? error.message : String(error);
  return detail ? `${message} (${detail})` : message;
}

function sleep(ms: number): Promise<void> {
  // Not unref(): during a build this wait may be all that keeps the process alive.
  return new Promise((resolve) => setTimeout(resolve, ms));
}
