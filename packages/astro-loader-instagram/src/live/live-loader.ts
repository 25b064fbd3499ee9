import type { LiveLoader } from 'astro/loaders';
import {
  type InstagramClient,
  InstagramError,
  type InstagramPost,
  InvalidMediaError,
  imageUrlOf,
  MEDIA_FIELDS,
  normalizeMedia,
} from 'instagram-graph';
import { createClient } from '../client.js';
import { LOADER_NAME } from '../constants.js';
import { Curator } from '../curation/curator.js';
import { POST_KEY } from '../curation/post-ref.js';
import { postAlt } from '../entry.js';
import { MISSING_TOKEN } from '../failure.js';
import { fetchFeed } from '../feed.js';
import { resolveOptions } from '../options.js';
import { collectionTags, entryCacheHint } from './cache-hint.js';
import { InstagramLiveError, liveErrorOf, optionsError } from './live-error.js';
import {
  type CheckedCollectionFilter,
  checkCollectionFilter,
  checkEntryFilter,
  checkLiveOptions,
  type EntryLookup,
  type InstagramLiveCollectionFilter,
  type InstagramLiveEntryFilter,
  type InstagramLiveLoaderOptions,
} from './live-options.js';

/** A live entry's data: the post as Instagram served it a moment ago, its media as signed CDN URLs. */
export interface InstagramLivePost extends InstagramPost {
  /** The picture to show: the photo, a video's poster, or an album's first item (a CDN URL that expires within days). */
  image?: string;
  /** Never empty: the owner's alt text, else the caption's opening words, else a description (as the build loader's `alt`). */
  alt: string;
}

/** Where the loader reads the environment at request time: `astro:env/server` first, then `process.env`. */
export type ReadSecret = (key: string) => string | undefined;

export type InstagramLiveLoader = LiveLoader<
  InstagramLivePost,
  InstagramLiveEntryFilter,
  InstagramLiveCollectionFilter,
  InstagramLiveError
>;

const ENTRY_LOOKUP_FIX = 'Pass a media id or a shortcode: getLiveEntry("instagram", Astro.params.id).';
const OPTIONS_FIX = "Fix the options passed to instagramLiveLoader() in src/live.config.ts; the README's Live mode section lists them.";
const FILTER_FIX = "Fix the filter passed to getLiveCollection(); the README's Live mode section lists the filters.";

