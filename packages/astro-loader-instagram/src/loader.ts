import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { describeUrl, InstagramError, redact } from 'instagram-graph';
import { createClient, fetchFeed } from './feed.js';
import { ImageCache } from './media/image-cache.js';
import { MediaLocalizer } from './media/localize.js';
import { type InstagramLoaderOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { formatReport } from './report.js';
import { instagramPostSchema } from './schema.js';
import { syncPosts } from './sync.js';

export const LOADER_NAME = 'astro-loader-instagram';
/** Bump when the stored entry shape or image processing changes, so every post is redone. */
const DATA_VERSION = 1;
const MAX_IMAGE_BYTES = 25 * 1024 * 1024;

/**
 * Loads the posts of the Instagram account behind the token into a content collection, with
 * every image downloaded, cleaned and stored locally so pages use `<Image>` / `<Picture>`.
 *
 * ```ts
 * const instagram = defineCollection({ loader: instagramLoader() });
 * ```
 */
export function instagramLoader(options: InstagramLoaderOptions = {}) {
  return {
    name: LOADER_NAME,
    schema: instagramPostSchema,
    load: async (context: LoaderContext) => {
      await loadInstagram(context, resolveOptions(options));
    },
  } satisfies Loader;
}

async function loadInstagram(context: LoaderContext, options: ResolvedOptions): Promise<void> {
  const { logger, store } = context;
  const started = performance.now();
  const hasPreviousSync = store.keys().length > 0;
  const { token } = options;

  if (!token) {
    return giveUp(
      context,
      options,
      hasPreviousSync,
      'No Instagram access token: set INSTAGRAM_TOKEN (a long-lived token from Meta App Dashboard > Instagram > API setup with Instagram login) or pass `token` to instagramLoader()',
    );
  }

  const sanitize = (text: string) => redact(text, [token]);
  const client = createClient({ ...options, token }, {
    retry: (line) => logger.info(sanitize(line)),
    usage: (line) => logger.warn(line),
  });
  logger.info(`Reading Instagram media from ${describeUrl(options.apiUrl)}`);

  let feed;
  try {
    feed = await fetchFeed(client, options);
  } catch (error) {
    return giveUp(context, options, hasPreviousSync, sanitize(messageOf(error)));
  }
  for (const line of feed.skipped) logger.warn(sanitize(line));

  const cacheDir = fileURLToPath(new URL(`${LOADER_NAME}/${safeSegment(context.collection)}/images/`, context.config.cacheDir));
  const cache = new ImageCache(cacheDir, options.maxImageSize);
  let cdnRequests = 0;
  const localizer = new MediaLocalizer(
    cache,
    {
      apiOrigin: safeOrigin(options.apiUrl),
      timeoutMs: options.timeoutMs,
      maxBytes: MAX_IMAGE_BYTES,
      retries: options.retries,
      minRetryDelayMs: 500,
      fetch: options.fetch,
      onRequest: () => cdnRequests++,
    },
    { maxSize: options.maxImageSize, maxInputPixels: options.maxInputPixels },
  );

  const result = await syncPosts(feed.posts, {
    context,
    client,
    localizer,
    concurrency: options.concurrency,
    digestSettings: { version: DATA_VERSION, maxImageSize: options.maxImageSize },
    token,
  });
  const prunedImages = await cache.prune(result.keepImageIds);

  logger.info(
    formatReport({
      account: feed.posts[0]?.username ?? '',
      posts: store.keys().length,
      added: result.added,
      updated: result.updated,
      unchanged: result.unchanged,
      removed: result.removed,
      skipped: feed.skipped.length + result.failed,
      apiRequests: client.requestCount,
      cdnRequests,
      images: localizer.stats,
      prunedImages,
      ms: performance.now() - started,
    }),
  );
}

/**
 * Instagram could not be read. With a previous sync and `onError: 'keep'`, the stored posts and
 * their image files stay exactly as they were and the build goes on; otherwise it fails.
 */
function giveUp(context: LoaderContext, options: ResolvedOptions, hasPreviousSync: boolean, reason: string): void {
  const line = `astro-loader-instagram (${context.collection}): ${reason}`;
  if (hasPreviousSync && options.onError === 'keep') {
    context.logger.warn(`${line} Kept the ${context.store.keys().length} posts from the last successful sync.`);
    return;
  }
  const error = new Error(line);
  error.stack = line; // the message is the whole story; a stack of our internals helps nobody
  throw error;
}

function messageOf(error: unknown): string {
  if (error instanceof InstagramError) return error.message;
  return error instanceof Error ? `Unexpected error while reading Instagram: ${error.message}` : String(error);
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Collection names become folder names. */
function safeSegment(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_') || 'instagram';
}
