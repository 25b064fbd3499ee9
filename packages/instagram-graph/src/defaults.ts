import type { RetryPolicy } from './http.js';

/**
 * Timeouts and retry policies, in one place for every caller: the client, the token calls and the
 * loader's image downloads (which take `retries` and `minDelayMs` from here).
 */

/** Per-request timeout for every Graph API, OAuth and token call. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Reading the feed: worth waiting up to two minutes for Instagram to answer again. */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  retries: 4,
  minDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryTimeMs: 120_000,
});

/**
 * Token calls (refresh, exchange, debug_token, Facebook Pages): someone is waiting on them, at a
 * terminal or in a build that goes on without them, so fewer and shorter retries: a minute at most.
 */
export const TOKEN_RETRY: Readonly<RetryPolicy> = Object.freeze({
  ...DEFAULT_RETRY,
  retries: 2,
  maxDelayMs: 10_000,
  maxRetryTimeMs: 60_000,
});

/**
 * `base` with the caller's values on top; an `undefined` value keeps the default (a plain spread
 * would let `{ retries: undefined }` erase it), as ky's `normalizeRetryOptions` does.
 */
export function retryPolicy(base: Readonly<RetryPolicy>, overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...base };
  for (const key of Object.keys(policy) as Array<keyof RetryPolicy>) {
    const value = overrides[key];
    if (value !== undefined) policy[key] = value;
  }
  return policy;
}
