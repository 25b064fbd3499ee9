import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoaderContext } from 'astro/loaders';
import { messageOf } from 'instagram-graph';
import { SYNC_LOG_FILE } from '../constants.js';
import { keptLastGoodAt, lastSyncOf } from '../last-sync.js';
import { writeAtomic } from '../utils/atomic-write.js';
import { packageCacheFile } from '../utils/cache-file.js';

/**
 * `<cacheDir>/astro-loader-instagram/syncs.json`: per collection, the last successful sync and the
 * last build that kept it. The collection's meta store holds the same, but Astro's data store file
 * is Astro's private format (devalue); this small JSON is what the CLI's `status` reads.
 */
export interface SyncLog {
  version: 1;
  collections: Record<string, CollectionSyncs>;
}

export interface CollectionSyncs {
  /** ISO date of the last sync that read Instagram. */
  lastSuccessAt?: string;
  /** Entries after it. */
  entries?: number;
  /** ISO date of the last build that could not read Instagram and kept (or hid, `maxStaleDays`) the last good sync. */
  keptLastGoodAt?: string;
}

export function syncLogPath(cacheDir: URL | string): string {
  return packageCacheFile(cacheDir, SYNC_LOG_FILE);
}

export async function readSyncLog(file: string): Promise<SyncLog> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<SyncLog>;
    if (parsed.version === 1 && parsed.collections && typeof parsed.collections === 'object') {
      return { version: 1, collections: parsed.collections };
    }
  } catch {}
  return { version: 1, collections: {} }; // absent or damaged: nothing known, rewritten by the next build
}

/** True when the collection's last build kept the last good sync instead of reading Instagram. */
export function isStale(syncs: CollectionSyncs): boolean {
  if (!syncs.keptLastGoodAt) return false;
  return !syncs.lastSuccessAt || Date.parse(syncs.keptLastGoodAt) > Date.parse(syncs.lastSuccessAt);
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Copies what the collection's meta says about its syncs into the log. Collections of one build
 * load concurrently: writes to one file run one after the other. A failed write costs only the
 * CLI's view, never the build: the caller warns.
 */
export async function saveSyncLog(context: Pick<LoaderContext, 'meta' | 'collection' | 'config'>): Promise<void> {
  const file = syncLogPath(context.config.cacheDir);
  const last = lastSyncOf(context);
  const kept = keptLastGoodAt(context);
  const entry: CollectionSyncs = {
    ...(last ? { lastSuccessAt: last.at, entries: last.entries } : {}),
    ...(kept ? { keptLastGoodAt: kept } : {}),
  };
  const run = async () => {
    const log = await readSyncLog(file);
    log.collections[context.collection] = entry;
    await mkdir(path.dirname(file), { recursive: true });
    await writeAtomic(file, `${JSON.stringify(log, null, 2)}\n`);
  };
  const next = (queues.get(file) ?? Promise.resolve()).then(run, run);
  queues.set(
    file,
    next.catch(() => {}),
  );
  await next;
}

/**
 * Saves the sync log after a load. A failed write is warned in one line, except when the sync
 * itself already stopped on the same machine error (`reportedCode`, e.g. ENOSPC): a full disk is
 * one problem of the build, named once.
 */
export async function saveSyncLogAfterLoad(
  context: Pick<LoaderContext, 'meta' | 'collection' | 'config' | 'logger'>,
  reportedCode?: string,
): Promise<void> {
  try {
    await saveSyncLog(context);
  } catch (error) {
    if (reportedCode && (error as NodeJS.ErrnoException | undefined)?.code === reportedCode) return;
    context.logger.warn(syncLogWarning(error));
  }
}

/** The one line for a sync log that could not be written: the sync itself is fine. */
function syncLogWarning(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return `Could not record this sync for \`npx astro-loader-instagram status\` (${code ?? messageOf(error)}); the collection is fine. Make the cache folder writable to see the last sync there.`;
}
