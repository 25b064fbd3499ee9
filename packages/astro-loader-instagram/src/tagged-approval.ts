import type { InstagramPost } from 'instagram-graph';
import { keysOfPost, postRefKey } from './curation/post-ref.js';

/** `approve`: the owner's list of ids, shortcodes or permalinks, or a function. */
export type Approve = readonly string[] | ((post: InstagramPost) => boolean);

/** What one `approve` entry names: a media id or a shortcode, in every form `hide` and `pin` take (curation/post-ref.ts). */
function keyOf(entry: string): string {
  return postRefKey(entry) ?? entry.trim();
}

/** Whether the owner approved `post`: a list matches its id or shortcode; a function decides. */
export function isApproved(post: InstagramPost, approve: Approve): boolean {
  if (typeof approve === 'function') return approve(post) === true;
  const keys = keysOfPost(post);
  return approve.some((entry) => keys.includes(keyOf(entry)));
}

/**
 * Entries of an `approve` list that match none of the tagged posts: the author deleted the post,
 * made it private or removed the tag, or the entry has a typo. Worth a warning, not a failure.
 */
export function unmatchedApprovals(approve: Approve, posts: readonly InstagramPost[]): string[] {
  if (typeof approve === 'function') return [];
  return approve.filter((entry) => !posts.some((post) => isApproved(post, [entry])));
}
