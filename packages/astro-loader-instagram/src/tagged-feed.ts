import type { InstagramClient, InstagramPost } from 'instagram-graph';
import { readPost } from './feed.js';
import { type Approve, isApproved, unmatchedApprovals } from './tagged-approval.js';

export interface TaggedFeed {
  /** The approved posts, newest first, at most `limit`: the only ones stored or downloaded. */
  approved: InstagramPost[];
  /** Tagged posts left out because the owner has not approved them. */
  awaiting: number;
  /** `approve` entries that match no tagged post. */
  unmatched: string[];
  /** One line per item that could not be read (bad id, type or timestamp). */
  skipped: string[];
}

/** Reads every post that tags the account and keeps the approved ones (all pages: an approved post may be old). */
export async function fetchTaggedFeed(client: InstagramClient, approve: Approve, limit: number | undefined): Promise<TaggedFeed> {
  const all: InstagramPost[] = [];
  const skipped: string[] = [];
  for await (const page of client.listTaggedPages()) {
    for (const raw of page) {
      const post = readPost(raw, skipped);
      if (post) all.push(post);
    }
  }
  const approved = all.filter((post) => isApproved(post, approve));
  const kept = limit ? approved.slice(0, limit) : approved;
  return { approved: kept, awaiting: all.length - approved.length, unmatched: unmatchedApprovals(approve, all), skipped };
}
