/** The id a tile's invoker points at. */
export function lightboxId(post: { id: string }): string {
  return `ig-lightbox-${post.id}`;
}

/** Attributes that make a `<button>` open the lightbox `id` without script. */
export function lightboxInvoker(id: string): Record<string, string> {
  return { popovertarget: id };
}
