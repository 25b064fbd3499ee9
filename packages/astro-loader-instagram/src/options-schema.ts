import { z } from 'astro/zod';
import type { InstagramApiHost, InstagramPost, MediaType } from 'instagram-graph';
import { INTEGRATION_DEFAULTS, LOADER_DEFAULTS, TAGGED_LOADER_DEFAULTS } from './config-defaults.js';
import { curationShape, sinceBeforeUntil } from './curation/options-shape.js';
import { FIELD_NAME, type InstagramTransform } from './extra-fields.js';
import { isLinkKey } from './post-link.js';

/**
 * The options of `instagramLoader()`, `instagramProfileLoader()` and the integration: the documented
 * types users write, and the strict schemas that check them when the loader is created. Defaults
 * come from config-defaults.ts. `token`, `apiUrl` and `now` fall back to the environment at load
 * time (options.ts), so they have no default here.
 */

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
  // Curation (README "Curation"): the owner decides from the Instagram app or with a list here.
  /**
   * Posts never shown: each a post link (`/p/`, `/reel/`, `/tv/`), a shortcode or a media id. `limit`
   * counts after hiding. An entry that matches no post is a warning, not a failure.
   * @default []
   */
  hide?: string[];
  /**
   * Posts whose caption has this hashtag (anywhere, any case) are never shown: the owner hides a post
   * from the Instagram app by editing its caption. `false` turns it off.
   * @default '#nosite'
   */
  hideTag?: string | false;
  /**
   * Posts shown first, in this order (same forms as `hide`): their entries carry `pinned: 1, 2, ...`
   * and `sortPosts()` and `<InstagramFeed>` put them first. A pinned post is kept even when it is
   * older than `limit` would reach (the feed is read on until it is found). Instagram's API does not
   * say which posts are pinned on the profile.
   * @default []
   */
  pin?: string[];
  /** Keep only posts published at or before this date (same forms as `since`). */
  until?: Date | string | number;
  /**
   * Reels the owner kept off the main grid (Instagram's "Also share to feed" turned off): `'hide'`
   * leaves them out, as the profile grid does; `'keep'` shows them like any post.
   * @default 'hide'
   */
  offFeedReels?: 'hide' | 'keep';
  /**
   * Each post's link (the entry's `link`, a button on its tile), by shortcode, permalink or media
   * id: `{ DAbC123xyz: 'https://shop.example/mug' }` or `{ DAbC123xyz: { url, label: 'Shop' } }`.
   * Wins over a link in the caption. Only http(s) URLs.
   * @default none (links come from captions only)
   */
  links?: Record<string, string | { url: string; label?: string }>;
  /**
   * More IG Media fields to request (names only, e.g. `['media_product_type', 'is_comment_enabled']`);
   * their values reach `entry.data.extra` as Instagram served them. A field Instagram refuses is
   * left out with one warning.
   * @default none (`extra` is `{}`)
   */
  fields?: string[];
  /**
   * Shapes each entry's data after the loader built it: `(post, raw) => ({ ...post, mood: ... })`, with
   * `raw` the media item as Instagram served it. Extend `instagramPostSchema` with the fields it adds
   * and pass that as the collection's `schema`, so their types are inferred.
   * @default none (the entry data as built)
   */
  transform?: InstagramTransform;
  /**
   * Longest edge, in px, of the images stored for the site. Larger sources are scaled down. The default
   * keeps every size Instagram serves (1080x1080, 1080x1350, 1080x1440, 1080x566, 1080x1920) as it is.
   * @default 1920
   */
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
  /**
   * After this many days on the last good sync (Instagram unreadable: dead or revoked token, outage),
   * stop showing it: `staleAction` says how. Counted from the last successful sync.
   * @default off (the last good sync is kept for as long as Instagram cannot be read)
   */
  maxStaleDays?: number;
  /**
   * With `maxStaleDays`: `'fail'` fails the build (the deployed site stays as it was); `'empty'`
   * builds with an empty collection, so pages show no posts instead of months-old ones.
   * @default 'fail'
   */
  staleAction?: 'fail' | 'empty';
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

/** The options that only filter the feed: not for the profile loader. */
export const FEED_ONLY_OPTIONS = [
  'limit',
  'mediaTypes',
  'since',
  'filter',
  'concurrency',
  'hide',
  'hideTag',
  'pin',
  'until',
  'offFeedReels',
  'links',
] as const;

/** The options that shape post entries: not for the profile loader. */
export const POST_SHAPE_OPTIONS = ['fields', 'transform'] as const;

/** Options shared with `instagramLoader`; feed filters and post shaping do not apply to a profile. */
export type InstagramProfileLoaderOptions = Omit<
  InstagramLoaderOptions,
  (typeof FEED_ONLY_OPTIONS)[number] | (typeof POST_SHAPE_OPTIONS)[number]
>;

// Each schema's `error` says what was expected; validate-options.ts adds the option name and the value given.
const positive = (expected: string) =>
  z
    .number({ error: expected })
    .positive({ error: expected })
    .transform((value) => Math.floor(value));
