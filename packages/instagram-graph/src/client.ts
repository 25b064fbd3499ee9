import { apiRoot, DEFAULT_API_URL, FACEBOOK_API_URL } from './api-url.js';
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, retryPolicy } from './defaults.js';
import { InstagramApiError, InstagramError } from './errors.js';
import {
  CHILD_FIELDS,
  FACEBOOK_PROFILE_FIELDS,
  fieldName,
  isPermissionCode,
  MEDIA_FIELDS,
  MEDIA_URL_FIELDS,
  PROFILE_FIELDS,
  REQUIRED_FIELDS,
  refusedField,
  TAGGED_MEDIA_FIELDS,
  withoutField,
} from './fields.js';
import type { InstagramApiHost } from './host.js';
import { getJson, type HttpOptions, type RequestOptions, type RetryPolicy } from './http.js';
import { type OnRateLimit, RateLimitGate } from './rate-limit.js';
import { tagsPermissionError } from './tags-permission.js';
import type { RawChild, RawMedia, RawPage, RawProfile } from './types.js';

export { DEFAULT_API_URL, FACEBOOK_API_URL } from './api-url.js';

/**
 * Which Instagram API: `'instagram'` (Instagram Login, graph.instagram.com, `/me`) or
 * `'facebook'` (Facebook Login, graph.facebook.com, `/{ig-user-id}`, needs `userId`).
 */
/** Graph API version pinned by default; Meta retires versions about two years after release. */
export const DEFAULT_API_VERSION = 'v25.0';
/** The largest page the media edge serves. */
export const MAX_PAGE_SIZE = 100;
/**
 * Smallest page asked for after code 1 "Please reduce the amount of data" (pages halve: 100, 50, 25).
 * Smaller pages would mean hundreds of requests for a big account; below it the error stands.
 */
export const MIN_PAGE_SIZE = 25;

export interface InstagramClientOptions {
  /** Long-lived Instagram User access token (or a Facebook Page token with `host: 'facebook'`). */
  token: string;
  /** @default 'instagram' */
  host?: InstagramApiHost;
  /** Instagram professional account id; required with `host: 'facebook'`. @default 'me' */
  userId?: string;
  /** API origin (or a proxy). @default 'https://graph.instagram.com' ('https://graph.facebook.com' for host 'facebook') */
  apiUrl?: string;
  /** Graph API version path segment. @default 'v25.0' */
  apiVersion?: string;
  /** Per-request timeout in ms. @default DEFAULT_TIMEOUT_MS (30_000) */
  timeoutMs?: number;
  /** Retry policy for transient failures and rate limits; unset fields keep DEFAULT_RETRY's. @default DEFAULT_RETRY */
  retry?: Partial<RetryPolicy>;
  /** Injected fetch (tests, proxies). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Called before each retry, with a token-free error. */
  onRetry?: HttpOptions['onRetry'];
  /** Called with each response's headers (rate-limit usage headers). */
  onResponse?: HttpOptions['onResponse'];
  /**
   * Told of each rate-limited answer; returns whether that request tries once more after the wait
   * (a wait beyond the retry budget fails all the same). Other requests wait for that one.
   * @default retryOnce (one more try)
   */
  onRateLimit?: OnRateLimit;
  /**
   * Optional fields Instagram is known to refuse for this account (e.g. remembered from an earlier
   * build): they are never asked for. Required fields (id, media_type, timestamp, username) are ignored here.
   * @default []
   */
  withoutFields?: readonly string[];
}

export interface ListMediaOptions {
  /** Stop after this many posts (newest first). @default all (Instagram serves at most 10,000) */
  limit?: number;
  /** Only media published at or after this time. */
  since?: Date;
  /** Only media published before this time. */
  until?: Date;
  /** Fields to request. @default MEDIA_FIELDS */
  fields?: readonly string[];
}

export interface ListTaggedOptions {
  /** Stop after this many posts (newest first). @default all */
  limit?: number;
  /** Fields to request. @default TAGGED_MEDIA_FIELDS */
  fields?: readonly string[];
}

