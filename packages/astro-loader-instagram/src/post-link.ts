import type { InstagramPost } from 'instagram-graph';
import { keysOfPost, postRefKey, refKeyOf, unmatchedRefs } from './curation/post-ref.js';

/** A post's call to action: where its button goes, and the button's word when the owner gave one. */
export interface PostLink {
  url: string;
  /** "Shop", "Book", "Menu": the word before the colon in the caption, or the site's map. */
  label?: string;
}

/** The `links` option: shortcode, permalink or media id → URL or `{ url, label }`. */
export type LinkMap = Record<string, string | PostLink>;

// A bare domain as owners type it (Instagram never makes caption text clickable): labels of
// letters, digits and hyphens, a dot, a top-level domain of letters; then an optional port and path.
const DOMAIN = String.raw`(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?(?:[/?#][^\s]*)?`;
const SCHEME_URL = String.raw`https?:\/\/[^\s]+`;
/** `Shop: example.com/x`, `🛒 Book a table: https://…`: up to three words, a colon, then the address. */
const LABELLED_LINE = new RegExp(
  String.raw`^[^\p{L}\p{N}]*(\p{L}[\p{L}'’]*(?: \p{L}[\p{L}'’]*){0,2})\s*:\s*(?:[👉→➡️⬇️↓]\s*)*[(\[<]?(${SCHEME_URL}|www\.${DOMAIN}|${DOMAIN})`,
  'iu',
);
/** Anywhere in the caption: only an address the owner wrote with its scheme, or starting `www.`. */
const URL_IN_TEXT = new RegExp(String.raw`(?<![\p{L}\p{N}@.])(?:${SCHEME_URL}|www\.${DOMAIN})`, 'giu');
/** Words before a colon that mean "the link", not a button label of their own. */
const GENERIC_WORDS = new Set(['link', 'links', 'url', 'website', 'site', 'web']);
const TRAILING = /[.,;:!?'"’”»…*]+$/u;
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{', '>': '<' };
const LABEL_MAX = 24;

/**
 * The post's link: the site's `links` map wins; else the first caption line like `Shop:
 * example.com/x` (its word becomes the label; `link:` gives none); else the first http(s) address
 * in the caption. Only http(s) ever: `javascript:` or `data:` never becomes a link.
 */
export function postLink(post: Pick<InstagramPost, 'id' | 'shortcode' | 'permalink' | 'caption'>, links?: LinkMap): PostLink | undefined {
  const mapped = links ? mappedLink(post, links) : undefined;
  if (mapped) return mapped;
  return captionLink(post.caption);
}

/** The link the caption holds, if any (see `postLink`). */
export function captionLink(caption: string): PostLink | undefined {
  for (const line of caption.split(/\r?\n/)) {
    const match = LABELLED_LINE.exec(line.trim());
    if (!match?.[1] || !match[2]) continue;
    const url = httpUrl(match[2]);
    if (!url) continue;
    const word = match[1].trim();
    if (GENERIC_WORDS.has(word.toLowerCase()) || word.length > LABEL_MAX) return { url };
    return { url, label: word.charAt(0).toUpperCase() + word.slice(1) };
  }
  for (const match of caption.matchAll(URL_IN_TEXT)) {
    const url = httpUrl(match[0]);
    if (url) return { url };
  }
  return undefined;
}

/** The map's entry for this post, by shortcode, permalink or id. */
function mappedLink(post: Pick<InstagramPost, 'id' | 'shortcode' | 'permalink'>, links: LinkMap): PostLink | undefined {
  const keys = keysOfPost(post);
  for (const [key, value] of Object.entries(links)) {
    if (!keys.includes(refKeyOf(key))) continue;
    const link = typeof value === 'string' ? { url: value } : value;
    const url = httpUrl(link.url, { bare: false });
    if (!url) return undefined; // refused by the options schema already; never a javascript: link
    return link.label?.trim() ? { url, label: link.label.trim() } : { url };
  }
  return undefined;
}

// `links` keys name posts as `hide` and `pin` entries do (curation/post-ref.ts), so the three agree.

/** A `links` key that names a post: a shortcode, an Instagram permalink or a numeric media id. */
export function isLinkKey(key: string): boolean {
  return postRefKey(key) !== undefined;
}

/**
 * `text` as an absolute http(s) URL, with sentence punctuation and unbalanced closing brackets
 * trimmed from its end (`(see example.com/menu).`). A bare domain gets `https://` unless `bare` is false.
 */
export function httpUrl(text: string, { bare = true } = {}): string | undefined {
  let candidate = trimEnd(text.trim());
  if (!/^[a-z][a-z0-9+.-]*:/i.test(candidate)) {
    if (!bare) return undefined;
    candidate = `https://${candidate}`;
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (!url.hostname.includes('.') || url.username || url.password) return undefined;
  return url.href;
}

function trimEnd(text: string): string {
  let result = text;
  for (;;) {
    const before = result;
    result = result.replace(TRAILING, '');
    const last = result.at(-1);
    const opener = last ? CLOSERS[last] : undefined;
    // `wiki/Foo_(bar)` keeps its bracket; `(see example.com)` loses it.
    if (opener && count(result, opener) < count(result, last as string)) result = result.slice(0, -1);
    if (result === before) return result;
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** One warning line for `links` keys that match no post, or undefined when all match. */
export function unmatchedLinksLine(
  posts: ReadonlyArray<Pick<InstagramPost, 'id' | 'shortcode' | 'permalink'>>,
  links: LinkMap | undefined,
): string | undefined {
  const unmatched = links ? unmatchedRefs(Object.keys(links), posts) : [];
  if (unmatched.length === 0) return undefined;
  const shown =
    unmatched
      .slice(0, 5)
      .map((key) => `"${key}"`)
      .join(', ') + (unmatched.length > 5 ? ` (and ${unmatched.length - 5} more)` : '');
  return `links: no post in the feed matches ${shown}, so ${unmatched.length === 1 ? 'that link is' : 'those links are'} not shown. Check the shortcode (the code in the post's URL, instagram.com/p/<shortcode>/), or remove the entry if the post is deleted, archived or outside limit/since.`;
}
