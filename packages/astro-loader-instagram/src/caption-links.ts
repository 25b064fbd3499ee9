/** A piece of a caption: plain text, or a hashtag/mention with its Instagram link. */
export interface CaptionPart {
  text: string;
  href?: string;
}

const TAG = /(?<![\p{L}\p{N}_&/])([#@])([\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*)/gu;

/**
 * Splits a caption into text and links for hashtags and mentions, so components render links
 * as elements and the caption itself only ever as escaped text (never raw HTML).
 */
export function captionParts(caption: string): CaptionPart[] {
  const parts: CaptionPart[] = [];
  let last = 0;
  for (const match of caption.matchAll(TAG)) {
    const [token, sigil, name = ''] = match;
    const index = match.index ?? 0;
    if (index > last) parts.push({ text: caption.slice(last, index) });
    const href =
      sigil === '#'
        ? `https://www.instagram.com/explore/tags/${encodeURIComponent(name)}/`
        : `https://www.instagram.com/${encodeURIComponent(name)}/`;
    parts.push({ text: token, href });
    last = index + token.length;
  }
  if (last < caption.length) parts.push({ text: caption.slice(last) });
  return parts;
}
