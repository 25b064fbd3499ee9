/** What `sortPosts` reads of a post: its pin position and when it was published. */
export interface SortablePost {
  pinned?: number | undefined;
  timestamp: Date;
}

/**
 * The posts in the order a profile shows them: pinned ones first, in the order of the loader's `pin`
 * option, then the rest newest first. Takes entries from `getCollection()` or their `data`, and
 * returns a new array (the input is left as it was).
 *
 * ```ts
 * const posts = sortPosts(await getCollection('instagram'));
 * ```
 */
export function sortPosts<T extends SortablePost | { data: SortablePost }>(posts: readonly T[]): T[] {
  const dataOf = (post: T): SortablePost => ('data' in post ? post.data : post);
  return [...posts].sort((a, b) => {
    const [x, y] = [dataOf(a), dataOf(b)];
    const [px, py] = [x.pinned ?? Number.POSITIVE_INFINITY, y.pinned ?? Number.POSITIVE_INFINITY];
    if (px !== py) return px - py;
    return y.timestamp.getTime() - x.timestamp.getTime();
  });
}
