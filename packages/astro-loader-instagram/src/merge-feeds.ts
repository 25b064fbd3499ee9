/**
 * Several accounts as one feed: `mergeFeeds(await getCollection('studio'), await getCollection('shop'))`.
 *
 * Each account stays its own collection (its own loader, token, token store, last good sync and rate
 * limit), and pages merge them. Instagram media ids are Graph API node ids, unique across all accounts
 * (`GET /{media-id}` needs no account), so a post that appears twice (the same account loaded into two
 * collections) is kept once, and ids never clash between accounts.
 */

/** A post as the components take it: an entry from `getCollection()`, or its `data`. */
export type MergeablePost =
  | { id: string; timestamp: Date; username?: string }
  | { data: { id: string; timestamp: Date; username?: string } };

/**
 * The posts of every feed given, newest first, each media id once (its first occurrence wins).
 * Posts published in the same second are ordered by media id, newest id first, so the order is the
 * same on every build whatever order `getCollection()` returns them in.
 */
export function mergeFeeds<Feeds extends ReadonlyArray<readonly MergeablePost[]>>(...feeds: Feeds): Array<Feeds[number][number]> {
  type Post = Feeds[number][number];
  const byId = new Map<string, Post>();
  for (const feed of feeds) {
    for (const post of feed) {
      const id = dataOf(post).id;
      if (!byId.has(id)) byId.set(id, post);
    }
  }
  return [...byId.values()].sort((a, b) => {
    const [x, y] = [dataOf(a), dataOf(b)];
    return timeOf(y.timestamp) - timeOf(x.timestamp) || compareIds(y.id, x.id);
  });
}

/** How many accounts the posts come from (distinct usernames). */
export function accountCount(posts: readonly MergeablePost[]): number {
  return new Set(posts.map((post) => dataOf(post).username).filter(Boolean)).size;
}

function dataOf(post: MergeablePost): { id: string; timestamp: Date; username?: string } {
  return 'data' in post ? post.data : post;
}

function timeOf(value: Date | string | number): number {
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/** Media ids are numeric strings above 2^53: compared as digit strings (longer is larger), not as numbers. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
