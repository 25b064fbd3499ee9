/**
 * Build-time arithmetic of <InstagramFeed>: columns per breakpoint, the CSS that applies them to one
 * feed, the default `sizes`, and each tile's box. Kept out of the component so it can be unit-tested.
 */

/** Columns: one number (every width), a list (phones, >= 640 px, >= 1024 px), or { minWidthPx: columns }. */
export type Columns = number | number[] | Record<number, number>;

export type FeedLayout = 'grid' | 'masonry' | 'justified' | 'carousel';

/** One breakpoint: from `minWidth` pixels of viewport on, `columns` columns. */
export interface Breakpoint {
  minWidth: number;
  columns: number;
}

/** Where the entries of a `columns` list apply: phones, then tablets, then desktops. */
const LIST_BREAKPOINTS = [0, 640, 1024];

export const DEFAULT_COLUMNS: Columns = { 0: 2, 480: 3 };

/** Any `columns` value as breakpoints sorted by width, the first from 0 px. Throws one line on a bad value. */
export function breakpoints(columns: Columns = DEFAULT_COLUMNS): Breakpoint[] {
  const pairs: Array<[number, number]> =
    typeof columns === 'number'
      ? [[0, columns]]
      : Array.isArray(columns)
        ? columns.map((count, index) => [LIST_BREAKPOINTS[index] ?? Number.NaN, count])
        : Object.entries(columns).map(([width, count]) => [width.trim() === '' ? Number.NaN : Number(width), count]);
  const bad = (why: string) =>
    new Error(
      `<InstagramFeed columns={${JSON.stringify(columns)}}>: ${why}. Pass a number, a list of up to 3 numbers, or { minWidthPx: columns }.`,
    );
  if (pairs.length === 0) throw bad('no columns given');
  for (const [index, [width, count]] of pairs.entries()) {
    if (!Number.isInteger(width) || width < 0)
      // A list's 4th entry has no breakpoint; an object's key is the user's own (e.g. '640px').
      throw bad(Array.isArray(columns) ? 'a list has at most 3 entries' : `${Object.keys(columns)[index]} is not a width in pixels`);
    if (!Number.isInteger(count) || count < 1) throw bad(`${count} is not a whole number of columns`);
  }
  const sorted = pairs.sort(([a], [b]) => a - b).map(([minWidth, count]) => ({ minWidth, columns: count }));
  // Below the smallest breakpoint the smallest one still applies: a phone never gets no columns.
  sorted[0] = { ...sorted[0]!, minWidth: 0 };
  return sorted;
}

/** The largest column count: the widest row, so the default number of eagerly loaded tiles. */
export function maxColumns(points: Breakpoint[]): number {
  return Math.max(...points.map((point) => point.columns));
}

/**
 * `count`, `initial` or `priority` as given (undefined: not given). Throws one line on anything but a
 * whole number from 0 up: a negative one would quietly drop posts from the end (`slice(0, -2)`).
 */
export function tileCount(prop: 'count' | 'initial' | 'priority', value: number | undefined): number | undefined {
  if (value === undefined || (Number.isInteger(value) && value >= 0)) return value;
  throw new Error(`<InstagramFeed ${prop}={${value}}>: give a whole number of tiles from 0 up, or leave the prop out for its default.`);
}

/** `rowHeight` in pixels. Throws one line on a height no row can have (0 or less would collapse every tile). */
export function rowHeightPx(rowHeight = 260): number {
  if (Number.isFinite(rowHeight) && rowHeight > 0) return rowHeight;
  throw new Error(`<InstagramFeed rowHeight={${rowHeight}}>: give the justified rows' height in pixels, above 0, or leave it out for 260.`);
}

/** `gap` as a CSS length. Throws one line on a value that could escape its declaration. */
export function gapLength(gap: number | string = 8): string {
  if (typeof gap === 'number') {
    if (!Number.isFinite(gap) || gap < 0)
      throw new Error(`<InstagramFeed gap={${gap}}>: give a length in pixels from 0 up, or a CSS length such as '0.5rem'.`);
    return `${gap}px`;
  }
  if (!/^[\w\s.%()+\-*/,]+$/.test(gap))
    throw new Error(`<InstagramFeed gap="${gap}">: not a CSS length; give one such as '8px', '0.5rem' or 'clamp(4px, 1vw, 12px)'.`);
  return gap.trim();
}