const function_ = <T>(expected: string) => z.custom<T>((value) => typeof value === 'function', { error: expected });
/** Blank counts as not given. */
const optionalText = z
  .string({ error: 'a string' })
  .optional()
  .transform((value) => value?.trim() || undefined);

// `links`: a javascript: or data: URL is refused here, not silently dropped, so the owner hears of it.
const linkUrlExpected = 'an http(s) URL like "https://shop.example/mug", or { url, label }';
const linkUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: linkUrlExpected });
const linksSchema = z
  .record(
    z.string(),
    z.union([linkUrl, z.strictObject({ url: linkUrl, label: z.string({ error: 'a string' }).optional() })], { error: linkUrlExpected }),
    { error: 'an object like { DAbC123xyz: "https://shop.example/mug" }' },
  )
  .superRefine((links, context) => {
    for (const key of Object.keys(links)) {
      if (isLinkKey(key)) continue;
      const message = 'under a post\'s shortcode (like "DAbC123xyz", from instagram.com/p/DAbC123xyz/), permalink or media id';
      context.addIssue({ code: 'custom', path: [key], input: key, message });
    }
  });

const sharedShape = {
  token: z.string({ error: 'a string (the access token)' }).optional(),
  apiUrl: z.string({ error: 'a URL string like "https://graph.instagram.com"' }).optional(),
  apiVersion: z.string({ error: 'a version string like "v25.0"' }).optional(),
  host: z.enum(['instagram', 'facebook'], { error: '"instagram" or "facebook"' }).default(LOADER_DEFAULTS.host),
  userId: optionalText,
  maxImageSize: positive('a positive number of pixels').default(LOADER_DEFAULTS.maxImageSize),
  maxInputPixels: positive('a positive number of pixels').default(LOADER_DEFAULTS.maxInputPixels),
  downloadVideos: z.boolean({ error: 'true or false' }).default(LOADER_DEFAULTS.downloadVideos),
  onError: z.enum(['keep', 'fail'], { error: '"keep" or "fail"' }).default(LOADER_DEFAULTS.onError),
  maxStaleDays: positive('a positive number of days').optional(),
  staleAction: z.enum(['fail', 'empty'], { error: '"fail" or "empty"' }).default(LOADER_DEFAULTS.staleAction),
  timeoutMs: positive('a positive number of milliseconds').default(LOADER_DEFAULTS.timeoutMs),
  retries: z
    .number({ error: 'a whole number, 0 or more' })
    .int({ error: 'a whole number, 0 or more' })
    .min(0, { error: 'a whole number, 0 or more' })
    .default(LOADER_DEFAULTS.retries),
  maxRetryTimeMs: z
    .number({ error: 'a number of milliseconds, 0 or more' })
    .min(0, { error: 'a number of milliseconds, 0 or more' })
    .default(LOADER_DEFAULTS.maxRetryTimeMs),
  fetch: function_<typeof fetch>('a fetch function').optional(),
  tokenRefresh: z.boolean({ error: 'true or false' }).default(LOADER_DEFAULTS.tokenRefresh),
  tokenStore: optionalText,
  now: function_<() => Date>('a function returning a Date').optional(),
};

const dateOption = z
  .union([z.date(), z.string(), z.number()], { error: 'a Date, an ISO date string like "2026-01-01", or a time in ms' })
  .optional()
  .transform((value, context) => {
    if (value === undefined) return undefined;
    const date = value instanceof Date ? value : new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
    context.issues.push({ code: 'custom', input: value, message: 'a Date or an ISO date string like "2026-01-01"' });
    return z.NEVER;
  });

const feedShape = {
  limit: positive('a positive number of posts').optional(),
  mediaTypes: z
    .array(z.enum(['image', 'video', 'carousel', 'reel'], { error: '"image", "video", "carousel" or "reel"' }), {
      error: 'an array of "image", "video", "carousel", "reel"',
    })
    .optional(),
  since: dateOption,
  until: dateOption,
  filter: function_<(post: InstagramPost) => boolean>('a function (post) => boolean').optional(),
  concurrency: positive('a positive number of posts at once').default(LOADER_DEFAULTS.concurrency),
  links: linksSchema.optional(),
  ...curationShape,
};

const fieldsExpected = 'Instagram field names (lowercase letters, digits and _, like "is_comment_enabled"; no {…} or parameters)';
const postShapeShape = {
  fields: z
    .array(z.string({ error: fieldsExpected }).regex(FIELD_NAME, { error: fieldsExpected }), { error: `a list of ${fieldsExpected}` })
    .optional(),
  transform: function_<InstagramTransform>('a function (post, raw) => entry data').optional(),
};

/** Each documented option has a schema that accepts what its type says (checked by tsc). */
type ShapeOf<T> = { [K in keyof Required<T>]: z.ZodType<unknown, T[K]> };