/** The live loader, reading secrets with `readSecret` (index.ts passes astro:env's getSecret). */
export function createLiveLoader(options: InstagramLiveLoaderOptions, readSecret: ReadSecret): InstagramLiveLoader {
  // live.config is first evaluated by a request, not by `astro build`: a mistake in the options becomes
  // every call's `{ error }` (the page's fallback and one line), never a 500.
  let config: InstagramLiveLoaderOptions;
  let configError: unknown;
  try {
    config = checkLiveOptions(options);
  } catch (error) {
    config = {};
    configError = error;
  }
  /** The build loader's resolved options, with the environment read now (a new token works without a restart). */
  const resolve = (filter: Partial<CheckedCollectionFilter> = {}) => {
    const env = { ...process.env };
    for (const key of ['INSTAGRAM_TOKEN', 'INSTAGRAM_API_URL']) {
      const value = readSecret(key)?.trim();
      if (value) env[key] = value;
    }
    // `until` joins the options once checked against `since` (loadCollection), with the live loader's own message.
    const { until: _until, ...buildFilter } = filter;
    return resolveOptions({ ...config, ...definedOnly(buildFilter) }, env);
  };

  return {
    name: `${LOADER_NAME}/live`,
    loadCollection: async ({ filter, collection }) => {
      if (configError) return { error: optionsError(collection, configError, OPTIONS_FIX) };
      let checked: CheckedCollectionFilter;
      try {
        checked = checkCollectionFilter(filter, collection);
      } catch (error) {
        return { error: optionsError(collection, error, FILTER_FIX) };
      }
      const options = resolve(checked);
      const until = checked.until;
      if (options.since && until && options.since > until) {
        const what = `the filter's \`until\` (${until.toISOString()}) is before \`since\` (${options.since.toISOString()}), so no post is kept`;
        return { error: optionsError(collection, what, FILTER_FIX) };
      }
      const token = options.token;
      if (!token) return { error: new InstagramLiveError(collection, MISSING_TOKEN, 'auth') };
      try {
        const client = createClient({ ...options, token });
        // `until` is the build loader's curation option too (fetchFeed leaves later posts out), checked against `since` above.
        const feed = await fetchFeed(until ? endingAt(client, until) : client, { ...options, until });
        const entries = feed.posts.map((post) => ({ id: post.id, data: livePost(post), cacheHint: entryCacheHint(collection, post) }));
        const newest = feed.posts[0]?.timestamp; // the feed is newest first
        return { entries, cacheHint: { tags: collectionTags(collection), ...(newest ? { lastModified: newest } : {}) } };
      } catch (error) {
        return { error: liveErrorOf(collection, error, [token]) };
      }
    },
    loadEntry: async ({ filter, collection }) => {
      if (configError) return { error: optionsError(collection, configError, OPTIONS_FIX) };
      let lookup: EntryLookup;
      try {
        lookup = checkEntryFilter(filter, collection);
      } catch (error) {
        return { error: optionsError(collection, error, ENTRY_LOOKUP_FIX) };
      }
      const options = resolve();
      const token = options.token;
      if (!token) return { error: new InstagramLiveError(collection, MISSING_TOKEN, 'auth') };
      try {
        const client = createClient({ ...options, token });
        const post = 'id' in lookup ? await postById(client, lookup.id) : await postByShortcode(client, options, lookup.shortcode);
        // A post the list leaves out by curation (`hide`, its #nosite, a Reel off the grid) has no page either.
        if (!post || new Curator(options).leftOut(post)) return undefined;
        return { id: post.id, data: livePost(post), cacheHint: entryCacheHint(collection, post) };
      } catch (error) {
        return { error: liveErrorOf(collection, error, [token]) };
      }
    },
  };
}

/** One request for one post; an id Instagram does not know is "not found" (Astro's LiveEntryNotFoundError), not a failure. */
async function postById(client: InstagramClient, id: string): Promise<InstagramPost | undefined> {
  try {
    const post = normalizeMedia(await client.getMedia(id, MEDIA_FIELDS));
    // An album item's id answers too, without a permalink: it is not a post of the feed.
    return post.permalink ? post : undefined;
  } catch (error) {
    if (error instanceof InstagramError && error.kind === 'invalid-request') return undefined;
    if (error instanceof InvalidMediaError) return undefined;
    throw error;
  }
}

/** Instagram has no lookup by shortcode: read the feed, newest first, until the post is found. */
async function postByShortcode(
  client: InstagramClient,
  options: ReturnType<typeof resolveOptions>,
  shortcode: string,
): Promise<InstagramPost | undefined> {
  // What a shortcode can be (as `hide` and `pin` take it); anything else in a visitor's URL is "not found" without reading the feed.
  if (!POST_KEY.test(shortcode)) return undefined;
  // The page asked for one post: the collection's filters do not hide it (its curation does, once found).
  const lookup = {
    ...options,
    since: undefined,
    mediaTypes: undefined,
    hide: undefined,
    hideTag: false as const,
    offFeedReels: 'keep' as const,
    limit: 1,
    filter: (post: InstagramPost) => post.shortcode === shortcode,
  };
  const feed = await fetchFeed(client, lookup);
  return feed.posts[0];
}

/** `until` on Instagram's side too (time-based paging), so pages of newer posts are not read only to be dropped. */
function endingAt(client: InstagramClient, until: Date): InstagramClient {
  return Object.assign(Object.create(client) as InstagramClient, {
    listMediaPages: (list: Parameters<InstagramClient['listMediaPages']>[0] = {}) => client.listMediaPages({ ...list, until }),
  });
}

function livePost(post: InstagramPost): InstagramLivePost {
  const first = post.children[0];
  const image = imageUrlOf(post) ?? (first ? imageUrlOf(first) : undefined);
  return { ...post, ...(image ? { image } : {}), alt: postAlt(post) };
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
