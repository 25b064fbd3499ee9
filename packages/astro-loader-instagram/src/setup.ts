import { fileURLToPath } from 'node:url';
import type { LoaderContext } from 'astro/loaders';
import { InstagramError } from 'instagram-graph';
import { PACKAGE_NAME, VIDEO_ROUTE } from './constants.js';
import { ImageCache } from './media/image-cache.js';
import { MediaLocalizer } from './media/localize.js';
import { VideoCache } from './media/video-cache.js';
import type { ResolvedOptions } from './options.js';

/** Everything an Instagram loader shares: where its files live and how it downloads images. */
const MAX_IMAGE_BYTES = 25 * 1024 * 1024;
const MAX_VIDEO_BYTES = 250 * 1024 * 1024;

/** `<cacheDir>/astro-loader-instagram/<collection>/`: one folder per collection, so accounts never mix. */
export function collectionCacheDir(context: LoaderContext): string {
  return fileURLToPath(new URL(`${PACKAGE_NAME}/${safeSegment(context.collection)}/`, context.config.cacheDir));
}

export function createLocalizer(context: LoaderContext, options: ResolvedOptions) {
  const cache = new ImageCache(`${collectionCacheDir(context)}images`, options.maxImageSize, (id, reason) =>
    context.logger.warn(`Cached image ${id} did not match what was written (${reason}); downloading it again.`),
  );
  const counters = { cdnRequests: 0 };
  const download = {
    apiOrigin: safeOrigin(options.apiUrl),
    timeoutMs: options.timeoutMs,
    maxBytes: MAX_IMAGE_BYTES,
    retries: options.retries,
    minRetryDelayMs: 500,
    fetch: options.fetch,
    onRequest: () => counters.cdnRequests++,
  };
  const localizer = new MediaLocalizer(cache, download, { maxSize: options.maxImageSize, maxInputPixels: options.maxInputPixels });
  const videos = options.downloadVideos
    ? new VideoCache(`${collectionCacheDir(context)}videos`, {
        ...download,
        maxBytes: MAX_VIDEO_BYTES,
        timeoutMs: Math.max(options.timeoutMs, 120_000),
      })
    : undefined;
  return { cache, localizer, videos, counters };
}

/** Public URL of a downloaded video: `<base>/_instagram/videos/<collection>/<id>.mp4` (the integration copies it there). */
export function videoUrl(context: LoaderContext, id: string): string {
  const base = (context.config.base ?? '/').replace(/\/+$/, '');
  return `${base}/${VIDEO_ROUTE}/${safeSegment(context.collection)}/${id}.mp4`;
}

/**
 * Instagram could not be read. With a previous sync and `onError: 'keep'`, the stored entries and
 * their image files stay exactly as they were and the build goes on; otherwise it fails.
 */
export function giveUp(context: LoaderContext, options: Pick<ResolvedOptions, 'onError'>, hasPreviousSync: boolean, reason: string): void {
  const line = `${PACKAGE_NAME} (${context.collection}): ${reason}`;
  if (hasPreviousSync && options.onError === 'keep') {
    context.logger.warn(
      `${line} Kept the ${context.store.keys().length} ${context.store.keys().length === 1 ? 'entry' : 'posts'} from the last successful sync.`,
    );
    return;
  }
  const error = new Error(line);
  error.stack = line; // the message is the whole story; a stack of our internals helps nobody
  throw error;
}

export const MISSING_TOKEN =
  'No Instagram access token: set INSTAGRAM_TOKEN (a long-lived token from Meta App Dashboard > Instagram > API setup with Instagram login, or `npx astro-loader-instagram login`) or pass `token` to the loader';

export function messageOf(error: unknown): string {
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
export function safeSegment(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_') || 'instagram';
}
