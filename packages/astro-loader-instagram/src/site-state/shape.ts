import { createHash } from 'node:crypto';
import { parseInstagramTimestamp, type RawMedia } from 'instagram-graph';

/**
 * The public state file a built site carries (`/_instagram/state.json` by default), and the newest
 * page both the build and `check` read. Everything in it is public on Instagram already (post ids,
 * times, counts); captions are kept as digests only, and there is never a token or a signed URL.
 * This module imports neither Astro nor sharp: `astro-loader-instagram/check` runs in scheduled
 * functions that have neither.
 */

export const SITE_STATE_VERSION = 1;

/**
 * The newest page: `GET /me/media?limit=100`, Instagram's largest page and so the most `check` sees
 * in one request. The build's first page is the same request with more fields.
 */
export const NEWEST_PAGE_SIZE = 100;
/** What `check` asks for: enough to tell a new, deleted or edited post (username says which account answered). */
export const NEWEST_PAGE_FIELDS = ['id', 'caption', 'media_type', 'timestamp', 'username'] as const;

export interface SiteStatePost {
  id: string;
  /** ISO time the post was published. */
  time: string;
  /** Short digest of what the page shows of it (media type and caption). */
  digest: string;
}

export interface CollectionState {
  /** Instagram username the collection reads. */
  account: string;
  /** `'facebook'` for the Instagram API with Facebook Login, with the account id it reads. Absent: Instagram Login. */
  host?: 'facebook';
  userId?: string;
  /** Entries in the collection (after the loader's filters). */
  posts: number;
  /** The collection's newest post, or null when it holds none. */
  newest: { id: string; time: string } | null;
  /** Posts Instagram listed, when the build read the whole feed (no `limit`, no `since`); compared with `media_count`. */
  listed?: number;
  newestPage: {
    /** Digest of `posts` below, as one value. */
    digest: string;
    /** ISO time from which `posts` holds every post; absent when it holds the whole account. */
    coversFrom?: string;
    /** Newest first, as Instagram served them. */
    posts: SiteStatePost[];
  };
}

export interface SiteState {
  version: typeof SITE_STATE_VERSION;
  /** When the site was built (ISO). */
  builtAt: string;
  /** Per content collection. */
  collections: Record<string, CollectionState>;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** The newest page as the state keeps it: id, time and a digest of the shown caption and media type. Items without a valid time are left out (the loader skips them too). */
export function pagePosts(items: readonly RawMedia[]): SiteStatePost[] {
  const posts: SiteStatePost[] = [];
  for (const item of items) {
    const time = item.timestamp ? parseInstagramTimestamp(item.timestamp) : undefined;
    if (!time || Number.isNaN(time.getTime()) || typeof item.id !== 'string') continue;
    posts.push({ id: item.id, time: time.toISOString(), digest: sha(`${item.media_type ?? ''}\n${item.caption ?? ''}`).slice(0, 16) });
  }
  return posts;
}

export function pageDigest(posts: readonly SiteStatePost[]): string {
  return `sha256:${sha(JSON.stringify(posts.map((post) => [post.id, post.digest])))}`;
}
