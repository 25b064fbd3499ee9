/**
 * Every word our components show or read aloud, with English defaults. A site in another language
 * passes `labels={{ showMore: 'Mehr anzeigen', likes: (n) => `${n} „Gefällt mir“` }}` and `locale="de"`;
 * numbers arrive already formatted for that locale.
 */
export interface InstagramLabels {
  /** Accessible name of the feed's list. */
  feed: string;
  /** The control that reveals the tiles after the first `initial` ones. */
  showMore: string;
  /** The lightbox's close button. */
  close: string;
  /** Link to the post on instagram.com. */
  viewOnInstagram: string;
  /** Link to the post's own page on the site (`href`). */
  viewPost: string;
  /** The button of a post's `link` when neither the link nor the `linkLabel` prop names it. */
  link: string;
  /** Accessible name of a tile that opens the lightbox; `alt` is the image's alt text. */
  openPost: (alt: string) => string;
  /** Carousel of the feed (`layout: 'carousel'`): its controls. */
  previous: string;
  next: string;
  /** Badges on tiles. `count` is formatted. */
  album: (count: string) => string;
  video: string;
  reel: string;
  /** Badge on a post the loader's `pin` option put first. */
  pinned: string;
  /** Counts; `count` is formatted for `locale`. */
  likes: (count: string) => string;
  comments: (count: string) => string;
  /** A video Instagram gave no file for (licensed audio): link to watch it there. */
  playOnInstagram: string;
  /** One slide of an album, read aloud: "2 of 5". */
  slide: (index: number, total: number) => string;
  /** `<InstagramTagged>`: accessible name of its list, and the credit linked to each author's post. */
  taggedFeed: string;
  photoBy: (username: string) => string;
}

export const DEFAULT_LABELS: InstagramLabels = {
  feed: 'Instagram posts',
  showMore: 'Show more',
  close: 'Close',
  viewOnInstagram: 'View on Instagram',
  viewPost: 'Open post page',
  link: 'Visit',
  openPost: (alt) => `Open post: ${alt}`,
  previous: 'Previous posts',
  next: 'Next posts',
  album: (count) => `${count} images`,
  video: 'Video',
  reel: 'Reel',
  pinned: 'Pinned',
  likes: (count) => `${count} likes`,
  comments: (count) => `${count} comments`,
  playOnInstagram: 'Play on Instagram',
  slide: (index, total) => `${index} of ${total}`,
  taggedFeed: 'Photos by our customers',
  photoBy: (username) => `Photo by @${username}`,
};

/**
 * `locale` checked once, so a typo fails in one line naming the component (Intl's own error names
 * neither): `'de_DE'` instead of `'de-DE'`.
 */
export function checkedLocale(locale: string, component: string): string {
  try {
    Intl.getCanonicalLocales(locale);
    return locale;
  } catch {
    throw new Error(`<${component} locale="${locale}">: not a BCP 47 language tag; give one such as 'en', 'de-DE' or 'pt-BR'.`);
  }
}

/**
 * The defaults with the site's own words over them. A word given as `undefined` (a translation not
 * found) keeps its English default instead of printing "undefined" or throwing on a missing function.
 */
export function labelsWith(overrides: Partial<InstagramLabels> = {}): InstagramLabels {
  const given = Object.entries(overrides).filter(([, value]) => value !== undefined && value !== null);
  return { ...DEFAULT_LABELS, ...Object.fromEntries(given) };
}

/**
 * A post's like and comment counts as words ("1,204 likes", "18 comments"), only those Instagram
 * returned, each number formatted by `number` (the component's locale).
 */
export function countWords(
  post: { likeCount?: number; commentsCount?: number },
  labels: InstagramLabels,
  number: Intl.NumberFormat,
): string[] {
  return [
    post.likeCount === undefined ? undefined : labels.likes(number.format(post.likeCount)),
    post.commentsCount === undefined ? undefined : labels.comments(number.format(post.commentsCount)),
  ].filter((text) => text !== undefined);
}
