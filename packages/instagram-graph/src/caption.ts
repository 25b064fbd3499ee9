/**
 * One tokenizer for captions, used for the data (`hashtags`, `mentions`, `prunedCaption`) and for
 * rendering links, so what a page links is exactly what the entry lists.
 *
 * - Hashtag: `#` and a run of letters, combining marks, digits and `_` in any script (`#café`,
 *   `#日本`), not only digits (`#2024` is text, as on Instagram).
 * - Mention: `@` and 1 to 30 of the ASCII letters, digits, `.` and `_` that Instagram usernames are
 *   made of; a trailing `.` ends the sentence, not the name (`@user.` mentions `user`). A run that
 *   goes on with a letter no username can hold is no mention: `@josé` is text, because linking
 *   `@jos` would send readers to somebody else's account.
 * - Neither counts after a letter, digit, `_`, `&` or `/` (emails, `page#3`, `&#x27;`, URLs), nor a
 *   mention after a `.`.
 */
export type CaptionToken =
  | { type: 'text'; text: string }
  | { type: 'hashtag'; text: string; name: string }
  | { type: 'mention'; text: string; name: string };

/** Hashtags, mentions and a caption without its trailing tag block, parsed from a post caption. */
export interface ParsedCaption {
  hashtags: string[];
  mentions: string[];
  /** The caption with the trailing run of hashtags and mentions removed (the "tag cloud" at the end). */
  prunedCaption: string;
}

const HASHTAG = /(?<![\p{L}\p{M}\p{N}_&/])#([\p{L}\p{M}\p{N}_]+)/uy;
const MENTION = /(?<![\p{L}\p{M}\p{N}_&/.])@([A-Za-z0-9._]+)(?![\p{L}\p{M}\p{N}_])/uy;
const MAX_USERNAME = 30;
/** Only separators between the text and its tag block: spaces, dots, bullets, bars, dashes. */
const SEPARATORS_ONLY = /^[\s.·•|-]*$/u;
/** Spacer lines (`\n.\n.`) and dividers (` • `) left at the end once the tag block is gone. */
const TRAILING_SEPARATORS = /(?:\s+[.·•|-]+)*\s*$/u;

export function tokenizeCaption(caption: string): CaptionToken[] {
  const tokens: CaptionToken[] = [];
  let textStart = 0;
  let index = 0;
  while (index < caption.length) {
    const sigil = caption[index];
    const tag = sigil === '#' ? hashtagAt(caption, index) : sigil === '@' ? mentionAt(caption, index) : undefined;
    if (!tag) {
      index++;
      continue;
    }
    if (index > textStart) tokens.push({ type: 'text', text: caption.slice(textStart, index) });
    tokens.push(tag);
    index += tag.text.length;
    textStart = index;
  }
  if (textStart < caption.length) tokens.push({ type: 'text', text: caption.slice(textStart) });
  return tokens;
}

function hashtagAt(caption: string, index: number): CaptionToken | undefined {
  HASHTAG.lastIndex = index;
  const name = HASHTAG.exec(caption)?.[1];
  if (!name || /^\p{N}+$/u.test(name)) return undefined;
  return { type: 'hashtag', text: `#${name}`, name };
}

function mentionAt(caption: string, index: number): CaptionToken | undefined {
  MENTION.lastIndex = index;
  const run = MENTION.exec(caption)?.[1];
  const name = run?.replace(/\.+$/, '');
  if (!name || name.length > MAX_USERNAME) return undefined;
  return { type: 'mention', text: `@${name}`, name };
}

export function parseCaption(caption: string | undefined): ParsedCaption {
  const tokens = tokenizeCaption(caption ?? '');
  const names = (type: 'hashtag' | 'mention') => unique(tokens.flatMap((token) => (token.type === type ? [token.name] : [])));
  // Drop the trailing run of tags (and the separators between them), then what separated it from the text.
  let end = tokens.length;
  while (end > 0) {
    const token = tokens[end - 1]!;
    if (token.type !== 'text' || SEPARATORS_ONLY.test(token.text)) end--;
    else break;
  }
  const kept = end === tokens.length ? tokens : tokens.slice(0, end);
  const text = kept.map((token) => token.text).join('');
  return {
    hashtags: names('hashtag'),
    mentions: names('mention'),
    prunedCaption: (end === tokens.length ? text : text.replace(TRAILING_SEPARATORS, '')).trim(),
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
