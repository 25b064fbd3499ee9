import { type InstagramClient, type InstagramPost, InvalidMediaError, normalizeMedia } from 'instagram-graph';
import type { ResolvedOptions } from './options.js';

export interface Feed {
  /** Posts that passed validation and the user's filters, newest first. */
  posts: InstagramPost[];
  /** One line per item that could not be read (bad id, type or timestamp). */
  skipped: string[];
}

/** Reads every page of the account's media and applies `mediaTypes`, `since`, `limit` and `filter`. */
export async function fetchFeed(client: InstagramClient, options: ResolvedOptions): Promise<Feed> {
  const posts: InstagramPost[] = [];
  const skipped: string[] = [];
  // `limit` counts kept posts, so with type filters we may need to read beyond `limit` items.
  const filtering = Boolean(options.mediaTypes || options.filter);
  for await (const page of client.listMediaPages({
    ...(options.limit && !filtering ? { limit: options.limit } : {}),
    ...(options.since ? { since: options.since } : {}),
  })) {
    for (const raw of page) {
      let post: InstagramPost;
      try {
        post = normalizeMedia(raw);
      } catch (error) {
        if (!(error instanceof InvalidMediaError)) throw error;
        skipped.push(error.message);
        continue;
      }
      if (options.since && post.timestamp < options.since) continue;
      if (!matchesType(post, options.mediaTypes)) continue;
      if (options.filter && !options.filter(post)) continue;
      posts.push(post);
      if (options.limit && posts.length >= options.limit) return { posts, skipped };
    }
  }
  return { posts, skipped };
}

function matchesType(post: InstagramPost, types: ResolvedOptions['mediaTypes']): boolean {
  if (!types) return true;
  return types.includes(post.type) || (post.isReel && types.includes('reel'));
}