export interface InstagramClient {
  /** The account behind the token (`GET /me`). */
  getProfile(fields?: readonly string[]): Promise<RawProfile>;
  /** Every page of `/me/media`, 100 posts per request, carousel children nested. */
  listMediaPages(options?: ListMediaOptions): AsyncGenerator<RawMedia[]>;
  /** All media up to `limit`. */
  listMedia(options?: ListMediaOptions): Promise<RawMedia[]>;
  /**
   * Every page of `GET /{ig-user-id}/tags`: other accounts' public posts in which this account is
   * tagged, newest first. Needs instagram_business_manage_comments (Instagram Login) or
   * instagram_manage_comments (Facebook Login); without it, an error that says so.
   */
  listTaggedPages(options?: ListTaggedOptions): AsyncGenerator<RawMedia[]>;
  /** All tagged posts up to `limit`. */
  listTagged(options?: ListTaggedOptions): Promise<RawMedia[]>;
  /** One media item, e.g. to get freshly signed CDN URLs. */
  getMedia(id: string, fields?: readonly string[]): Promise<RawMedia>;
  /** Requests sent so far (retries included). */
  readonly requestCount: number;
  /** Optional fields left out so far: those given as `withoutFields` and those Instagram refused. */
  readonly droppedFields: readonly string[];
}

