/**
 * The ways a site names one of its posts in `hide` and `pin`: the shortcode (`C3xYz12AbCd`), a link
 * to the post as Instagram shares it (`/p/`, `/reel/`, `/reels/`, `/tv/`, with or without `www.`, the
 * username, a query string or a trailing slash), or the media id (`17912345678901234`).
 */

/** A `hide` or `pin` entry: what the site wrote, and the shortcode or media id it names. */
export interface PostRef {
  given: string;
  key: string;
}

/** Shortcodes are base64url; media ids are decimal. Both fit this (a media id is all digits). */
export const POST_KEY = /^[A-Za-z0-9_-]{5,64}$/;
const HOSTS = /^(?:www\.|m\.)?(?:instagram\.com|instagr\.am)$/i;
/** `/p/CODE`, `/reel/CODE`, `/reels/CODE`, `/tv/CODE`, optionally after the username (`/acme/p/CODE`). */
const POST_PATH = /^\/(?:[A-Za-z0-9._]{1,30}\/)?(?:p|reels?|tv)\/([A-Za-z0-9_-]+)\/?$/;

export const POST_REF_FORMS =
  'a post link (https://www.instagram.com/p/…/, /reel/…/ or /tv/…/), its shortcode (like "C3xYz12AbCd") or its media id';

/** The shortcode or media id `value` names, or undefined when it is none of the accepted forms. */
export function postRefKey(value: string): string | undefined {
  const text = value.trim();
  if (POST_KEY.test(text)) return text;
  return shortcodeOfLink(text);
}

/** The shortcode in a link to a post, or undefined when it is not one. */
export function shortcodeOfLink(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(link) ? link : `https://${link}`);
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(url.protocol) || !HOSTS.test(url.hostname)) return undefined;
  return POST_PATH.exec(url.pathname)?.[1];
}

/** How a bad entry is named in the config error: whole when short, an Instagram link by its path. */
export function describeRefValue(value: unknown): string {
  if (typeof value !== 'string') return value === null ? 'null' : typeof value;
  if (value.length <= 60) return JSON.stringify(value);
  try {
    const url = new URL(value);
    if (HOSTS.test(url.hostname)) return JSON.stringify(`${url.origin}${url.pathname}`.slice(0, 80));
  } catch {
    // not a URL: only its length is said, as for any long string
  }
  return `a string of ${value.length} characters`;
}

/** The shortcode and id of a post, as `hide` and `pin` entries are matched against them. */
export function keysOfPost(post: { id: string; shortcode?: string | undefined; permalink: string }): string[] {
  const shortcode = post.shortcode ?? shortcodeOfLink(post.permalink);
  return shortcode ? [post.id, shortcode] : [post.id];
}

/** What a `links` key or `approve` entry is matched by: the shortcode or media id it names, else the entry itself, trimmed. */
export function refKeyOf(entry: string): string {
  return postRefKey(entry) ?? entry.trim();
}

/** The entries that name none of `posts`: a typo, or a post deleted, made private or out of the feed. */
export function unmatchedRefs(entries: readonly string[], posts: ReadonlyArray<Parameters<typeof keysOfPost>[0]>): string[] {
  const known = new Set(posts.flatMap((post) => keysOfPost(post)));
  return entries.filter((entry) => !known.has(refKeyOf(entry)));
}
