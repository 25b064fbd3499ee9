import {
  type InstagramClient,
  type InstagramPost,
  InvalidMediaError,
  normalizeMedia,
  parseInstagramTimestamp,
  type RawMedia,
} from 'instagram-graph';
import { mediaFieldsWith } from './extra-fields.js';
import type { ResolvedOptions } from './options.js';

export interface Feed {
  /** Posts that passed validation and the user's filters, newest first. */
  posts: InstagramPost[];
  /** One line per item that could not be read (bad id, type or timestamp). */
  skipped: string[];
  /** The first page Instagram served, as served (before filters): the site state's newest page. */
  newestPage: RawMedia[];
  /** From when on `newestPage` holds every post; undefined when it holds the whole account. */
  newestPageCoversFrom?: Date | undefined;
  /** Posts Instagram listed, when the whole feed was read (no `limit` or `since` stopped it). */
  listed?: number | undefined;
  /** Each kept post's media item as served, by id: the `fields` option's values and `transform`'s `raw`. */
  raw: Map<string, RawMedia>;
}

/** Reads every page of the account's media and applies `mediaTypes`, `since`, `limit` and `filter`. */
export async function fetchFeed(client: InstagramClient, options: ResolvedOptions): Promise<Feed> {
  const posts: InstagramPost[] = [];
  const skipped: string[] = [];
  const rawById = new Map<string, RawMedia>();
  // `limit` counts kept posts, so with type filters we may need to read beyond `limit` items.
  const filtering = Boolean(options.mediaTypes || options.filter);
  const pageLimit = options.limit && !filtering ? options.limit : undefined;
  let newestPage: RawMedia[] | undefined;
  let pages = 0;
  let listed = 0;
  /** What the feed read says about the newest page, once reading stops (`complete`: nothing left unread). */
  const feed = (complete: boolean): Feed => {
    const first = newestPage ?? [];
    const whole = complete && pages <= 1 && !options.since;
    const oldest = parseInstagramTimestamp(first.at(-1)?.timestamp);
    const coversFrom = whole ? undefined : pages <= 1 && complete ? options.since : oldest;
    return {
      posts,
      skipped,
      newestPage: first,
      newestPageCoversFrom: coversFrom,
      listed: complete && !options.since ? listed : undefined,
      raw: rawById,
    };
  };
  for await (const page of client.listMediaPages({
    ...(pageLimit ? { limit: pageLimit } : {}),
    ...(options.since ? { since: options.since } : {}),
    fields: mediaFieldsWith(options.fields),
  })) {
    newestPage ??= page;
    pages++;
    listed += page.length;
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
      rawById.set(post.id, raw);
      if (options.limit && posts.length >= options.limit) return feed(false);
    }
  }
  // With `limit` given to the API, the read ends at `limit` posts whether or not there are more.
  return feed(!(pageLimit && listed >= pageLimit));
}

function matchesType(post: InstagramPost, types: ResolvedOptions['mediaTypes']): boolean {
  if (!types) return true;
  return types.includes(post.type) || (post.isReel && types.includes('reel'));
}