export function createInstagramClient(options: InstagramClientOptions): InstagramClient {
  if (!options.token?.trim()) {
    throw new InstagramError('auth', 'No Instagram access token was given');
  }
  const host = options.host ?? 'instagram';
  if (host === 'facebook' && !options.userId) {
    throw new InstagramError(
      'invalid-request',
      'The Instagram API with Facebook Login needs the Instagram account id',
      'Pass userId (GET /{page-id}?fields=instagram_business_account gives it).',
    );
  }
  if (options.userId !== undefined && !/^(me|\d+)$/.test(options.userId)) {
    throw new InstagramError('invalid-request', `userId "${options.userId.slice(0, 40)}" is not a numeric Instagram account id`);
  }
  const user = options.userId ?? 'me';
  const defaultUrl = host === 'facebook' ? FACEBOOK_API_URL : DEFAULT_API_URL;
  const base = apiBase(options.apiUrl ?? defaultUrl, options.apiVersion ?? DEFAULT_API_VERSION);
  let requestCount = 0;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const http: HttpOptions = {
    token: options.token.trim(),
    host,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: retryPolicy(DEFAULT_RETRY, options.retry),
    fetch: (input, init) => {
      requestCount++;
      return fetchImpl(input, init);
    },
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.onResponse ? { onResponse: options.onResponse } : {}),
    rateLimit: new RateLimitGate(options.onRateLimit ? { onRateLimit: options.onRateLimit } : {}),
  };

  const get = <T>(path: string, params: Record<string, string>, endpoint: string, request?: RequestOptions) => {
    const url = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return getJson<T>(url, endpoint, http, request);
  };

  /** Optional fields not asked for any more, shared by every call of this client. */
  const dropped = new Set((options.withoutFields ?? []).filter((field) => !REQUIRED_FIELDS.has(field)));
  const reduce = (fields: readonly string[]) => [...dropped].reduce<string[]>((list, name) => withoutField(list, name), [...fields]);

  /**
   * When a permission refusal (code 10, 200-299) names no field, finds out which optional fields
   * cause it, with one-item requests: first the required fields alone (refused too: the refusal is
   * not about fields, and the caller's error stands), then each optional field alone on top of them,
   * in the order asked, expansions (children{...}) last so they are tried without fields already refused.
   * Costs one request plus one per optional field, once: the loader remembers the result.
   */
  const probeRefusedFields = async (path: string, params: Record<string, string>, endpoint: string, fields: readonly string[]) => {
    const oneItem = params.limit ? { ...params, limit: '1' } : params;
    const served = (list: readonly string[]) =>
      get(path, { ...oneItem, fields: list.join(',') }, endpoint).then(
        () => true,
        (error: unknown) => {
          if (error instanceof InstagramApiError && isPermissionCode(error.code)) return false;
          throw error;
        },
      );
    const required = fields.filter((field) => REQUIRED_FIELDS.has(field));
    if (!(await served(required))) return [];
    const refused: string[] = [];
    const optional = fields.filter((field) => !REQUIRED_FIELDS.has(field));
    const ordered = [...optional.filter((field) => !field.includes('{')), ...optional.filter((field) => field.includes('{'))];
    for (const field of ordered) {
      const asked = refused.reduce<string[]>((list, name) => withoutField(list, name), [field]);
      if (asked.length > 0 && !(await served([...required, ...asked]))) refused.push(fieldName(field));
    }
    return refused;
  };

  /**
   * GET with a field list, leaving out optional fields Instagram refuses (named in the error, or
   * found by probing a refusal that names none) and trying again. Drops are shared by all calls.
   */
  const getWithFields = async <T>(
    path: string,
    params: Record<string, string>,
    endpoint: string,
    fields: readonly string[],
    request?: RequestOptions,
  ) => {
    let probed = false;
    for (;;) {
      const current = reduce(fields);
      try {
        return await get<T>(path, { ...params, fields: current.join(',') }, endpoint, request);
      } catch (error) {
        if (!(error instanceof InstagramApiError)) throw error;
        const named = refusedField({ code: error.code, message: error.apiMessage }, current);
        let refused = named ? [named] : [];
        const asksOptional = current.some((field) => !REQUIRED_FIELDS.has(field));
        if (!named && isPermissionCode(error.code) && asksOptional && !probed) {
          probed = true;
          refused = await probeRefusedFields(path, params, endpoint, current);
        }
        const before = current.join();
        for (const name of refused) dropped.add(name);
        if (reduce(fields).join() === before) throw error;
      }
    }
  };

  /** Albums read without the children{...} expansion get their children with one request each. */
  const addChildren = async (items: RawMedia[]) => {
    if (!dropped.has('children')) return;
    for (const item of items) {
      if (item.media_type !== 'CAROUSEL_ALBUM' || item.children) continue;
      const page = await getWithFields<RawPage<RawChild>>(`/${item.id}/children`, {}, 'GET /{media-id}/children', CHILD_FIELDS);
      item.children = { data: Array.isArray(page.data) ? page.data : [] };
    }
  };

  async function* listMediaPages(list: ListMediaOptions = {}): AsyncGenerator<RawMedia[]> {
    const limit = list.limit ?? Number.POSITIVE_INFINITY;
    const fields = list.fields ?? MEDIA_FIELDS;
    let pageSize = MAX_PAGE_SIZE;
    const params: Record<string, string> = {};
    if (list.since) params.since = String(Math.floor(list.since.getTime() / 1000));
    if (list.until) params.until = String(Math.floor(list.until.getTime() / 1000));

    let remaining = limit;
    const seenCursors = new Set<string>();
    let emptyPagesInARow = 0;
    while (remaining > 0) {
      params.limit = String(Math.min(pageSize, remaining));
      let page: RawPage<RawMedia>;
      try {
        page = await getWithFields<RawPage<RawMedia>>(`/${user}/media`, params, 'GET /me/media', fields, { canShrink: true });
      } catch (error) {
        // "Please reduce the amount of data": the same cursor again with half the page, for the rest of the feed.
        if (!(error instanceof InstagramApiError && error.asksForLessData && pageSize > MIN_PAGE_SIZE)) throw error;
        pageSize = Math.max(MIN_PAGE_SIZE, Math.floor(pageSize / 2));
        continue;
      }
      if (!Array.isArray(page.data)) {
        throw new InstagramError('invalid-response', 'Instagram API GET /me/media answered without a "data" list');
      }
      const items = page.data.slice(0, remaining);
      await addChildren(items);
      remaining -= items.length;
      if (items.length > 0) yield items;

      // Only a missing `next` ends the feed. Anything else that stops paging early must fail, so the
      // loader keeps the last good sync instead of deleting the posts it did not get to.
      const nextParams = nextPageParams(page);
      if (!nextParams) return;
      const cursorKey = JSON.stringify(nextParams);
      if (seenCursors.has(cursorKey)) throw pagingError('repeated a paging cursor (it would loop forever)');
      seenCursors.add(cursorKey);
      emptyPagesInARow = items.length === 0 ? emptyPagesInARow + 1 : 0;
      if (emptyPagesInARow >= MAX_EMPTY_PAGES) throw pagingError(`sent ${MAX_EMPTY_PAGES} empty pages in a row, each with a next page`);
      delete params.after;
      delete params.before;
      Object.assign(params, nextParams);
    }
  }

  /** The edge is documented as /{ig-user-id}/tags, so `me` is turned into the account id once (one request). */
  let accountId = user === 'me' ? undefined : user;
  const taggedAccountId = async () => {
    if (accountId) return accountId;
    const profile = await get<RawProfile>('/me', { fields: 'user_id' }, 'GET /me');
    const id = profile.user_id ?? profile.id;
    if (!id || !/^\d+$/.test(String(id))) {
      throw new InstagramError('invalid-response', 'Instagram API GET /me answered without the account id (user_id)');
    }
    accountId = String(id);
    return accountId;
  };

  async function* listTaggedPages(list: ListTaggedOptions = {}): AsyncGenerator<RawMedia[]> {
    const endpoint = 'GET /{ig-user-id}/tags';
    const id = await taggedAccountId();
    const params: Record<string, string> = {};
    const seenCursors = new Set<string>();
    let remaining = list.limit ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      params.limit = String(Math.min(MAX_PAGE_SIZE, remaining));
      let page: RawPage<RawMedia>;
      try {
        page = await getWithFields<RawPage<RawMedia>>(`/${id}/tags`, params, endpoint, list.fields ?? TAGGED_MEDIA_FIELDS);
      } catch (error) {
        throw tagsPermissionError(error, host);
      }
      if (!Array.isArray(page.data))
        throw new InstagramError('invalid-response', `Instagram API ${endpoint} answered without a "data" list`);
      const items = page.data.slice(0, remaining);
      await addChildren(items);
      remaining -= items.length;
      if (items.length > 0) yield items;
      // This edge pages by cursors alone (Meta's reference: no `next` or `previous` links), so the
      // end is an empty page or one without an `after` cursor, never a missing `next`.
      const after = page.paging?.cursors?.after ?? nextPageParams(page, endpoint)?.after;
      if (items.length === 0 || !after) return;
      if (seenCursors.has(after)) throw pagingError('repeated a paging cursor (it would loop forever)', endpoint);
      seenCursors.add(after);
      params.after = after;
    }
  }

  return {
    getProfile: async (fields = host === 'facebook' ? FACEBOOK_PROFILE_FIELDS : PROFILE_FIELDS) => {
      const body = await getWithFields<RawProfile | RawPage<RawProfile>>(`/${user}`, {}, 'GET /me', fields);
      // The reference page shows `{data:[profile]}`; the live API answers with the flat object.
      const profile = 'data' in body && Array.isArray(body.data) ? body.data[0] : (body as RawProfile);
      if (!profile || typeof profile !== 'object') {
        throw new InstagramError('invalid-response', 'Instagram API GET /me answered without a profile');
      }
      return profile;
    },
    listMediaPages,
    listMedia: (list) => allOf(listMediaPages(list)),
    listTaggedPages,
    listTagged: (list) => allOf(listTaggedPages(list)),
    getMedia: (id, fields = MEDIA_URL_FIELDS) => {
      if (!/^\d+$/.test(id)) throw new InstagramError('invalid-request', `Media id "${id.slice(0, 40)}" is not numeric`);
      return getWithFields<RawMedia>(`/${id}`, {}, 'GET /{media-id}', fields);
    },
    get requestCount() {
      return requestCount;
    },
    get droppedFields() {
      return [...dropped];
    },
  };
}

