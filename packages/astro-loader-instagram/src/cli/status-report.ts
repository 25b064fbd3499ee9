import { type CollectionSyncs, isStale, type SyncLog } from '../health/sync-log.js';
import { daysLeft, expiryOf, isExpired, type TokenRecord, WARN_DAYS } from '../token/records.js';

/**
 * What `status --json` prints, for uptime monitors and CI: no token, no secret, no paging URL.
 * `state`, worst first: `dead` (Instagram refuses the token, or it expired), `stale` (the last build
 * could not read Instagram and kept the last good feed), `refresh-failed` (the last refresh attempt
 * failed), `expiring` (expires within 14 days), `ok`.
 */
export type HealthState = 'ok' | 'expiring' | 'refresh-failed' | 'stale' | 'dead';

export interface StatusReport {
  state: HealthState;
  /** One line: why this state, and what to do. */
  reason: string;
  account: { username?: string; userId?: string } | null;
  token: {
    kind: string;
    /** Where it came from: the variable's name, or `token store`. */
    source: string;
    expiresAt: string | null;
    /** False when `expiresAt` is an upper bound (never refreshed here: first seen + 60 days). */
    expiryExact: boolean;
    daysLeft: number | null;
    lastRefresh: string | null;
    lastRefreshError: string | null;
  };
  /** The oldest of the collections' last successful syncs (the one that matters for a monitor). */
  lastSuccessfulSync: string | null;
  collections: Record<string, CollectionSyncs>;
}

export interface InstagramHealthInput {
  record: TokenRecord;
  /** Instagram's answer when /me refused the token (token-free), else undefined. */
  refused: string | undefined;
  now: Date;
  syncs: SyncLog;
}

/** The state of an Instagram Login token and the site's syncs, and the reason in one line. */
export function instagramHealth({ record, refused, now, syncs }: InstagramHealthInput): { state: HealthState; reason: string } {
  const expiry = expiryOf(record);
  const stale = Object.entries(syncs.collections).filter(([, entry]) => isStale(entry));
  if (refused) return { state: 'dead', reason: `Instagram refuses the token: ${refused}` };
  if (isExpired(record, now)) return { state: 'dead', reason: `the token expired on ${expiry.at.toISOString().slice(0, 10)}` };
  if (stale.length > 0) {
    const names = stale.map(([name]) => name).join(', ');
    return { state: 'stale', reason: `the last build could not read Instagram and kept the last good feed (${names}); see its build log` };
  }
  if (record.unrefreshableAt || record.lastRefreshError) {
    return {
      state: 'refresh-failed',
      reason: `the last refresh failed: ${record.lastRefreshError ?? 'Instagram will not refresh this token'}`,
    };
  }
  const days = daysLeft(expiry.at, now);
  if (days < WARN_DAYS) return { state: 'expiring', reason: `the token expires ${expiry.exact ? '' : 'at the latest '}in ${days} days` };
  return { state: 'ok', reason: 'the token works and the last sync read Instagram' };
}

/** The oldest last successful sync across collections, or null when none is recorded. */
export function oldestSync(syncs: SyncLog): string | null {
  const times = Object.values(syncs.collections)
    .map((entry) => entry.lastSuccessAt)
    .filter((at): at is string => typeof at === 'string')
    .sort();
  return times[0] ?? null;
}

/** What the exit code is decided on: a report's state and its token's expiry. */
export type ExitInput = Pick<StatusReport, 'state'> & { token: Pick<StatusReport['token'], 'expiresAt'> };

/**
 * `--fail-within <days>`: true (exit 1) when the token is dead or dies within that many days. An
 * unknown expiry counts by its upper bound (first seen + 60 days), which errs towards failing.
 */
export function diesWithin(report: ExitInput, days: number, now: Date): boolean {
  if (report.state === 'dead') return true;
  if (!report.token.expiresAt) return false; // never expires (a Facebook Page token)
  return Date.parse(report.token.expiresAt) - now.getTime() < days * 86_400_000;
}
