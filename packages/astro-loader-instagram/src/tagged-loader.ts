import type { Loader, LoaderContext } from 'astro/loaders';
import { describeUrl, redact } from 'instagram-graph';
import { createClient } from './client.js';
import { TAGGED_LOADER_NAME } from './constants.js';
import { siteEnv } from './env.js';
import { failureOf, giveUp, MISSING_TOKEN } from './failure.js';
import { saveSyncLogAfterLoad } from './health/sync-log.js';
import { hasPreviousSync as previousSyncOf, recordSuccessfulSync } from './last-sync.js';
import { CacheWriteError } from './media/cache-write-error.js';
import { createLocalizer } from './media/create-localizer.js';
import { checkTaggedLoaderOptions, type InstagramTaggedLoaderOptions, resolveOptions } from './options.js';
import type { TaggedLoaderConfig } from './options-schema.js';
import { syncPosts } from './sync.js';
import { pruneAndSummarize } from './sync-report/finish-sync.js';
import { recordSyncReport } from './sync-report/registry.js';
import { fetchTaggedFeed, type TaggedFeed } from './tagged-feed.js';
import { resigningFromTags } from './tagged-resign.js';
import { instagramTaggedPostSchema } from './tagged-schema.js';
import { tokenForBuild } from './token/lifecycle.js';

export type { InstagramTaggedLoaderOptions } from './options.js';

/** Bump when the stored entry shape or image processing changes, so every post is redone (as the posts loader's). */
const DATA_VERSION = 2;

/**
 * Customers' photos: the posts in which other accounts tagged yours (`GET /{ig-user-id}/tags`), but
 * only those you approved. Each entry keeps its author's `username` and `permalink` for credit, and
 * its images are local, like your own posts'. The token needs instagram_business_manage_comments.
 *
 * ```ts
 * const tagged = defineCollection({ loader: instagramTaggedLoader({ approve: ['DAbc123xyz'] }) });
 * ```
 */
export function instagramTaggedLoader(options: InstagramTaggedLoaderOptions = {}) {
  const config = checkTaggedLoaderOptions(options); // a mistake fails here, when content.config is evaluated
  return {
    name: TAGGED_LOADER_NAME,
    schema: instagramTaggedPostSchema,
    load: async (context: LoaderContext) => {
      const env = siteEnv(context.config);
      let machineError: string | undefined;
      try {
        machineError = await loadTagged(context, config, env);
      } finally {
        await saveSyncLogAfterLoad(context, machineError);
      }
    },
  } satisfies Loader;
}

/** Returns the code of the machine error (ENOSPC, ...) that stopped the sync, if one did. */
async function loadTagged(context: LoaderContext, config: TaggedLoaderConfig, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { approve, ...shared } = config;
  const options = resolveOptions(shared, env);
  const { logger } = context;
  const started = performance.now();
  const hasPreviousSync = previousSyncOf(context);
  const token = await tokenForBuild(context, options, env);
  if (!token) return giveUp(context, options, hasPreviousSync, MISSING_TOKEN);

  const sanitize = (text: string) => redact(text, [token]);
  const client = createClient({ ...options, token }, { retry: (line) => logger.info(sanitize(line)), usage: (line) => logger.warn(line) });
  logger.info(`Reading the posts that tag the account from ${describeUrl(options.apiUrl)}`);
  let feed: TaggedFeed;
  try {
    feed = await fetchTaggedFeed(client, approve, options.limit);
  } catch (error) {
    return giveUp(context, options, hasPreviousSync, failureOf(error, [token]));
  }
  for (const line of feed.skipped) logger.warn(sanitize(line));
  for (const entry of feed.unmatched) {
    logger.warn(
      `approve lists "${entry.slice(0, 80)}", which is not among the posts tagging the account (deleted, made private, tag removed, or a typo); remove it from approve.`,
    );
  }

  // Only approved posts get here: nothing else is stored or downloaded.
  const media = createLocalizer(context, options);
  const { localizer, videos } = media;
  let result: Awaited<ReturnType<typeof syncPosts>>;
  try {
    result = await syncPosts(feed.approved, {
      context,
      client: resigningFromTags(client),
      localizer,
      videos,
      concurrency: options.concurrency,
      digestSettings: { version: DATA_VERSION, maxImageSize: options.maxImageSize, videos: options.downloadVideos },
      token,
    });
  } catch (error) {
    // A full or read-only disk is one failure of the build, not one per post: keep the last sync whole.
    if (!(error instanceof CacheWriteError)) throw error;
    giveUp(context, options, hasPreviousSync, error);
    return error.code;
  }
  const report = await pruneAndSummarize(context, {
    account: '',
    result,
    skipped: feed.skipped.length,
    apiRequests: client.requestCount,
    media,
    started,
  });
  const summary = `tagged: ${report}; ${feed.awaiting} awaiting approval`;
  recordSuccessfulSync(context, options.now());
  logger.info(summary);
  recordSyncReport({ collection: context.collection, summary });
}
