import { fileURLToPath } from 'node:url';
import type { LoaderContext } from 'astro/loaders';
import { PACKAGE_NAME, VIDEO_ROUTE } from './constants.js';

// Where a collection's files live: its cache folder on disk and the public URL of its videos.

/** `<cacheDir>/astro-loader-instagram/<collection>/`: one folder per collection, so accounts never mix. */
export function collectionCacheDir(context: LoaderContext): string {
  return fileURLToPath(new URL(`${PACKAGE_NAME}/${safeSegment(context.collection)}/`, context.config.cacheDir));
}

/** Public URL of a downloaded video: `<base>/_instagram/videos/<collection>/<id>.mp4` (the integration copies it there). */
export function videoUrl(context: LoaderContext, id: string): string {
  const base = (context.config.base ?? '/').replace(/\/+$/, '');
  return `${base}/${VIDEO_ROUTE}/${safeSegment(context.collection)}/${id}.mp4`;
}

/** Collection names become folder names. */
export function safeSegment(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_') || 'instagram';
}
