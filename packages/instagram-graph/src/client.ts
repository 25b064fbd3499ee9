import { apiRoot, DEFAULT_API_URL, FACEBOOK_API_URL, type InstagramApiHost } from './api-url.js';
import { InstagramApiError, InstagramError } from './errors.js';
import {
  FACEBOOK_PROFILE_FIELDS,
  MEDIA_FIELDS,
  MEDIA_URL_FIELDS,
  nonexistingField,
  PROFILE_FIELDS,
  REQUIRED_FIELDS,
  withoutField,
} from './fields.js';
import { getJson, type HttpOptions, type RetryPolicy } from './http.js';
import type { RawMedia, RawPage, RawProfile } from './types.js';

export { DEFAULT_API_URL, FACEBOOK_API_URL } from './api-url.js';

/**
 * Which Instagram API: `'instagram'` (Instagram Login, graph.instagram.com, `/me`) or
 * `'facebook'` (Facebook Login, graph.facebook.com, `/{ig-user-id}`, needs `userId`).
 */
/** Graph API version pinned by default; Meta retires versions about two years after release. */
export const DEFAULT_API_VERSION = 'v25.0';
/** The largest page the media edge serves. */
export const MAX_PAGE_SIZE = 100;

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
  /** Per-request timeout in ms. @default 30000 */
  timeoutMs?: number;
  /** Retry policy for transient failures and rate limits. */
  retry?: Partial<RetryPolicy>;
  /** Injected fetch (tests, proxies). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Called before each retry, with a token-free error. */
  onRetry?: HttpOptions['onRetry'];
  /** Called with each response's headers (rate-limit usage headers). */
  onResponse?: HttpOptions['onResponse'];
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

export interface InstagramClient {
  /** The account behind the token (`GET /me`). */
  getProfile(fields?: readonly string[]): Promise<RawProfile>;
  /** Every page of `/me/media`, 100 posts per request, carousel children nested. */
  listMediaPages(options?: ListMediaOptions): AsyncGenerator<RawMedia[]>;
  /** All media up to `limit`. */
  listMedia(options?: ListMediaOptions): Promise<RawMedia[]>;
  /** One media item, e.g. to get freshly signed CDN URLs. */
  getMedia(id: string, fields?: readonly string[]): Promise<RawMedia>;
  /** Requests sent so far (retries included). */
  readonly requestCount: number;
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
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: { retries: 4, minDelayMs: 500, maxDelayMs: 30_000, maxRetryTimeMs: 120_000, ...options.retry },
    fetch: (input, init) => {
      requestCount++;
      return fetchImpl(input, init);
    },
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.onResponse ? { onResponse: options.onResponse } : {}),
    rateLimit: { until: 0 },
  };

  const get = <T>(path: string, params: Record<string, string>, endpoint: string) => {
    const url = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return getJson<T>(url, endpoint, http);
  };

  /**
   * GET with a field list, dropping optional fields the API says do not exist (code 100) and
   * trying again. `fields.current` keeps the reduced list for the following pages.
   */
  const getWithFields = async <T>(path: string, params: Record<string, string>, endpoint: string, fields: { current: string[] }) => {
    for (;;) {
      try {
        return await get<T>(path, { ...params, fields: fields.current.join(',') }, endpoint);
      } catch (error) {
        const missing = error instanceof InstagramApiError && error.code === 100 ? nonexistingField(error.message) : undefined;
        const reduced = missing && !REQUIRED_FIELDS.has(missing) ? withoutField(fields.current, missing) : undefined;
        if (!reduced || reduced.join() === fields.current.join()) throw error;
        fields.current = reduced;
      }
    }
  };

  async function* listMediaPages(list: ListMediaOptions = {}): AsyncGenerator<RawMedia[]> {
    const limit = list.limit ?? Number.POSITIVE_INFINITY;
    const fields = { current: [...(list.fields ?? MEDIA_FIELDS)] };
    const params: Record<string, string> = {};
    if (list.since) params.since = String(Math.floor(list.since.getTime() / 1000));
    if (list.until) params.until = String(Math.floor(list.until.getTime() / 1000));

    let remaining = limit;
    const seenCursors = new Set<string>();
    let emptyPagesInARow = 0;
    while (remaining > 0) {
      params.limit = String(Math.min(MAX_PAGE_SIZE, remaining));
      const page = await getWithFields<RawPage<RawMedia>>(`/${user}/media`, params, 'GET /me/media', fields);
      if (!Array.isArray(page.data)) {
        throw new InstagramError('invalid-response', 'Instagram API GET /me/media answered without a "data" list');
      }
      const items = page.data.slice(0, remaining);
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

  return {
    getProfile: async (fields = host === 'facebook' ? FACEBOOK_PROFILE_FIELDS : PROFILE_FIELDS) => {
      const body = await getWithFields<RawProfile | RawPage<RawProfile>>(`/${user}`, {}, 'GET /me', { current: [...fields] });
      // The reference page shows `{data:[profile]}`; the live API answers with the flat object.
      const profile = 'data' in body && Array.isArray(body.data) ? body.data[0] : (body as RawProfile);
      if (!profile || typeof profile !== 'object') {
        throw new InstagramError('invalid-response', 'Instagram API GET /me answered without a profile');
      }
      return profile;
    },
    listMediaPages,
    listMedia: async (list) => {
      const all: RawMedia[] = [];
      for await (const page of listMediaPages(list)) all.push(...page);
      return all;
    },
    getMedia: (id, fields = MEDIA_URL_FIELDS) => {
      if (!/^\d+$/.test(id)) throw new InstagramError('invalid-request', `Media id "${id.slice(0, 40)}" is not numeric`);
      return getWithFields<RawMedia>(`/${id}`, {}, 'GET /{media-id}', { current: [...fields] });
    },
    get requestCount() {
      return requestCount;
    },
  };
}

/**
 * Query parameters for the next page, or undefined on the last page; throws when `next` names no cursor.
 * Instagram marks the last page by leaving out `paging.next`. We never fetch `next` itself: it
 * embeds the token and points at graph.instagram.com even behind a proxy. Its cursor (or, for
 * time-based paging, since/until) is copied onto our own request instead.
 */
function nextPageParams(page: RawPage<unknown>): Record<string, string> | undefined {
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
  if (Object.keys(params).length === 0) throw pagingError('gave a next page without a cursor to follow');
  return params;
}

/** An empty page with a next one may happen once; a run of them is the API misbehaving. */
const MAX_EMPTY_PAGES = 5;

function pagingError(what: string): InstagramError {
  return new InstagramError(
    'invalid-response',
    `Instagram API GET /me/media ${what}`,
    'Instagram paged the media list inconsistently, so it was not read to the end; rebuild later.',
  );
}

/** Versioned base URL; token endpoints use `apiRoot` alone, they are unversioned. */
function apiBase(apiUrl: string, version: string): string {
  const versionSegment = version.replace(/^\/+|\/+$/g, '');
  return `${apiRoot(apiUrl)}${versionSegment ? `/${versionSegment}` : ''}`;
}
