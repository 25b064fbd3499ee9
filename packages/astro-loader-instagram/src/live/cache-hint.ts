import type { InstagramPost } from 'instagram-graph';

/**
 * Cache hints for Astro's route caching (`Astro.cache.set(cacheHint)`). Tags name what a page shows,
 * so one `Astro.cache.invalidate({ tags })` refreshes every page of an account, or of one post:
 * - `instagram`: every live Instagram collection;
 * - `instagram:<collection>`: one collection (one account);
 * - `instagram:<collection>:<id>`: one post (its entry page, and every list that shows it).
 * `lastModified` is a publish time: Instagram says nothing about edits (a changed caption keeps it).
 */
export function collectionTags(collection: string): string[] {
  return ['instagram', `instagram:${collection}`];
}

export function entryCacheHint(collection: string, post: Pick<InstagramPost, 'id' | 'timestamp'>) {
  return { tags: [...collectionTags(collection), `instagram:${collection}:${post.id}`], lastModified: post.timestamp };
}
