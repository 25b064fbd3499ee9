import type { LocalizeStats } from './media/localize.js';

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
    `${report.apiRequests} API request${report.apiRequests === 1 ? '' : 's'}; ` +
    `images: ${imageParts.join(', ')}; ${(report.ms / 1000).toFixed(1)}s`
  );
}
