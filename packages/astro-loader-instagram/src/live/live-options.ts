import { z } from 'astro/zod';
import { LIVE_LOADER_DEFAULTS } from '../config-defaults.js';
import { type InstagramLoaderOptions, loaderOptionsShape } from '../options-schema.js';
import { validateOptions } from '../validate-options.js';

/**
 * The options of `instagramLiveLoader()` and the filters of `getLiveCollection()`: pieces of the
 * build loader's schema (options-schema.ts), so both accept and refuse the same values.
 */

/** The build loader's options that mean the same at request time. */
const LIVE_KEYS = {
  token: true,
  apiUrl: true,
  apiVersion: true,
  host: true,
  userId: true,
  limit: true,
  mediaTypes: true,
  since: true,
  filter: true,
  hide: true,
  hideTag: true,
  offFeedReels: true,
  timeoutMs: true,
  retries: true,
  maxRetryTimeMs: true,
  fetch: true,
} as const;

/**
 * Options of `instagramLiveLoader()`. `limit`, `mediaTypes`, `since` and `filter` are the collection's
 * defaults; a `getLiveCollection()` filter overrides them key by key. The curation options (`hide`,
 * `hideTag` @default '#nosite', `offFeedReels` @default 'hide') hold for the list and for one post.
 * `retries` @default 1, `timeoutMs` @default 10_000, `maxRetryTimeMs` @default 15_000 (a visitor is waiting).
 * `token` @default getSecret('INSTAGRAM_TOKEN') from astro:env/server, else process.env.INSTAGRAM_TOKEN.
 */
export type InstagramLiveLoaderOptions = Pick<InstagramLoaderOptions, keyof typeof LIVE_KEYS>;

/** Why the build loader's other options are refused here, named instead of "unknown option". */
const NOT_LIVE: Record<string, string> = {
  maxImageSize: 'live entries keep Instagram CDN URLs; size images with <Image> and image.remotePatterns',
  maxInputPixels: 'live entries keep Instagram CDN URLs; nothing is downloaded',
  concurrency: 'live entries keep Instagram CDN URLs; nothing is downloaded',
  downloadVideos: 'live entries keep Instagram CDN URLs; use instagramLoader() for local videos',
  onError: 'a live loader returns { error } to the page, which shows its fallback',
  maxStaleDays: 'a live loader keeps no last good feed; use route caching (Astro.cache) for that',
  staleAction: 'a live loader keeps no last good feed',
  tokenRefresh: 'refresh the token with `npx astro-loader-instagram refresh` or at build time; the server only reads it',
  tokenStore: 'the server reads the token from INSTAGRAM_TOKEN (astro:env) or `token`',
  now: 'only for build-time token ages',
  until: "pass it in getLiveCollection()'s filter",
  // A pinned post older than `limit` reaches is searched for through the whole feed: per request, that is
  // up to 100 API calls per visitor (a mistyped pin never stops looking).
  pin: 'a pinned post past `limit` would be searched for on every request; pin with instagramLoader(), or order posts in the page',
  links: 'live entries are the post as Instagram serves it; use instagramLoader() for `link`',
  fields: 'live entries are the post as Instagram serves it; use instagramLoader() for `extra`',
  transform: 'live entries are the post as Instagram serves it; shape them in the page',
};

const liveOptionsSchema = loaderOptionsShape.pick(LIVE_KEYS);

/** The options with the live defaults, or a throw of one line saying what is wrong (the loader returns it as `{ error }`). */
export function checkLiveOptions(options: InstagramLiveLoaderOptions): InstagramLiveLoaderOptions {
  const withDefaults = { ...LIVE_LOADER_DEFAULTS, ...options };
  validateOptions(liveOptionsSchema, withDefaults, {
    factory: 'instagramLiveLoader()',
    file: 'src/live.config.ts',
    notHere: NOT_LIVE,
  });
  return withDefaults; // as given: the build loader's resolveOptions() parses them again with its schema
}

/**
 * What `getLiveCollection('instagram', filter)` accepts: the build loader's filters, plus `until`
 * (the loader refuses an `until` before `since`, the filter's or the collection's).
 */
const collectionFilterSchema = loaderOptionsShape.pick({ limit: true, mediaTypes: true, since: true, until: true });

export interface InstagramLiveCollectionFilter {
  /** Keep only the newest `limit` posts (after the other filters). */
  limit?: number;
  /** Keep only these kinds of post. */
  mediaTypes?: InstagramLoaderOptions['mediaTypes'];
  /** Keep only posts published at or after this date. */
  since?: Date | string | number;
  /** Keep only posts published at or before this date. */
  until?: Date | string | number;
}

export type CheckedCollectionFilter = z.output<typeof collectionFilterSchema>;

/** The filter a page passed, checked; throws one line (turned into `{ error }` by the loader). */
export function checkCollectionFilter(filter: unknown, collection: string): CheckedCollectionFilter {
  return validateOptions(collectionFilterSchema, filter ?? {}, {
    factory: `getLiveCollection('${collection}', filter)`,
    file: 'the page that calls it',
  });
}

/** `getLiveEntry('instagram', id)`: a media id or a shortcode, or `{ id }` / `{ shortcode }`. */
export interface InstagramLiveEntryFilter {
  id?: string;
  shortcode?: string;
}

const entryFilterSchema = z.union(
  [z.strictObject({ id: z.string().trim().min(1) }), z.strictObject({ shortcode: z.string().trim().min(1) })],
  { error: 'an object with `id` (a media id or shortcode) or `shortcode`, e.g. getLiveEntry("instagram", { id: "C8abc123XyZ" })' },
);

/** Which post to read: by media id (one request) or by shortcode (read through the feed). */
export type EntryLookup = { id: string } | { shortcode: string };

export function checkEntryFilter(filter: unknown, collection: string): EntryLookup {
  const parsed = entryFilterSchema.safeParse(filter);
  if (!parsed.success) {
    throw new Error(`invalid getLiveEntry('${collection}', …) lookup: expected ${parsed.error.issues[0]?.message ?? 'an id'}`);
  }
  const value = parsed.data;
  if ('shortcode' in value) return { shortcode: value.shortcode };
  // Instagram media ids are decimal; anything else in `id` is a shortcode (what /p/<shortcode>/ URLs carry).
  return /^\d+$/.test(value.id) ? { id: value.id } : { shortcode: value.id };
}
