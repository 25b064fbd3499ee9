import { SYNC_REPORTS_KEY } from '../constants.js';
import { processGlobal } from '../utils/process-global.js';

/**
 * The loaders run inside Vite's module graph and the integration in Astro's own: two copies of
 * our modules, one process. Reports cross over through a global keyed by a registered symbol.
 */
export interface SyncReportLine {
  collection: string;
  /** The loader's one-line summary. */
  summary: string;
  /** When the token in use expires, when known. */
  tokenExpiresAt?: Date;
}

const registry = () => processGlobal(SYNC_REPORTS_KEY, () => new Map<string, SyncReportLine>());

export function recordSyncReport(report: SyncReportLine): void {
  registry().set(report.collection, report);
}

/** Reports since the last call, one per collection. */
export function takeSyncReports(): SyncReportLine[] {
  const reports = [...registry().values()];
  registry().clear();
  return reports;
}
