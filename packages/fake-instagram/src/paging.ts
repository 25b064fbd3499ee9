import { toMs } from './timefmt.js';
import type { FakeMedia } from './types.js';

interface Key {
  ts: number;
  id: string;
}

const keyOf = (post: FakeMedia): Key => ({ ts: toMs(post.timestamp), id: post.id });

/** Negative when `a` comes first (is newer). Ties on time break on id, larger first. */
function compare(a: Key, b: Key): number {
  if (a.ts !== b.ts) return b.ts - a.ts;
  if (a.id.length !== b.id.length) return b.id.length - a.id.length;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** A sorted copy, newest first (the order the real API returns). */
export function sortNewestFirst(media: readonly FakeMedia[]): FakeMedia[] {
  return [...media].sort((a, b) => compare(keyOf(a), keyOf(b)));
}

/** Opaque cursor. Base64url of "AQH…" so it starts with "QVFI", like real cursors. */
export function encodeCursor(post: FakeMedia): string {
  const { ts, id } = keyOf(post);
  return Buffer.from(`AQH${Buffer.from(`${ts.toString(36)}:${id}`).toString('base64url')}`).toString('base64url');
}

export function decodeCursor(cursor: string): Key | undefined {
  const outer = Buffer.from(cursor, 'base64url').toString();
  if (!outer.startsWith('AQH')) return undefined;
  const match = /^(-?[0-9a-z]+):(\d+)$/.exec(Buffer.from(outer.slice(3), 'base64url').toString());
  if (!match) return undefined;
  const ts = parseInt(match[1] as string, 36);
  return Number.isFinite(ts) ? { ts, id: match[2] as string } : undefined;
}

export interface Page {
  items: FakeMedia[];
  hasNext: boolean;
  hasPrevious: boolean;
}

/**
 * Slices a newest-first list. `after` → items strictly older than the cursor; `before` → the
 * `limit` items just newer than it. Cursors survive deletion of the post they point at.
 */
export function pageOf(sorted: readonly FakeMedia[], limit: number, after?: Key, before?: Key): Page {
  let start = 0;
  let end = sorted.length;
  if (after) {
    start = sorted.findIndex((post) => compare(keyOf(post), after) > 0);
    if (start < 0) start = sorted.length;
    end = Math.min(sorted.length, start + limit);
  } else if (before) {
    end = sorted.findIndex((post) => compare(keyOf(post), before) >= 0);
    if (end < 0) end = sorted.length;
    start = Math.max(0, end - limit);
  } else {
    end = Math.min(sorted.length, limit);
  }
  return { items: sorted.slice(start, end), hasNext: end < sorted.length, hasPrevious: start > 0 };
}
