import type { LoaderContext } from 'astro/loaders';

/**
 * The last sync that read Instagram successfully, kept in the collection's meta store (a string,
 * JSON). It, not "the store has entries", says whether an outage may keep the last good data: a
 * good sync that kept 0 posts (filters, `since`) is still a good sync.
 */
const LAST_SYNC_KEY = 'lastSync';

export interface LastSync {
  /** ISO date of the sync. */
  at: string;
  /** Entries the collection held after it. */
  entries: number;
}

/** True after a successful sync; stores from before this key count when they hold entries. */
export function hasPreviousSync(context: Pick<LoaderContext, 'meta' | 'store'>): boolean {
  return context.meta.has(LAST_SYNC_KEY) || context.store.keys().length > 0;
}

export function recordSuccessfulSync(context: Pick<LoaderContext, 'meta' | 'store'>, at: Date = new Date()): void {
  const record: LastSync = { at: at.toISOString(), entries: context.store.keys().length };
  context.meta.set(LAST_SYNC_KEY, JSON.stringify(record));
}

/** The last successful sync, when one was recorded. */
export function lastSyncOf(context: Pick<LoaderContext, 'meta'>): LastSync | undefined {
  try {
    const record = JSON.parse(context.meta.get(LAST_SYNC_KEY) ?? '') as Partial<LastSync>;
    return typeof record.at === 'string' && !Number.isNaN(Date.parse(record.at))
      ? { at: record.at, entries: record.entries ?? 0 }
      : undefined;
  } catch {
    return undefined;
  }
}

/** When a build last kept the last good sync because Instagram could not be read (ISO date). */
const KEPT_KEY = 'keptLastGoodAt';

export function recordKeptLastGood(context: Pick<LoaderContext, 'meta'>, at: Date): void {
  context.meta.set(KEPT_KEY, at.toISOString());
}

export function keptLastGoodAt(context: Pick<LoaderContext, 'meta'>): string | undefined {
  return context.meta.get(KEPT_KEY);
}

/** Whole days the site has shown the last good sync, by `now`; undefined without a recorded sync. */
export function daysOnLastGood(context: Pick<LoaderContext, 'meta'>, now: Date): number | undefined {
  const last = lastSyncOf(context);
  return last ? Math.max(0, Math.floor((now.getTime() - Date.parse(last.at)) / 86_400_000)) : undefined;
}