/**
 * `sizes` from the columns: each breakpoint's share of the viewport, widest first. An estimate (the
 * page's margins are unknown), close enough for the browser to pick the right width.
 */
export function defaultSizes(points: Breakpoint[], layout: FeedLayout, rowHeight: number, ratio: number): string {
  if (layout === 'justified') {
    // A justified tile is about rowHeight tall, grown up to a third wider to fill its row.
    const width = Math.round(rowHeight * ratio * 1.35);
    return `(max-width: ${width}px) 100vw, ${width}px`;
  }
  const share = (columns: number) => `${Math.ceil(100 / columns)}vw`;
  return [...points]
    .reverse()
    .map((point) => (point.minWidth === 0 ? share(point.columns) : `(min-width: ${point.minWidth}px) ${share(point.columns)}`))
    .join(', ');
}

/** A CSS string literal of `text` (for `content:` alternative text). */
export function cssString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/</g, '\\3c ').replace(/\n/g, '\\a ')}"`;
}

/** A short stable hash: feeds with the same settings share one class and one rule set. */
function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) value = Math.imul(value ^ text.charCodeAt(index), 0x01000193);
  return (value >>> 0).toString(36);
}

/**
 * The per-feed rules the component's static stylesheet reads through custom properties: columns per
 * breakpoint, gap, caption lines, and the carousel's control labels (CSS `content` needs them as text).
 * Returns the class to put on the feed and the CSS to emit once with it.
 */
export function feedCss(options: { points: Breakpoint[]; gap: string; captionLines: number; previous: string; next: string }): {
  className: string;
  css: string;
} {
  const { points, gap, captionLines, previous, next } = options;
  if (!Number.isInteger(captionLines) || captionLines < 1)
    throw new Error(`<InstagramFeed captionLines={${captionLines}}>: give a whole number of lines from 1 up.`);
  const body = (selector: string) =>
    [
      `${selector}{--ig-columns:${points[0]!.columns};--ig-gap:${gap};--ig-caption-lines:${captionLines}}`,
      ...points.slice(1).map((point) => `@media (min-width:${point.minWidth}px){${selector}{--ig-columns:${point.columns}}}`),
      // Only a carousel gets scroll buttons: Chromium paints them on any element whose ::scroll-button has content.
      `${selector}.ig-feed--carousel::scroll-button(left){content:"\\2039" / ${cssString(previous)}}`,
      `${selector}.ig-feed--carousel::scroll-button(right){content:"\\203A" / ${cssString(next)}}`,
    ].join('\n');
  const className = `ig-feed-${hash(body('.x'))}`;
  return { className, css: body(`.${className}`) };
}

/** The tile's shape as a CSS `aspect-ratio`: the chosen crop for grid and carousel, else the image's own. */
export function tileAspectRatio(layout: FeedLayout, aspectRatio: string, image: { width: number; height: number }): string {
  const cropped = (layout === 'grid' || layout === 'carousel') && aspectRatio !== 'original';
  return cropped ? aspectRatio.replace('/', ' / ') : `${image.width} / ${image.height}`;
}

/**
 * A justified tile's flex: it starts rowHeight tall (basis = rowHeight * w/h) and takes its share of
 * the row's free space in proportion to w/h, so every tile of a row keeps one height and its own ratio.
 * The grow factor is the basis itself, not w/h: a row whose factors add up to less than 1 (one
 * portrait alone on a phone) would leave part of its free space unused.
 */
export function justifiedFlex(image: { width: number; height: number }, rowHeight: number): string {
  const basis = round(rowHeight * (image.width / image.height));
  return `flex: ${basis} 1 ${basis}px`;
}

/** `object-position` from the focal point (percent), the centre without one. */
export function objectPosition(focus: { x: number; y: number } | undefined): string {
  return focus ? `${round(focus.x)}% ${round(focus.y)}%` : '50% 50%';
}

/** A `view-transition-name` for a post: `ig-<id>`, with anything outside a CSS identifier replaced. */
export function transitionName(id: string): string {
  return `ig-${id.replace(/[^\w-]/g, '-')}`;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
