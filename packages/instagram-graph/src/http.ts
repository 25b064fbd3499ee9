import pRetry from 'p-retry';
import type { InstagramApiHost } from './api-url.js';
import { InstagramApiError, InstagramError, InstagramNetworkError } from './errors.js';
import { retryAfterFromHeaders } from './rate-limit.js';
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
}

/**
 * GET a Graph API URL and parse its JSON, retrying what is worth retrying.
 * `endpoint` is the token-free name used in messages (e.g. "GET /me/media").
 */
export async function getJson<T>(url: URL, endpoint: string, options: HttpOptions): Promise<T> {
  const sanitize = (text: string) => redact(text, [options.token]);
  let rateLimited = 0;
  /** Decided once per failure, in onFailedAttempt (which p-retry calls before shouldRetry). */
  let retryThisFailure = false;
  const worthRetrying = (error: unknown): boolean => {
    if (!(error instanceof InstagramError) || !error.retryable) return false;
    // Rate limits get one more try, after the wait Instagram asks for: "when the limit has been
    // reached, stop making API calls", since every call made meanwhile pushes access back further.
    if (error.kind === 'rate-limit' && ++rateLimited > 1) return false;
    // A server-requested wait longer than our budget means: give up now, it is an outage.
    const wait = error instanceof InstagramApiError ? (error.retryAfterMs ?? 0) : 0;
    return wait <= options.retry.maxRetryTimeMs;
  };

  return pRetry(
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
        retryThisFailure = worthRetrying(error);
        if (!retryThisFailure || retriesLeft === 0) return;
        const asked = error instanceof InstagramApiError ? (error.retryAfterMs ?? 0) : 0;
        // p-retry sleeps `retryDelay` after this; top it up to what the server asked for.
        const extraWaitMs = Math.max(0, asked - retryDelay);
        options.onRetry?.({ endpoint, attempt: attemptNumber, delayMs: retryDelay + extraWaitMs, error: error as InstagramError });
        if (extraWaitMs > 0) await sleep(extraWaitMs);
      },
      shouldRetry: () => retryThisFailure,
    },
  );
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

function parseJson(text: string): unknown {
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
