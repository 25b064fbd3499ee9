import type { Loader, LoaderContext } from 'astro/loaders';
import { describeUrl, redact } from 'instagram-graph';
import { createClient } from './client.js';
import { LOADER_NAME } from './constants.js';
import { siteEnv } from './env.js';
import { entryShaper, refusedFieldsLine, shapeDigest, TransformError } from './extra-fields.js';
import { failureOf, giveUp, MISSING_TOKEN } from './failure.js';
import { fetchFeed } from './feed.js';
import { droppedFieldsLine, rememberedWithout, rememberFields } from './field-memory.js';
import { saveSyncLogAfterLoad } from './health/sync-log.js';
import { hasPreviousSync as previousSyncOf, recordSuccessfulSync } from './last-sync.js';
import { CacheWriteError } from './media/cache-write-error.js';
import { createLocalizer } from './media/create-localizer.js';
import { checkLoaderOptions, type InstagramLoaderOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { postLink, unmatchedLinksLine } from './post-link.js';
import { instagramPostSchema } from './schema.js';
import { publishLastSiteState, publishSiteState } from './site-state/collection-state.js';
import { syncPosts } from './sync.js';
import { pruneAndSummarize } from './sync-report/finish-sync.js';
import { recordSyncReport } from './sync-report/registry.js';
import { tokenForBuild } from './token/lifecycle.js';

/** Bump when the stored entry shape or image processing changes, so every post is redone. */
const DATA_VERSION = 3; // 2: images carry `focus`; 3: entries carry `extra`

/**
 * Loads the posts of the Instagram account behind the token into a content collection, with
 * every image downloaded, cleaned and stored locally so pages use `<Image>` / `<Picture>`.
 *
 * ```ts
 * const instagram = defineCollection({ loader: instagramLoader() });
 * ```
 */
export function instagramLoader(options: InstagramLoaderOptions = {}) {
  const config = checkLoaderOptions(options); // a mistake fails here, when content.config is evaluated
  return {
    name: LOADER_NAME,
    schema: instagramPostSchema,
    load: async (context: LoaderContext) => {
      const env = siteEnv(context.config);
      let machineError: string | undefined;
      try {
        machineError = await loadInstagram(context, resolveOptions(config, env), env);
      } finally {
        await saveSyncLogAfterLoad(context, machineError);
      }
    },
  } satisfies Loader;
}

/**
 * `env`: the real environment over the site's .env files (the Facebook token check reads the app credentials there).
 * Returns the code of the machine error (ENOSPC, ...) that stopped the sync, if one did.
 */
async function loadInstagram(context: LoaderContext, options: ResolvedOptions, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { logger } = context;
  const started = performance.now();
  const hasPreviousSync = previousSyncOf(context);
  publishLastSiteState(context); // replaced below once Instagram is read; kept if the build keeps the last good feed
  const token = await tokenForBuild(context, options, env);

  if (!token) {
    return giveUp(context, options, hasPreviousSync, MISSING_TOKEN);
  }

  const sanitize = (text: string) => redact(text, [token]);
  const withoutFields = rememberedWithout(context.meta, options.host, DATA_VERSION, Date.now(), options.fields);
  const client = createClient(
    { ...options, token, withoutFields },
    {
      retry: (line) => logger.info(sanitize(line)),
      usage: (line) => logger.warn(line),
    },
  );
  logger.info(`Reading Instagram media from ${describeUrl(options.apiUrl)}`);

  let feed: Awaited<ReturnType<typeof fetchFeed>>;
  try {
    feed = await fetchFeed(client, options);
  } catch (error) {
    return giveUp(context, options, hasPreviousSync, failureOf(error, [token]));
  }
  for (const line of feed.skipped) logger.warn(sanitize(line));
  const unmatchedLinks = unmatchedLinksLine(feed.posts, options.links);
  if (unmatchedLinks) logger.warn(unmatchedLinks);
  for (const line of feed.curationWarnings(context.collection)) logger.warn(line);

  const media = createLocalizer(context, options);
  const { localizer, videos } = media;
  const shapeEntry = entryShaper(options);

  let result: Awaited<ReturnType<typeof syncPosts>>;
  try {
    result = await syncPosts(feed.posts, {
      context,
      client,
      localizer,
      videos,
      concurrency: options.concurrency,
      digestSettings: { version: DATA_VERSION, maxImageSize: options.maxImageSize, videos: options.downloadVideos },
      token,
      link: (post) => postLink(post, options.links),
      shape: {
        data: (post, data) => shapeEntry(post, feed.raw.get(post.id), data),
        digest: (post) => shapeDigest(options, feed.raw.get(post.id)),
      },
    });
  } catch (error) {
    // The site's transform threw: nothing of this sync is stored, like an outage (keep the last good sync, or one line).
    if (error instanceof TransformError) return giveUp(context, options, hasPreviousSync, { what: sanitize(error.what), fix: error.fix });
    // A full or read-only disk is one failure of the build, not one per post: keep the last sync whole.
    if (!(error instanceof CacheWriteError)) throw error;
    giveUp(context, options, hasPreviousSync, error);
    return error.code;
  }
  const dropped = client.droppedFields;
  // The site's own `fields` warn on every build; ours only when newly refused.
  const asked = new Set(options.fields);
  const refusedAsked = dropped.filter((name) => asked.has(name));
  const ours = dropped.filter((name) => !asked.has(name));
  if (refusedAsked.length > 0) logger.warn(refusedFieldsLine(refusedAsked));
  if (ours.some((name) => !withoutFields.includes(name))) logger.warn(droppedFieldsLine(ours));
  else if (ours.length > 0) logger.info(droppedFieldsLine(ours));
  rememberFields(context.meta, { host: options.host, dataVersion: DATA_VERSION, used: withoutFields, dropped, fields: options.fields });
  const summary = await pruneAndSummarize(context, {
    account: feed.posts[0]?.username ?? '',
    result,
    skipped: feed.skipped.length,
    apiRequests: client.requestCount,
    media,
    started,
  });
  recordSuccessfulSync(context, options.now());
  publishSiteState(context, feed, options);
  logger.info(summary);
  recordSyncReport({ collection: context.collection, summary });
}
