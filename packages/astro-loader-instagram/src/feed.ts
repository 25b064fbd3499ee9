import {
  type InstagramClient,
  type InstagramPost,
  InvalidMediaError,
  normalizeMedia,
  parseInstagramTimestamp,
  type RawMedia,
} from 'instagram-graph';
import { Curator } from './curation/curator.js';
import { mediaFieldsWith } from './extra-fields.js';
import type { ResolvedOptions } from './options.js';

/** A post the loader keeps, with its place in `pin` when pinned. */
export type FeedPost = InstagramPost & { pinned?: number };

export interface Feed {
  /** Posts that passed validation, curation and the user's filters, newest first. */
  posts: FeedPost[];
  /** One line per item that could not be read (bad id, type or timestamp). */
  skipped: string[];
  /** `hide` and `pin` entries that matched no post, and pinned posts another rule left out: one warning line each. */
  curationWarnings: (collection: string) => string[];
  /** The first page Instagram served, as served (before filters): the site state's newest page. */
  newestPage: RawMedia[];
  /** From when on `newestPage` holds every post; undefined when it holds the whole account. */
  newestPageCoversFrom?: Date | undefined;
  /** Posts Instagram listed, when the whole feed was read (no `limit` or `since` stopped it). */
  listed?: number | undefined;
  /** Each kept post's media item as served, by id: the `fields` option's values and `transform`'s `raw`. */
  raw: Map<string, RawMedia>;
}

/**
 * Reads every page of the account's media and applies `since`, curation (`hide`, `hideTag`, `until`,
 * `offFeedReels`, `pin`), `mediaTypes`, `filter` and `limit`.
 */
export async function fetchFeed(client: InstagramClient, options: ResolvedOptions): Promise<Feed> {
  const curator = new Curator(options);
  /** Kept posts that are not pinned, newest first; `limit` trims them once the pinned ones are known. */
  const unpinned: FeedPost[] = [];
  const pinned: FeedPost[] = [];
  const skipped: string[] = [];
  const rawById = new Map<string, RawMedia>();
  // `limit` counts kept posts, so with filters we may need to read beyond `limit` items; pinned posts
  // are looked for past `limit` too. `until` is applied here, not by the API: the first page stays
  // the account's newest page, which the site state and `check` compare.
  const filtering = Boolean(options.mediaTypes || options.filter || options.hide || options.hideTag || options.pin || options.until);
  const pageLimit = options.limit && !filtering && options.offFeedReels === 'keep' ? options.limit : undefined;
  let newestPage: RawMedia[] | undefined;
  let pages = 0;
  let listed = 0;
  /** What the feed read says about the newest page, once reading stops (`complete`: nothing left unread). */
  const feed = (complete: boolean): Feed => {
    const first = newestPage ?? [];
    const whole = complete && pages <= 1 && !options.since;
    const oldest = parseInstagramTimestamp(first.at(-1)?.timestamp);
    const coversFrom = whole ? undefined : pages <= 1 && complete ? options.since : oldest;
    // Pinned posts take their place within `limit` (the first ones in `pin` when there are more); the newest others fill the rest.
    const limit = options.limit;
    const shownPins = limit ? [...pinned].sort((a, b) => (a.pinned ?? 0) - (b.pinned ?? 0)).slice(0, limit) : pinned;
    const others = limit ? unpinned.slice(0, Math.max(0, limit - shownPins.length)) : unpinned;
    const posts = [...shownPins, ...others].sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
    const pinsOverLimit = pinned.length - shownPins.length;
    return {
      posts,
      skipped,
      // With `since`, posts before it were never listed: a `hide` entry for one is no mistake.
      curationWarnings: (collection) => [
        ...curator.warnings(complete && !options.since, collection),
        ...(pinsOverLimit > 0
          ? [
              `pin (${collection}): ${pinned.length} pinned posts found but \`limit\` is ${limit}, so the last ${pinsOverLimit === 1 ? 'one' : pinsOverLimit} in \`pin\` ${pinsOverLimit === 1 ? 'is' : 'are'} not shown. Raise \`limit\`, or pin fewer posts.`,
            ]
          : []),
      ],
      newestPage: first,
      newestPageCoversFrom: coversFrom,
      listed: complete && !options.since ? listed : undefined,
      raw: rawById,
    };
  };
  const enough = () => options.limit !== undefined && unpinned.length + pinned.length >= options.limit;
  for await (const page of client.listMediaPages({
    ...(pageLimit ? { limit: pageLimit } : {}),
    ...(options.since ? { since: options.since } : {}),
    fields: mediaFieldsWith(options.fields),
  })) {
    newestPage ??= page;
    pages++;
    listed += page.length;
    for (const raw of page) {
      const post = readPost(raw, skipped);
      if (!post) continue;
      if (options.since && post.timestamp < options.since) continue;
      const otherRule = () =>
        !matchesType(post, options.mediaTypes) ? '`mediaTypes`' : options.filter && !options.filter(post) ? 'your `filter`' : undefined;
      if (curator.leftOut(post, otherRule)) continue;
      const position = curator.pinned(post);
      if (position !== undefined) pinned.push({ ...post, pinned: position });
      else if (!enough()) unpinned.push(post);
      else continue;
      rawById.set(post.id, raw);
      if (enough() && !curator.pinsOutstanding) return feed(false);
    }
  }
  // With `limit` given to the API, the read ends at `limit` posts whether or not there are more.
  return feed(!(pageLimit && listed >= pageLimit));
}

/** The post in a media item, or undefined with one line in `skipped` when Instagram served an item that cannot be read. */
export function readPost(raw: RawMedia, skipped: string[]): InstagramPost | undefined {
  try {
    return normalizeMedia(raw);
  } catch (error) {
    if (!(error instanceof InvalidMediaError)) throw error;
    skipped.push(error.message);
    return undefined;
  }
}

function matchesType(post: InstagramPost, types: ResolvedOptions['mediaTypes']): boolean {
  if (!types) return true;
  return types.includes(post.type) || (post.isReel && types.includes('reel'));
}