/** Every item of every page, in order. */
async function allOf<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

/**
 * Query parameters for the next page, or undefined on the last page; throws when `next` names no cursor.
 * Instagram marks the last page by leaving out `paging.next`. We never fetch `next` itself: it
 * embeds the token and points at graph.instagram.com even behind a proxy. Its cursor (or, for
 * time-based paging, since/until) is copied onto our own request instead.
 */
function nextPageParams(page: RawPage<unknown>, endpoint?: string): Record<string, string> | undefined {
  const next = page.paging?.next;
  if (!next) return undefined;
  const after = page.paging?.cursors?.after;
  if (after) return { after };
  const params: Record<string, string> = {};
  const query = URL.canParse(next) ? new URL(next).searchParams : new URLSearchParams();
  for (const key of ['after', 'since', 'until']) {
    const value = query.get(key);
    if (value) params[key] = value;
  }
  if (Object.keys(params).length === 0) throw pagingError('gave a next page without a cursor to follow', endpoint);
  return params;
}

/** An empty page with a next one may happen once; a run of them is the API misbehaving. */
const MAX_EMPTY_PAGES = 5;

function pagingError(what: string, endpoint = 'GET /me/media'): InstagramError {
  return new InstagramError(
    'invalid-response',
    `Instagram API ${endpoint} ${what}`,
    'Instagram paged the media list inconsistently, so it was not read to the end; rebuild later.',
  );
}

/** Versioned base URL; token endpoints use `apiRoot` alone, they are unversioned. */
function apiBase(apiUrl: string, version: string): string {
  const versionSegment = version.replace(/^\/+|\/+$/g, '');
  return `${apiRoot(apiUrl)}${versionSegment ? `/${versionSegment}` : ''}`;
}
