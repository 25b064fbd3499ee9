import { getCollection } from 'astro:content';

/** All posts, newest first. */
export async function getPosts() {
  const posts = await getCollection('instagram');
  return posts.sort((a, b) => b.data.timestamp.getTime() - a.data.timestamp.getTime());
}

/** True when the site was built against the built-in demo feed (no INSTAGRAM_TOKEN). */
export const isDemo = process.env.INSTAGRAM_DEMO === '1';

export const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });

/** Splits a caption into text, hashtag and mention parts, so pages render links without raw HTML. */
export function captionParts(caption: string): Array<{ text: string; href?: string }> {
  const parts: Array<{ text: string; href?: string }> = [];
  const pattern = /([#@])([\p{L}\p{N}_.]*[\p{L}\p{N}_])/gu;
  let last = 0;
  for (const match of caption.matchAll(pattern)) {
    const [token, sigil, name] = match;
    const index = match.index ?? 0;
    if (index > last) parts.push({ text: caption.slice(last, index) });
    const href =
      sigil === '#'
        ? `https://www.instagram.com/explore/tags/${encodeURIComponent(name ?? '')}/`
        : `https://www.instagram.com/${encodeURIComponent(name ?? '')}/`;
    parts.push({ text: token, href });
    last = index + token.length;
  }
  if (last < caption.length) parts.push({ text: caption.slice(last) });
  return parts;
}
