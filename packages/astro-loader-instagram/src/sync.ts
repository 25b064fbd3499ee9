import type { LoaderContext } from 'astro/loaders';
import { type InstagramClient, type InstagramPost, imageUrlOf, messageOf, redact } from 'instagram-graph';
import pMap from 'p-map';
import { digestInput, type LocalMedia, toEntryData } from './entry.js';
import { asCacheWriteError, type CacheWriteError } from './media/cache-write-error.js';
import type { MediaLocalizer } from './media/localize.js';
import type { VideoCache } from './media/video-cache.js';
import { videoUrl } from './paths.js';
import type { PostLink } from './post-link.js';
import type { InstagramPostInput } from './schema.js';

export interface SyncResult {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  /** Posts whose images could not be made local this run. */
  failed: number;
  /** Media ids (posts and children) whose image files must be kept. */
  keepImageIds: Set<string>;
}

interface SyncDeps {
  context: LoaderContext;
  client: InstagramClient;
  localizer: MediaLocalizer;
  /** Present with the `downloadVideos` option. */
  videos?: VideoCache | undefined;
  concurrency: number;
  /** Settings that change the stored images; part of every digest. */
  digestSettings: Record<string, unknown>;
  token: string;
  /** The post's `link` (the posts loader's `links` and captions); none for others' posts (tagged), whose URLs are not the owner's. */
  link?: ((post: InstagramPost) => PostLink | undefined) | undefined;
  /** The site's `fields` and `transform`: the entry data built from ours, and what of it the digest covers. */
  shape?: { data: (post: InstagramPost, data: InstagramPostInput) => Record<string, unknown>; digest: (post: InstagramPost) => unknown };
}

/**
 * Brings the store in line with a complete feed: new and changed posts are written, unchanged ones
 * are left alone (digest), and posts no longer on Instagram are deleted. Only ever called with a
 * feed that was read to the end, so a failure mid-paging can never delete anything.
 *
 * Throws a CacheWriteError when the media cache cannot be written (full disk, read-only, ...): no
 * new post starts after the first such error, and the store is left exactly as it was, since store
 * changes are only applied once every post is through.
 */
export async function syncPosts(posts: InstagramPost[], deps: SyncDeps): Promise<SyncResult> {
  const { context } = deps;
  const { store, logger } = context;
  const result: SyncResult = { added: 0, updated: 0, unchanged: 0, removed: 0, failed: 0, keepImageIds: new Set() };
  const writes: Array<Parameters<typeof store.set>[0]> = [];
  let machineFailure: CacheWriteError | undefined;
  /** Any other throw (the site's `transform`, the schema refusing its result): thrown once every post in flight is done. */
  let otherFailure: { error: unknown } | undefined;

  const progress = progressLogger(posts.length, deps.localizer, logger);
  await pMap(
    posts,
    async (post) => {
      if (machineFailure || otherFailure) return;
      try {
        await syncOne(post);
      } catch (error) {
        // Not rethrown here: pMap would reject at once while other posts still write images in the background.
        otherFailure ??= { error };
        return;
      }
      progress();
    },
    { concurrency: deps.concurrency },
  );
  if (machineFailure) throw machineFailure;
  if (otherFailure) throw otherFailure.error;

  async function syncOne(post: InstagramPost): Promise<void> {
    const existing = store.get(post.id);
    let images: Awaited<ReturnType<typeof localizePost>>;
    try {
      images = await localizePost(post, deps);
    } catch (error) {
      const systemic = asCacheWriteError(error, deps.localizer.cacheDir);
      if (systemic) {
        machineFailure ??= systemic;
        return;
      }
      result.failed++;
      const reason = redact(messageOf(error), [deps.token]);
      logger.warn(`Post ${post.id}: image not available (${reason}); ${existing ? 'kept the previous version' : 'skipped'}.`);
      if (existing) for (const id of keepIdsOf(existing.data)) result.keepImageIds.add(id);
      return;
    }
    for (const id of [post.id, ...images.children.map((child) => child.id)]) result.keepImageIds.add(id);

    // Which videos are local is part of the digest: a video that failed last time is picked up next time.
    const localVideos = [images.video, ...images.children.map((child) => child.video)].filter(Boolean);
    // The link is in the digest: a changed `links` map updates the entry without a caption change.
    const link = deps.link?.(post);
    const shape = deps.shape?.digest(post);
    const digest = context.generateDigest(
      digestInput(post, { ...deps.digestSettings, localVideos, ...(link ? { link } : {}), ...(shape ? { shape } : {}) }),
    );
    if (existing?.digest === digest) {
      result.unchanged++;
      return;
    }
    const built = toEntryData(post, images, link);
    const data = await context.parseData({ id: post.id, data: deps.shape ? deps.shape.data(post, built) : built });
    writes.push({ id: post.id, data, digest });
    if (existing) result.updated++;
    else result.added++;
  }

  for (const entry of writes) store.set(entry);
  const feedIds = new Set(posts.map((post) => post.id));
  for (const id of store.keys()) {
    if (feedIds.has(id)) continue;
    store.delete(id);
    result.removed++;
  }
  return result;
}

