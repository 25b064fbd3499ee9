import type { LoaderContext } from 'astro/loaders';
import type { createLocalizer } from '../media/create-localizer.js';
import type { SyncResult } from '../sync.js';
import { formatReport } from './format.js';

interface FinishedSync {
  account: string;
  result: SyncResult;
  /** Posts left out before or during the sync (unreadable or images not available). */
  skipped: number;
  apiRequests: number;
  media: ReturnType<typeof createLocalizer>;
  /** `performance.now()` when the load began. */
  started: number;
}

/** Removes cached files no entry uses any more, then returns the sync's one-line summary. */
export async function pruneAndSummarize(context: LoaderContext, sync: FinishedSync): Promise<string> {
  const { result, media } = sync;
  const prunedImages = await media.cache.prune(result.keepImageIds);
  await media.videos?.prune(result.keepImageIds);
  return formatReport({
    account: sync.account,
    posts: context.store.keys().length,
    added: result.added,
    updated: result.updated,
    unchanged: result.unchanged,
    removed: result.removed,
    skipped: sync.skipped + result.failed,
    apiRequests: sync.apiRequests,
    cdnRequests: media.counters.cdnRequests,
    images: media.localizer.stats,
    prunedImages,
    ms: performance.now() - sync.started,
  });
}
