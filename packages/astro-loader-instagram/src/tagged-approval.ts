import type { InstagramPost } from 'instagram-graph';
import { keysOfPost, refKeyOf, unmatchedRefs } from './curation/post-ref.js';

/** `approve`: the owner's list of ids, shortcodes or permalinks, or a function. */
export type Approve = readonly string[] | ((post: InstagramPost) => boolean);

/** Whether the owner approved `post`: a list matches its id or shortcode (entries in every form `hide` and `pin` take); a function decides. */
export function isApproved(post: InstagramPost, approve: Approve): boolean {
  if (typeof approve === 'function') return approve(post) === true;
  const keys = keysOfPost(post);
  return approve.some((entry) => keys.includes(refKeyOf(entry)));
}

/**
 * Entries of an `approve` list that match none of the tagged posts: the author deleted the post,
 * made it private or removed the tag, or the entry has a typo. Worth a warning, not a failure.
 */
export function unmatchedApprovals(approve: Approve, posts: readonly InstagramPost[]): string[] {
  if (typeof approve === 'function') return [];
  return unmatchedRefs(approve, posts);
}
