import { createInstagramClient, DEFAULT_API_URL, FACEBOOK_API_URL, type InstagramClient, InstagramError, redact } from 'instagram-graph';
import { DEFAULT_STATE_FILE } from '../constants.js';
import { type CollectionState, NEWEST_PAGE_FIELDS, NEWEST_PAGE_SIZE, pagePosts, type SiteState } from '../site-state/shape.js';
import { CheckError } from './check-error.js';
import { type CollectionChanges, type CurrentFeed, compareCollection, describeChanges, hasChanges } from './compare.js';
import { callHook, describeHook } from './hook.js';
import { readSiteState } from './read-state.js';

export type { CollectionState, SiteState, SiteStatePost } from '../site-state/shape.js';
export { CheckError, type CheckFailure } from './check-error.js';
export type { CollectionChanges } from './compare.js';
export { describeHook } from './hook.js';

export interface CheckOptions {
  /** The deployed site's URL (its state file is `<site>/_instagram/state.json`) or a built folder such as `dist/`. */
  site: string;
  /** The Instagram token the site builds with. */
  token: string;
  /** Graph API origin. @default 'https://graph.instagram.com' ('https://graph.facebook.com' for a Facebook Login collection) */
  apiUrl?: string;
  /** The state file's path in the site, as the integration's `stateFile`. @default '/_instagram/state.json' */
  stateFile?: string;
  /** Build hook to POST when something changed (Netlify build hook, Vercel deploy hook, ...). @default none */
  hook?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

export interface CollectionCheck {
  collection: string;
  account: string;
  /** `skipped`: the token reads another account, so this collection was not compared. */
  status: 'changed' | 'unchanged' | 'skipped';
  changes?: CollectionChanges;
  /** The newest post Instagram serves now. */
  newest?: { id: string; time: string };
  /** One line: `1 new post`, `unchanged: newest post … from …`, `not checked: …`. */
  summary: string;
}

export interface CheckResult {
  /** A rebuild would change the site. */
  changed: boolean;
  collections: CollectionCheck[];
  /** Instagram API requests made (at most 2 per account). */
  apiRequests: number;
  /** The build hook, when one was given and something changed. */
  hook?: { url: string; status: number };
  /** The one line the CLI prints: `unchanged: newest post … from …` or `changed: 1 new post; build hook called (200)`. */
  line: string;
}

/**
 * Decides whether rebuilding the site would change it: reads the state the site was built with
 * and asks Instagram for the newest page (one request) and, when the build read the whole feed,
 * `media_count` (a second). POSTs `hook` only when something changed. Throws a CheckError (never
 * holding the token or the whole hook URL) when it cannot decide; the hook is then not called.
 */
export async function checkForChanges(options: CheckOptions): Promise<CheckResult> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (!options.token?.trim()) {
    throw new CheckError('instagram', 'No Instagram token was given', 'Pass the token the site builds with (INSTAGRAM_TOKEN).');
  }
  const state = await readSiteState(options.site, options.stateFile ?? DEFAULT_STATE_FILE, fetchImpl);
  const names = Object.keys(state.collections);
  if (names.length === 0) {
    throw new CheckError('state', 'The Instagram state file lists no collection', 'Rebuild the site once Instagram can be read.');
  }
  const clean = (text: string) => redact(text, [options.token]);
  let apiRequests = 0;
  const collections: CollectionCheck[] = [];
  // Collections reading the same account share one read.
  const reads = new Map<string, Promise<{ feed: CurrentFeed; account: string }>>();
  for (const [collection, built] of Object.entries(state.collections)) {
    const key = `${built.host ?? 'instagram'}:${built.userId ?? 'me'}`;
    let read = reads.get(key);
    if (!read) {
      const client = clientFor(built, options, fetchImpl);
      read = readCurrent(client, needsCount(state, built)).finally(() => {
        apiRequests += client.requestCount;
      });
      reads.set(key, read);
    }
    let current: { feed: CurrentFeed; account: string };
    try {
      current = await read;
    } catch (error) {
      if (!(error instanceof InstagramError)) throw error;
      throw new CheckError('instagram', clean(`Could not read Instagram: ${error.what}`), clean(error.fix), { cause: error });
    }
    collections.push(checkOne(collection, built, current));
  }

