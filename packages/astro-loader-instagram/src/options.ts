import { DEFAULT_API_URL, FACEBOOK_API_URL } from 'instagram-graph';
import {
  FEED_ONLY_OPTIONS,
  type InstagramLoaderOptions,
  type InstagramProfileLoaderOptions,
  type InstagramTaggedLoaderOptions,
  type LoaderConfig,
  loaderOptionsSchema,
  POST_SHAPE_OPTIONS,
  profileLoaderOptionsSchema,
  type TaggedLoaderConfig,
  taggedLoaderOptionsSchema,
} from './options-schema.js';
import { validateOptions } from './validate-options.js';

export type { InstagramLoaderOptions, InstagramProfileLoaderOptions, InstagramTaggedLoaderOptions } from './options-schema.js';

/** `instagramLoader()`'s options with defaults, or one line saying what is wrong (thrown when content.config is evaluated). */
export function checkLoaderOptions(options: InstagramLoaderOptions): LoaderConfig {
  return validateOptions(loaderOptionsSchema, options, { factory: 'instagramLoader()', file: 'src/content.config.ts' });
}

/** `instagramProfileLoader()`'s options with defaults; a feed filter such as `limit` is named as not applying. */
export function checkProfileLoaderOptions(options: InstagramProfileLoaderOptions): InstagramProfileLoaderOptions {
  const notHere = Object.fromEntries([
    ...FEED_ONLY_OPTIONS.map((key) => [key, 'it filters posts; set it on instagramLoader()']),
    ...POST_SHAPE_OPTIONS.map((key) => [key, 'it shapes posts; set it on instagramLoader()']),
  ]);
  return validateOptions(profileLoaderOptionsSchema, options, {
    factory: 'instagramProfileLoader()',
    file: 'src/content.config.ts',
    notHere,
  });
}

/** `instagramTaggedLoader()`'s options with defaults; the posts loader's filters are named as not applying. */
export function checkTaggedLoaderOptions(options: InstagramTaggedLoaderOptions): TaggedLoaderConfig {
  const useApprove = 'tagged posts are chosen with `approve` (ids, shortcodes, permalinks or a function)';
  // The posts loader's other feed and shaping options, named rather than guessed at ("did you mean `host`?").
  const notHere: Record<string, string> = Object.fromEntries([
    ...FEED_ONLY_OPTIONS.filter((key) => !(key in taggedLoaderOptionsSchema.shape)).map((key) => [key, useApprove]),
    ...POST_SHAPE_OPTIONS.map((key) => [key, 'tagged entries have a fixed shape (credit, local images); shape them in the page']),
    ['links', "a tagged post links to its author's post (`permalink`), for credit"],
  ]);
  return validateOptions(taggedLoaderOptionsSchema, options, {
    factory: 'instagramTaggedLoader()',
    file: 'src/content.config.ts',
    notHere,
  });
}

/** The loader's options as the sync uses them: the checked options, then what the environment fills in. */
export type ResolvedOptions = Omit<LoaderConfig, 'apiUrl' | 'fetch' | 'now'> & {
  /** The option, else INSTAGRAM_API_URL, else the host's API. */
  apiUrl: string;
  fetch: typeof fetch;
  now: () => Date;
};

/**
 * Checks the options (already checked when the loader was created; cheap) and applies the
 * environment (`siteEnv`: process.env over the site's .env files), read at load time, not import
 * time: `token` ← INSTAGRAM_TOKEN, `apiUrl` ← INSTAGRAM_API_URL, `now` ← ASTRO_LOADER_INSTAGRAM_NOW.
 */
export function resolveOptions(options: InstagramLoaderOptions, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const config = checkLoaderOptions(options);
  return {
    ...config,
    token: (config.token ?? env.INSTAGRAM_TOKEN)?.trim() || undefined,
    apiUrl: config.apiUrl || env.INSTAGRAM_API_URL?.trim() || (config.host === 'facebook' ? FACEBOOK_API_URL : DEFAULT_API_URL),
    fetch: config.fetch ?? globalThis.fetch,
    now: config.now ?? clockFromEnv(env.ASTRO_LOADER_INSTAGRAM_NOW),
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
