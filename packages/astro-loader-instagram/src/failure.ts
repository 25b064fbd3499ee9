import type { LoaderContext } from 'astro/loaders';
import { InstagramError } from 'instagram-graph';
import { PACKAGE_NAME } from './constants.js';
import type { ResolvedOptions } from './options.js';

// How a loader fails: one line that names the collection, or a warning that keeps the last good sync.

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