  const changed = collections.some((check) => check.status === 'changed');
  const checked = collections.filter((check) => check.status !== 'skipped');
  if (checked.length === 0) {
    throw new CheckError(
      'instagram',
      `The token is for another account than the site shows (${collections[0]?.summary.replace(/^not checked: /, '')})`,
      'Use the token the site builds with.',
    );
  }
  let line = lineOf(collections, changed);
  let hook: CheckResult['hook'];
  if (changed && options.hook) {
    const status = await callHook(options.hook, fetchImpl);
    hook = { url: describeHook(options.hook), status };
    line += `; build hook called (${status})`;
  }
  return { changed, collections, apiRequests, ...(hook ? { hook } : {}), line };
}

function clientFor(built: CollectionState, options: CheckOptions, fetchImpl: typeof fetch): InstagramClient {
  const facebook = built.host === 'facebook';
  return createInstagramClient({
    token: options.token,
    ...(facebook ? { host: 'facebook' as const, ...(built.userId ? { userId: built.userId } : {}) } : {}),
    apiUrl: options.apiUrl ?? (facebook ? FACEBOOK_API_URL : DEFAULT_API_URL),
    fetch: fetchImpl,
    // A check runs again in 15 minutes: no waiting out rate limits, one retry for a blip.
    retry: { retries: 1, maxRetryTimeMs: 10_000 },
    onRateLimit: () => false,
  });
}

/** Whether any collection of this account was built from the whole feed, so `media_count` tells something. */
function needsCount(state: SiteState, built: CollectionState): boolean {
  return Object.values(state.collections).some(
    (other) => other.listed !== undefined && other.host === built.host && other.userId === built.userId,
  );
}

async function readCurrent(client: InstagramClient, withCount: boolean): Promise<{ feed: CurrentFeed; account: string }> {
  let page: Awaited<ReturnType<InstagramClient['listMedia']>> = [];
  // listMediaPages stops after `limit` posts: one request.
  for await (const items of client.listMediaPages({ limit: NEWEST_PAGE_SIZE, fields: NEWEST_PAGE_FIELDS })) page = items;
  const mediaCount = withCount ? (await client.getProfile(['media_count'])).media_count : undefined;
  return {
    feed: {
      posts: pagePosts(page),
      truncated: page.length >= NEWEST_PAGE_SIZE,
      mediaCount: typeof mediaCount === 'number' ? mediaCount : undefined,
    },
    account: page.find((item) => item.username)?.username ?? '',
  };
}

function checkOne(collection: string, built: CollectionState, current: { feed: CurrentFeed; account: string }): CollectionCheck {
  const base = { collection, account: built.account };
  // An empty account names no one; a state from an empty account names no one either.
  if (current.account && built.account && current.account !== built.account) {
    return { ...base, status: 'skipped', summary: `not checked: the token reads @${current.account}, not @${built.account}` };
  }
  const changes = compareCollection(built, current.feed);
  const newestNow = current.feed.posts[0];
  const newest = newestNow ? { newest: { id: newestNow.id, time: newestNow.time } } : {};
  if (hasChanges(changes)) return { ...base, status: 'changed', changes, ...newest, summary: describeChanges(changes) };
  const summary = newestNow ? `newest post ${newestNow.id} from ${newestNow.time.slice(0, 16).replace('T', ' ')} UTC` : 'no posts';
  return { ...base, status: 'unchanged', changes, ...newest, summary };
}

/** One line for all collections; collection names only when there are several. */
function lineOf(collections: CollectionCheck[], changed: boolean): string {
  if (collections.length === 1) return `${changed ? 'changed' : 'unchanged'}: ${collections[0]?.summary}`;
  return `${changed ? 'changed' : 'unchanged'}: ${collections.map((check) => `${check.collection}: ${check.status === 'changed' ? check.summary : check.status === 'unchanged' ? `unchanged (${check.summary})` : check.summary}`).join('; ')}`;
}
