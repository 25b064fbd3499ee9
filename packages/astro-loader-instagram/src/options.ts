import type { InstagramApiHost, InstagramPost, MediaType } from 'instagram-graph';

export interface InstagramLoaderOptions {
  /**
   * Long-lived Instagram access token (Instagram API with Instagram Login).
   * @default INSTAGRAM_TOKEN from the environment, else from the site's `.env` files for the mode
   *   (`.env`, `.env.local`, `.env.[mode]`, `.env.[mode].local`), as Astro reads them
   */
  token?: string;
  /**
   * API origin, for proxies and tests. When not given, `INSTAGRAM_API_URL` (environment, then
   * `.env` files, like `token`) is used, then Instagram itself.
   * @default INSTAGRAM_API_URL ?? 'https://graph.instagram.com'
   */
  apiUrl?: string;
  /** Graph API version. @default 'v25.0' */
  apiVersion?: string;
  /**
   * `'instagram'`: Instagram API with Instagram Login (graph.instagram.com, 60-day tokens).
   * `'facebook'`: Instagram API with Facebook Login (graph.facebook.com, a Page token that need not
   * expire; needs `userId`, the Instagram professional account id linked to the Page).
   * @default 'instagram'
   */
  host?: InstagramApiHost;
  /** Instagram professional account id. Required with `host: 'facebook'`. @default 'me' */
  userId?: string;
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
  /**
   * Posts whose images are downloaded and processed at once. Downloads mostly wait on the CDN while
   * sharp works, so this is well above the core count (with 100 ms per CDN request, 1,000 posts sync
   * in 24 s at 16, 32 s at 8, 47 s at 4). @default 16
   */
  concurrency?: number;
  /**
   * Also download each video's MP4 (posts and album items), so pages can play it with a local
   * `<video>` (entry field `video`). Needs the integration, which publishes the files with the site.
   * @default false
   */
  downloadVideos?: boolean;
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
  /**
   * Keep the token alive: once it is 24 hours old by our records, builds refresh it (another 60
   * days) and keep the result in `tokenStore`, so the next build uses the newest token. Builds
   * also warn when the token expires within 14 days. Needs a cacheDir kept between builds.
   * @default true
   */
  tokenRefresh?: boolean;
  /**
   * JSON file (mode 0600) where refreshed tokens and their expiry are kept. Never put it in `public/`
   * or in git. The CLI (`npx astro-loader-instagram`) reads and writes the same file with `--store`.
   * @default '<cacheDir>/astro-loader-instagram/token.json'
   */
  tokenStore?: string;
  /**
   * For tests only: the clock used for token ages and expiry warnings. The environment variable
   * `ASTRO_LOADER_INSTAGRAM_NOW` (an ISO date) does the same for a whole build.
   * @default () => new Date()
   */
  now?: () => Date;
}

export interface ResolvedOptions {
  token: string | undefined;
  apiUrl: string;
  apiVersion: string | undefined;
  host: InstagramApiHost;
  userId: string | undefined;
  limit: number | undefined;
  mediaTypes: ReadonlyArray<MediaType | 'reel'> | undefined;
  since: Date | undefined;
  filter: ((post: InstagramPost) => boolean) | undefined;
  maxImageSize: number;
  maxInputPixels: number;
  concurrency: number;
  downloadVideos: boolean;
  onError: 'keep' | 'fail';
  timeoutMs: number;
  retries: number;
  maxRetryTimeMs: number;
  fetch: typeof fetch;
  tokenRefresh: boolean;
  tokenStore: string | undefined;
  now: () => Date;
}

const DEFAULT_API_URL = 'https://graph.instagram.com';
const FACEBOOK_API_URL = 'https://graph.facebook.com';

/** Applies defaults and the environment (`siteEnv`: process.env over the site's .env files), read at load time, not import time. */
export function resolveOptions(options: InstagramLoaderOptions, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const token = (options.token ?? env.INSTAGRAM_TOKEN)?.trim() || undefined;
  return {
    token,
    apiUrl: options.apiUrl || env.INSTAGRAM_API_URL?.trim() || (options.host === 'facebook' ? FACEBOOK_API_URL : DEFAULT_API_URL),
    apiVersion: options.apiVersion,
    host: options.host ?? 'instagram',
    userId: options.userId?.trim() || undefined,
    limit: positive('limit', options.limit),
    mediaTypes: options.mediaTypes,
    since: toDate(options.since),
    filter: options.filter,
    maxImageSize: positive('maxImageSize', options.maxImageSize) ?? 1080,
    maxInputPixels: positive('maxInputPixels', options.maxInputPixels) ?? 40_000_000,
    concurrency: positive('concurrency', options.concurrency) ?? 16,
    downloadVideos: options.downloadVideos ?? false,
    onError: options.onError ?? 'keep',
    timeoutMs: positive('timeoutMs', options.timeoutMs) ?? 30_000,
    retries: options.retries ?? 4,
    maxRetryTimeMs: options.maxRetryTimeMs ?? 120_000,
    fetch: options.fetch ?? globalThis.fetch,
    tokenRefresh: options.tokenRefresh ?? true,
    tokenStore: options.tokenStore?.trim() || undefined,
    now: options.now ?? clockFromEnv(env.ASTRO_LOADER_INSTAGRAM_NOW),
  };
}

/** `ASTRO_LOADER_INSTAGRAM_NOW` (ISO date) pins the token clock, for tests. */
function clockFromEnv(value: string | undefined): () => Date {
  if (!value?.trim()) return () => new Date();
  const fixed = new Date(value.trim());
  if (Number.isNaN(fixed.getTime())) {
    throw new Error(
      `astro-loader-instagram: ASTRO_LOADER_INSTAGRAM_NOW is not a date: ${value.slice(0, 40)}. Use an ISO date like "2026-11-23T12:00:00Z", or unset it.`,
    );
  }
  return () => new Date(fixed);
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
    throw new Error(
      `astro-loader-instagram: option "since" is not a date: ${String(value)}. Use a Date or an ISO string like "2026-01-01".`,
    );
  }
  return date;
}
