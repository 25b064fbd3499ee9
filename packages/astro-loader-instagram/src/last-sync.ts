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
