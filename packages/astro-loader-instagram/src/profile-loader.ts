import { createHash } from 'node:crypto';
import type { Loader, LoaderContext } from 'astro/loaders';
import { type InstagramProfile, normalizeProfile, redact } from 'instagram-graph';
import { createClient } from './client.js';
import { PROFILE_LOADER_NAME } from './constants.js';
import { siteEnv } from './env.js';
import { failureOf, giveUp, lineOf, MISSING_TOKEN } from './failure.js';
import { saveSyncLogAfterLoad } from './health/sync-log.js';
import { hasPreviousSync as previousSyncOf, recordSuccessfulSync } from './last-sync.js';
import { asCacheWriteError } from './media/cache-write-error.js';
import { createLocalizer } from './media/create-localizer.js';
import type { CachedImage } from './media/image-cache.js';
import { checkProfileLoaderOptions, type InstagramProfileLoaderOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { instagramProfileSchema } from './profile-schema.js';
import { formatProfileReport } from './sync-report/format.js';
import { recordSyncReport } from './sync-report/registry.js';
import { tokenForBuild } from './token/lifecycle.js';

export type { InstagramProfileLoaderOptions } from './options.js';

/**
 * A one-entry collection with the account's profile: username, name, biography, website, counts,
 * and the profile picture downloaded and typed as `ImageMetadata`.
 *
 * ```ts
 * const profile = defineCollection({ loader: instagramProfileLoader() });
 * ```
 */
export function instagramProfileLoader(options: InstagramProfileLoaderOptions = {}) {
  const config = checkProfileLoaderOptions(options); // a mistake fails here, when content.config is evaluated
  return {
    name: PROFILE_LOADER_NAME,
    schema: instagramProfileSchema,
    load: async (context: LoaderContext) => {
      const env = siteEnv(context.config);
      let machineError: string | undefined;
      try {
        machineError = await loadProfile(context, resolveOptions(config, env), env);
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
async function loadProfile(context: LoaderContext, options: ResolvedOptions, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { logger, store } = context;
  const hasPreviousSync = previousSyncOf(context);
  // Same token choice (and refresh, serialised through the token store) as the posts loader.
  const token = await tokenForBuild(context, options, env);
  if (!token) return giveUp(context, options, hasPreviousSync, MISSING_TOKEN);

  const client = createClient({ ...options, token }, { retry: (line) => logger.info(redact(line, [token])) });
  let profile: InstagramProfile;
  try {
    profile = normalizeProfile(await client.getProfile());
  } catch (error) {
    return giveUp(context, options, hasPreviousSync, failureOf(error, [token]));
  }

  const { cache, localizer } = createLocalizer(context, options);
  // The picture's CDN path names the file; it changes when the owner changes the picture.
  const pictureKey = profile.profilePictureUrl ? `profile-${profile.id}-${pathDigest(profile.profilePictureUrl)}` : undefined;
  let picture: CachedImage | undefined;
  try {
    // An expired or refused picture URL is signed again by reading the profile once more.
    const freshPicture = async () => normalizeProfile(await client.getProfile()).profilePictureUrl;
    picture = pictureKey ? await localizer.localize(pictureKey, profile.profilePictureUrl, freshPicture) : undefined;
  } catch (error) {
    const systemic = asCacheWriteError(error, cache.dir);
    if (systemic) {
      giveUp(context, options, hasPreviousSync, systemic);
      return systemic.code;
    }
    const previous = store.get(profile.id);
    logger.warn(
      `Profile picture of @${profile.username} not available (${lineOf(failureOf(error, [token]))}); ${previous ? 'kept the previous version' : 'left out'}.`,
    );
    if (previous) return;
  }

  const data = await context.parseData({
    id: profile.id,
    data: {
      id: profile.id,
      username: profile.username,
      ...pick(profile, ['name', 'biography', 'website', 'accountType', 'followersCount', 'followsCount', 'mediaCount']),
      alt: `Profile picture of ${profile.name ?? `@${profile.username}`}`,
      ...(picture ? { picture: picture.file, placeholder: picture.placeholder, color: picture.color } : {}),
    },
  });
  for (const id of store.keys()) if (id !== profile.id) store.delete(id);
  store.set({ id: profile.id, data, digest: context.generateDigest(data) });
  await cache.prune(new Set(pictureKey ? [pictureKey] : []));
  recordSuccessfulSync(context, options.now());
  const summary = formatProfileReport(
    profile.username,
    client.requestCount,
    localizer.stats.downloaded ? 'downloaded' : picture ? 'cached' : 'none',
  );
  logger.info(summary);
  recordSyncReport({ collection: context.collection, summary });
}

function pathDigest(url: string): string {
  let pathname = url;
  try {
    pathname = new URL(url).pathname;
  } catch {}
  return createHash('sha256').update(pathname).digest('hex').slice(0, 12);
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const result: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) result[key] = source[key];
  return result;
}
