import type { LoaderContext } from 'astro/loaders';
import type { Feed } from '../feed.js';
import type { ResolvedOptions } from '../options.js';
import { recordSiteState } from './registry.js';
import { type CollectionState, pageDigest, pagePosts } from './shape.js';

/** Kept in the collection's meta store, so a build that keeps the last good feed publishes that feed's state. */
const META_KEY = 'siteState';

/** Publishes the state of the last good sync (if any), for a build that ends up keeping it. */
export function publishLastSiteState(context: Pick<LoaderContext, 'meta' | 'collection'>): void {
  const saved = context.meta.get(META_KEY);
  if (!saved) return;
  try {
    recordSiteState(context.collection, JSON.parse(saved) as CollectionState);
  } catch {
    // A damaged value is replaced by the next good sync.
  }
}

/** The state of a sync that read Instagram: recorded for the integration and remembered for outages. */
export function publishSiteState(
  context: Pick<LoaderContext, 'meta' | 'collection' | 'store'>,
  feed: Feed,
  options: Pick<ResolvedOptions, 'host' | 'userId'>,
): void {
  const newest = feed.posts[0];
  const posts = pagePosts(feed.newestPage);
  const state: CollectionState = {
    account: newest?.username ?? feed.newestPage.find((item) => item.username)?.username ?? '',
    ...(options.host === 'facebook' ? { host: 'facebook' as const, ...(options.userId ? { userId: options.userId } : {}) } : {}),
    posts: context.store.keys().length,
    newest: newest ? { id: newest.id, time: newest.timestamp.toISOString() } : null,
    ...(feed.listed === undefined ? {} : { listed: feed.listed }),
    newestPage: {
      digest: pageDigest(posts),
      ...(feed.newestPageCoversFrom ? { coversFrom: feed.newestPageCoversFrom.toISOString() } : {}),
      posts,
    },
  };
  context.meta.set(META_KEY, JSON.stringify(state));
  recordSiteState(context.collection, state);
}
