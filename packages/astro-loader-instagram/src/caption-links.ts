import { tokenizeCaption } from 'instagram-graph';

/** A piece of a caption: plain text, or a hashtag/mention with its Instagram link. */
export interface CaptionPart {
  text: string;
  href?: string;
}

/**
 * Splits a caption into text and links for hashtags and mentions, so components render links
 * as elements and the caption itself only ever as escaped text (never raw HTML). Uses the same
 * tokenizer as the entry's `hashtags` and `mentions`, so a page links exactly what the data lists.
 */
export function captionParts(caption: string): CaptionPart[] {
  return tokenizeCaption(caption).map((token) => {
    if (token.type === 'text') return { text: token.text };
    const href =
      token.type === 'hashtag'
        ? `https://www.instagram.com/explore/tags/${encodeURIComponent(token.name)}/`
        : `https://www.instagram.com/${encodeURIComponent(token.name)}/`;
    return { text: token.text, href };
  });
}
