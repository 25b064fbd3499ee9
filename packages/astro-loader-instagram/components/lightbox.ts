/**
 * How a tile opens its lightbox. Only this file knows the element and the invoker attributes, so
 * `<InstagramFeed>` (and a site's own trigger) spreads `lightboxInvoker(lightboxId(post))` on a
 * `<button type="button">` and never changes when the mechanism does.
 *
 * The lightbox is a `<dialog>` opened by an invoker (`command="show-modal"` + `commandfor`), not a
 * `popover`: both need no script (invoker commands are Baseline since late 2025: Chrome 135,
 * Firefox 144, Safari 26.2), but only a modal dialog makes the page behind inert, so Tab and a
 * screen reader's virtual cursor stay inside it; it also closes on Esc and gives focus back to the
 * button that opened it, both natively.
 */

import { transitionName } from './feed-layout';

/** The id a tile's invoker points at: `ig-lightbox-<post id>`. */
export function lightboxId(post: { id: string }): string {
  return `ig-lightbox-${post.id}`;
}

/** Where a page keeps the ids its feeds have used: `Astro.locals`, one object per rendered page. */
const USED_IDS = Symbol.for('astro-loader-instagram.used-ids');

/**
 * `id` the first time a page asks for it, then `id-2`, `id-3`, …: with the same post in two feeds on
 * one page, each tile gets a dialog of its own and the page's ids stay unique. `page` is `Astro.locals`.
 */
export function uniqueOnPage(page: object, id: string): string {
  const store = page as { [USED_IDS]?: Map<string, number> };
  store[USED_IDS] ??= new Map();
  const used = store[USED_IDS];
  const times = (used.get(id) ?? 0) + 1;
  used.set(id, times);
  return times === 1 ? id : `${id}-${times}`;
}

/**
 * The post's `view-transition-name` (`ig-<id>`, as `<InstagramFeed>` names its tile and `<InstagramPost>`
 * its image) the first time a page claims it, then undefined: a page with two elements of one name
 * gets no transition at all. `page` is `Astro.locals`.
 */
export function transitionNameOnPage(page: object, postId: string): string | undefined {
  const name = transitionName(postId);
  return uniqueOnPage(page, name) === name ? name : undefined;
}

/** Attributes that make a `<button type="button">` open the lightbox `id` without script. */
export function lightboxInvoker(id: string): Record<string, string> {
  return { command: 'show-modal', commandfor: id };
}

/** Attributes that make a `<button type="button">` inside the lightbox `id` close it without script. */
export function lightboxCloser(id: string): Record<string, string> {
  return { command: 'close', commandfor: id };
}
