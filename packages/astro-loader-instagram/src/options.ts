import type { InstagramPost, MediaType } from 'instagram-graph';

export interface InstagramLoaderOptions {
  /**
   * Long-lived Instagram access token (Instagram API with Instagram Login).
   * @default process.env.INSTAGRAM_TOKEN
   */
  token?: string;
  /**
   * API origin, for proxies and tests. When not given, the `INSTAGRAM_API_URL` environment
   * variable is used, then Instagram itself.
   * @default process.env.INSTAGRAM_API_URL ?? 'https://graph.instagram.com'
   */
  apiUrl?: string;
  /** Graph API version. @default 'v25.0' */
  apiVersion?: string;
  /** Keep only the newest `limit` posts. @default all (Instagram serves up to 10,000) */
  limit?: number;
  /** Keep only these kinds of post. `'reel'` matches videos published as Reels. @default all */
  mediaTypes?: Array<MediaType | 'reel'>;
  /** Keep only posts published at or after this date. */
  since?: Date | string | number;
  /** Keep only posts for which this returns true (runs after `mediaTypes`). */
  filter?: (post: InstagramPost) => boolean;
  /** Longest edge, in px, of the images stored for the site. Larger sources are scaled down. @default 1080 */
  maxImageSize?: number;
  /** Refuse source images with more pixels than this (decompression bombs). @default 40_000_000 */
  maxInputPixels?: number;
  /** Images downloaded and processed at once. @default 4 */
  concurrency?: number;
  /**
   * What to do when Instagram cannot be read (outage, dead token) and a previous sync exists:
   * `'keep'` keeps the last good posts and images and warns; `'fail'` fails the build.
   * Without a previous sync the build always fails.
   * @default 'keep'
   */
  onError?: 'keep' | 'fail';
  /** Per-request timeout in ms for API calls and image downloads. @default 30_000 */
  timeoutMs?: number;
  /** Retries for transient API and download failures. @default 4 */
  retries?: number;
  /** Total time in ms allowed for retrying one API request before it counts as an outage. @default 120_000 */
  maxRetryTimeMs?: number;
  /** Injected fetch, for tests and unusual runtimes. @default globalThis.fetch */
  fetch?: typeof fetch;
}

export interface ResolvedOptions {
  token: string | undefined;
  apiUrl: string;
  apiVersion: string | undefined;
  limit: number | undefined;
  mediaTypes: ReadonlyArray<MediaType | 'reel'> | undefined;
  since: Date | undefined;
  filter: ((post: InstagramPost) => boolean) | undefined;
  maxImageSize: number;
  maxInputPixels: number;
  concurrency: number;
  onError: 'keep' | 'fail';
  timeoutMs: number;
  retries: number;
  maxRetryTimeMs: number;
  fetch: typeof fetch;
}

const DEFAULT_API_URL = 'https://graph.instagram.com';

/** Applies defaults and the environment. Reads `process.env` at load time, not import time. */
export function resolveOptions(options: InstagramLoaderOptions, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const token = (options.token ?? env.INSTAGRAM_TOKEN)?.trim() || undefined;
  return {
    token,
    apiUrl: options.apiUrl || env.INSTAGRAM_API_URL?.trim() || DEFAULT_API_URL,
    apiVersion: options.apiVersion,
    limit: positive('limit', options.limit),
    mediaTypes: options.mediaTypes,
    since: toDate(options.since),
    filter: options.filter,
    maxImageSize: positive('maxImageSize', options.maxImageSize) ?? 1080,
    maxInputPixels: positive('maxInputPixels', options.maxInputPixels) ?? 40_000_000,
    concurrency: positive('concurrency', options.concurrency) ?? 4,
    onError: options.onError ?? 'keep',
    timeoutMs: positive('timeoutMs', options.timeoutMs) ?? 30_000,
    retries: options.retries ?? 4,
    maxRetryTimeMs: options.maxRetryTimeMs ?? 120_000,
    fetch: options.fetch ?? globalThis.fetch,
  };
}

function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`astro-loader-instagram: option "${name}" must be a positive number, got ${String(value)}.`);
  }
  return Math.floor(value);
}

function toDate(value: Date | string | number | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new Error(`astro-loader-instagram: option "since" is not a date: ${String(value)}. Use a Date or an ISO string like "2026-01-01".`);
  }
  return date;
}