/** The loader's options as a plain object schema: what other schemas `.pick()` from (zod refuses to pick from a refined one). */
export const loaderOptionsShape = z.strictObject({
  ...sharedShape,
  ...feedShape,
  ...postShapeShape,
} satisfies ShapeOf<InstagramLoaderOptions>);
export const loaderOptionsSchema = loaderOptionsShape.superRefine(sinceBeforeUntil);
export const profileLoaderOptionsSchema = z.strictObject(sharedShape satisfies ShapeOf<InstagramProfileLoaderOptions>);

/** The loader options with defaults applied, before the environment is read. */
export type LoaderConfig = z.output<typeof loaderOptionsSchema>;

/**
 * `instagramTaggedLoader()`: the account options shared with the profile loader, plus which of the
 * posts tagging the account are shown. The token needs instagram_business_manage_comments.
 */
export interface InstagramTaggedLoaderOptions extends InstagramProfileLoaderOptions {
  /**
   * The tagged posts the owner approved for the site: media ids, shortcodes or permalinks, or a
   * function `(post) => boolean`. Any other tagged post is never stored and its images are never downloaded.
   * @default [] (nothing is shown until approved)
   */
  approve?: readonly string[] | ((post: InstagramPost) => boolean);
  /** Keep only the newest `limit` approved posts. @default all */
  limit?: number;
  /** Posts whose images are downloaded and processed at once. @default 16 */
  concurrency?: number;
}

const approveExpected = 'an array of media ids, shortcodes or permalinks, or a function (post) => boolean';
export const taggedLoaderOptionsSchema = z.strictObject({
  ...sharedShape,
  approve: z
    .union(
      [
        z.array(z.string({ error: approveExpected }), { error: approveExpected }),
        function_<(post: InstagramPost) => boolean>(approveExpected),
      ],
      {
        error: approveExpected,
      },
    )
    .default([...TAGGED_LOADER_DEFAULTS.approve]),
  limit: feedShape.limit,
  concurrency: feedShape.concurrency,
} satisfies ShapeOf<InstagramTaggedLoaderOptions>);

/** The tagged loader's options with defaults applied, before the environment is read. */
export type TaggedLoaderConfig = z.output<typeof taggedLoaderOptionsSchema>;

export interface InstagramIntegrationOptions {
  /**
   * Dev-server path that re-syncs only the Instagram collections on POST (`curl -X POST
   * http://localhost:4321/_instagram/refresh`). `false` turns it off.
   * @default '/_instagram/refresh'
   */
  refreshEndpoint?: string | false;
  /**
   * Where the built site publishes its public state file (newest post, post count, a digest of the
   * newest page per collection), which `npx astro-loader-instagram check` compares with Instagram to
   * decide whether a rebuild is needed. A path in the site; `false` publishes none.
   * @default '/_instagram/state.json'
   */
  stateFile?: string | false;
  /**
   * Tell the owner, not just the build log: after a build, POST one JSON message (`text` and
   * `content`, for Slack, Discord, Mattermost, ntfy) per condition, at most once a day each: the
   * token expires within 14 days, a refresh was refused, the build kept the last good feed, the
   * token is dead.
   * @default { webhook: INSTAGRAM_ALERT_WEBHOOK (environment, then the site's .env files), timeoutMs: 5000 }
   */
  alerts?: InstagramAlertsOptions;
}

export interface InstagramAlertsOptions {
  /** Incoming-webhook URL. A secret: never printed whole. `false` turns alerts off. @default INSTAGRAM_ALERT_WEBHOOK */
  webhook?: string | false;
  /** How long one POST may take; a webhook that is down or slow never fails the build. @default 5000 */
  timeoutMs?: number;
}

const endpointExpected = 'a path starting with "/", or false';
const stateFileExpected = 'a file path in the site starting with "/" (no "..", e.g. "/_instagram/state.json"), or false';
export const integrationOptionsSchema = z.strictObject({
  refreshEndpoint: z
    .union([z.string({ error: endpointExpected }).startsWith('/', { error: endpointExpected }), z.literal(false)], {
      error: endpointExpected,
    })
    .default(INTEGRATION_DEFAULTS.refreshEndpoint),
  stateFile: z
    .union(
      [
        z.string({ error: stateFileExpected }).regex(/^(?!.*(?:^|\/)\.\.(?:\/|$))\/.*[^/]$/, { error: stateFileExpected }),
        z.literal(false),
      ],
      { error: stateFileExpected },
    )
    .default(INTEGRATION_DEFAULTS.stateFile),
  alerts: z
    .strictObject(
      {
        webhook: z
          .union([z.url({ protocol: /^https?$/, error: 'an http(s) URL, or false' }), z.literal(false)], {
            error: 'an http(s) URL, or false',
          })
          .optional(),
        timeoutMs: positive('a positive number of milliseconds').default(INTEGRATION_DEFAULTS.alerts.timeoutMs),
      } satisfies ShapeOf<InstagramAlertsOptions>,
      { error: 'an object like { webhook: "https://hooks.slack.com/services/…" }' },
    )
    .default({ timeoutMs: INTEGRATION_DEFAULTS.alerts.timeoutMs }),
} satisfies ShapeOf<InstagramIntegrationOptions>);