/** Downloads (or finds in the cache) the cover and every child image of a post, and its videos when asked. */
async function localizePost(post: InstagramPost, deps: SyncDeps): Promise<LocalMedia> {
  const { client, localizer } = deps;
  const fresh = async (id: string) => {
    const media = await client.getMedia(id);
    return { type: media.media_type === 'VIDEO' ? 'video' : 'image', mediaUrl: media.media_url, thumbnailUrl: media.thumbnail_url };
  };
  const image = (id: string, url: string | undefined) => localizer.localize(id, url, async () => imageUrlOf(await fresh(id)));

  const children: LocalMedia['children'] = [];
  for (const child of post.children) {
    const local = await image(child.id, imageUrlOf(child));
    // A child without any still (rare: licensed video) is left out of the album, not the post.
    if (!local) continue;
    const video = child.type === 'video' ? await localVideo(child.id, child.mediaUrl, deps, fresh) : undefined;
    children.push({
      id: child.id,
      type: child.type,
      ...(child.altText ? { altText: child.altText } : {}),
      image: local,
      ...(video ? { video } : {}),
    });
  }
  // An album's cover is its first child; Instagram's own media_url for the parent is not reliable.
  const cover = post.type === 'carousel' && children[0] ? children[0].image : await image(post.id, imageUrlOf(post));
  if (!cover) throw new Error(post.type === 'video' ? 'the video has no thumbnail_url' : 'the post has no media_url');
  const video = post.type === 'video' ? await localVideo(post.id, post.mediaUrl, deps, fresh) : undefined;
  return { cover, ...(video ? { video } : {}), children };
}

/** The MP4 of a video, when `downloadVideos` is on. A failed video only costs the video, not the post. */
async function localVideo(
  id: string,
  url: string | undefined,
  { videos, context, token }: SyncDeps,
  fresh: (id: string) => Promise<{ mediaUrl?: string | undefined }>,
): Promise<string | undefined> {
  if (!videos) return undefined;
  try {
    const file = await videos.localize(id, url, async () => (await fresh(id)).mediaUrl);
    return file ? videoUrl(context, id) : undefined;
  } catch (error) {
    if (asCacheWriteError(error, videos.dir)) throw error; // the machine's problem, not this video's
    context.logger.warn(`Video ${id} not downloaded (${redact(messageOf(error), [token])}); its poster is shown instead.`);
    return undefined;
  }
}

/**
 * "synced 300/1000 posts (412 images downloaded)" every 100 posts, but only while images are being
 * downloaded: a long first sync shows it is alive, a warm rebuild stays quiet.
 */
function progressLogger(total: number, localizer: MediaLocalizer, logger: LoaderContext['logger']): () => void {
  const every = 100;
  let done = 0;
  let reported = 0;
  return () => {
    done++;
    if (done % every !== 0 || done === total || localizer.stats.downloaded === reported) return;
    reported = localizer.stats.downloaded;
    logger.info(`synced ${done}/${total} posts (${reported} images downloaded)`);
  };
}

/** Ids of the images an already stored entry points at. */
function keepIdsOf(data: Record<string, unknown>): string[] {
  const children = Array.isArray(data.children) ? (data.children as Array<{ id?: unknown }>) : [];
  return [data.id, ...children.map((child) => child.id)].filter((id): id is string => typeof id === 'string');
}
