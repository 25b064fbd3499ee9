import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ALERTS_SENT_FILE } from '../constants.js';
import { writeAtomic } from '../utils/atomic-write.js';
import { packageCacheFile } from '../utils/cache-file.js';
import type { AlertKind } from './conditions.js';

/**
 * `<cacheDir>/astro-loader-instagram/alerts-sent.json`: the UTC day each kind of alert last went
 * out, so a site rebuilt every 15 minutes sends each condition at most once a day. A cache that is
 * not kept between builds forgets it: then every build that sees a condition sends it.
 */
export type SentLog = Partial<Record<AlertKind, string>>;

export const sentLogPath = (cacheDir: string) => packageCacheFile(cacheDir, ALERTS_SENT_FILE);

/** `2026-12-01`: the day an alert counts for. */
export const utcDay = (now: Date) => now.toISOString().slice(0, 10);

export async function readSentLog(file: string): Promise<SentLog> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { sent?: SentLog };
    return parsed.sent && typeof parsed.sent === 'object' ? parsed.sent : {};
  } catch {
    return {}; // absent or damaged: at worst one alert more today
  }
}

/** Kinds not yet sent on `now`'s day. */
export function dueToday(kinds: AlertKind[], log: SentLog, now: Date): AlertKind[] {
  return kinds.filter((kind) => log[kind] !== utcDay(now));
}

export async function writeSentLog(file: string, log: SentLog): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeAtomic(file, `${JSON.stringify({ version: 1, sent: log }, null, 2)}\n`);
}
