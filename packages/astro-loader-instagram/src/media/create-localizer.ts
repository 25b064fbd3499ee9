import type { LoaderContext } from 'astro/loaders';
import { DEFAULT_RETRY } from 'instagram-graph';
import type { ResolvedOptions } from '../options.js';
import { collectionCacheDir } from '../paths.js';
import { ImageCache } from './image-cache.js';
import { MediaLocalizer } from './localize.js';
import { VideoCache } from './video-cache.js';

const MAX_IMAGE_BYTES = 25 * 1024 * 1024;
const MAX_VIDEO_BYTES = 250 * 1024 * 1024;

/** How a loader downloads and stores media: the image cache, the localizer, the optional video cache and a CDN request counter. */
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
    minRetryDelayMs: DEFAULT_RETRY.minDelayMs,
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

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
