import type { LocalizeStats } from '../media/localize.js';

export interface SyncReport {
  account: string;
  posts: number;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  skipped: number;
  apiRequests: number;
  cdnRequests: number;
  images: LocalizeStats;
  prunedImages: number;
  ms: number;
}

/** The one-line summary printed after every sync. */
export function formatReport(report: SyncReport): string {
  const { images } = report;
  const changes = [`${report.added} new`, `${report.updated} updated`, `${report.unchanged} unchanged`, `${report.removed} removed`];
  if (report.skipped) changes.push(`${report.skipped} skipped`);
  const imageParts = [`${images.downloaded} downloaded`, `${images.cached} cached`];
  if (images.reencoded) imageParts.push(`${images.reencoded} re-encoded`);
  if (images.resigned) imageParts.push(`${images.resigned} re-signed`);
  if (report.prunedImages) imageParts.push(`${report.prunedImages} pruned`);
  const account = report.account ? `@${report.account}: ` : '';
  return (
    `${account}${report.posts} posts (${changes.join(', ')}); ` +
    `${apiRequests(report.apiRequests)}; ` +
    `images: ${imageParts.join(', ')}; ${(report.ms / 1000).toFixed(1)}s`
  );
}

/** The profile loader's line: `@user: profile synced (2 API requests; picture cached)`. */
export function formatProfileReport(username: string, requests: number, picture: 'downloaded' | 'cached' | 'none'): string {
  return `@${username}: profile synced (${apiRequests(requests)}; picture ${picture})`;
}

function apiRequests(count: number): string {
  return `${count} API request${count === 1 ? '' : 's'}`;
}
