import type { InstagramPost } from 'instagram-graph';

/** `approve`: the owner's list of ids, shortcodes or permalinks, or a function. */
export type Approve = readonly string[] | ((post: InstagramPost) => boolean);

/** The shortcode in a permalink (`/p/{code}/`, `/reel/{code}/`, `/tv/{code}/`), if it has one. */
export function shortcodeOf(permalink: string): string | undefined {
  return /instagram\.com\/(?:[\w.]+\/)?(?:p|reels?|tv)\/([\w-]+)/.exec(permalink)?.[1];
}

/** What one `approve` entry names: a media id, or the shortcode (given alone or inside a permalink). */
function keyOf(entry: string): string {
  const text = entry.trim();
  return shortcodeOf(text) ?? text;
}

/** Whether the owner approved `post`: a list matches its id or shortcode; a function decides. */
export function isApproved(post: InstagramPost, approve: Approve): boolean {
  if (typeof approve === 'function') return approve(post) === true;
  const shortcode = post.shortcode ?? shortcodeOf(post.permalink);
  return approve.some((entry) => {
    const key = keyOf(entry);
    return key === post.id || (shortcode !== undefined && key === shortcode);
  });
}

/**
 * Entries of an `approve` list that match none of the tagged posts: the author deleted the post,
 * made it private or removed the tag, or the entry has a typo. Worth a warning, not a failure.
 */
export function unmatchedApprovals(approve: Approve, posts: readonly InstagramPost[]): string[] {
  if (typeof approve === 'function') return [];
  return approve.filter((entry) => !posts.some((post) => isApproved(post, [entry])));
}
