/** Posts per archive page: two full rows of three on wide screens, times two. */
export const ARCHIVE_PAGE_SIZE = 12;

/** The URL of archive page `n` (page 1 is /instagram/, the others /instagram/<n>/), with a trailing slash as every page here. */
export function archiveHref(n: number): string {
  return n === 1 ? '/instagram/' : `/instagram/${n}/`;
}
