import type { CollectionState, SiteStatePost } from '../site-state/shape.js';

/** What Instagram serves now: the newest page (newest first) and, when asked, `media_count`. */
export interface CurrentFeed {
  posts: SiteStatePost[];
  /** The page was full, so older posts exist beyond it. */
  truncated: boolean;
  mediaCount?: number | undefined;
}

export interface CollectionChanges {
  added: string[];
  deleted: string[];
  edited: string[];
  /** `media_count` no longer matches what the build listed, for a reason the newest page does not show (e.g. an older post deleted). */
  count?: { before: number; now: number };
}

/** Instagram lists at most this many media (IG User Media reference). */
const LISTED_CAP = 10_000;

/**
 * Compares the newest page the site was built from with the one Instagram serves now, over the time
 * both pages cover in full (a new post pushes the oldest off a full page; that is not a deletion).
 */
export function compareCollection(built: CollectionState, now: CurrentFeed): CollectionChanges {
  const builtFrom = built.newestPage.coversFrom ? Date.parse(built.newestPage.coversFrom) : Number.NEGATIVE_INFINITY;
  const nowFrom = now.truncated && now.posts.length > 0 ? Date.parse(now.posts.at(-1)?.time ?? '') : Number.NEGATIVE_INFINITY;
  const from = Math.max(builtFrom, nowFrom);
  const inWindow = (post: SiteStatePost) => Date.parse(post.time) >= from;
  const before = new Map(built.newestPage.posts.filter(inWindow).map((post) => [post.id, post]));
  const after = new Map(now.posts.filter(inWindow).map((post) => [post.id, post]));

  // New posts are newer than anything the build saw, so they fall in the window even on a full page.
  const added = now.posts.filter((post) => !before.has(post.id) && (inWindow(post) || isNewer(post, built))).map((post) => post.id);
  const deleted = [...before.keys()].filter((id) => !after.has(id));
  const edited = [...after.values()]
    .filter((post) => before.has(post.id) && before.get(post.id)?.digest !== post.digest)
    .map((post) => post.id);

  const changes: CollectionChanges = { added, deleted, edited };
  if (built.listed !== undefined && now.mediaCount !== undefined) {
    const listedNow = Math.min(now.mediaCount, LISTED_CAP);
    const expected = Math.min(built.listed + added.length - deleted.length, LISTED_CAP);
    if (listedNow !== expected) changes.count = { before: built.listed, now: listedNow };
  }
  return changes;
}

function isNewer(post: SiteStatePost, built: CollectionState): boolean {
  const newest = built.newestPage.posts[0];
  return !newest || Date.parse(post.time) > Date.parse(newest.time);
}

export function hasChanges(changes: CollectionChanges): boolean {
  return changes.added.length + changes.deleted.length + changes.edited.length > 0 || changes.count !== undefined;
}

/** `1 new post, caption edited on 1789…` */
export function describeChanges(changes: CollectionChanges): string {
  const parts: string[] = [];
  if (changes.added.length) parts.push(`${changes.added.length} new post${changes.added.length === 1 ? '' : 's'}`);
  if (changes.deleted.length) parts.push(`${changes.deleted.length} deleted post${changes.deleted.length === 1 ? '' : 's'}`);
  if (changes.edited.length === 1) parts.push(`caption edited on ${changes.edited[0]}`);
  else if (changes.edited.length > 1) parts.push(`captions edited on ${changes.edited.length} posts`);
  if (changes.count) parts.push(`post count ${changes.count.before} → ${changes.count.now}`);
  return parts.join(', ');
}
