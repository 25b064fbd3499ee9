/** Hashtags, mentions and a caption without its trailing tag block, parsed from a post caption. */
export interface ParsedCaption {
  hashtags: string[];
  mentions: string[];
  /** The caption with the trailing run of hashtags and mentions removed (the "tag cloud" at the end). */
  prunedCaption: string;
}

// Instagram hashtags take letters, digits and underscores in any script; a hashtag needs a letter.
const HASHTAG = /(?<![\p{L}\p{N}_&])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu;
// Usernames: letters, digits, periods and underscores, at most 30, not after a word char (emails).
const MENTION = /(?<![\p{L}\p{N}_.])@([A-Za-z0-9._]{1,30})(?![A-Za-z0-9_])/gu;
// One or more tags (with separating spaces, dots or newlines) at the very end of the caption.
const TRAILING_TAGS = /(?:[\s.·•|-]*(?:#[\p{L}\p{N}_]+|@[A-Za-z0-9._]+))+[\s.·•|-]*$/u;

export function parseCaption(caption: string | undefined): ParsedCaption {
  const text = caption ?? '';
  return {
    hashtags: unique([...text.matchAll(HASHTAG)].map((match) => match[1] ?? '')),
    mentions: unique([...text.matchAll(MENTION)].map((match) => (match[1] ?? '').replace(/\.+$/, ''))),
    prunedCaption: text.replace(TRAILING_TAGS, '').trim(),
  };
}

/** First occurrence wins; duplicates differing only in case are dropped. */
function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = value.toLowerCase();
    if (!value || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
