import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { messageOf } from 'instagram-graph';
import { writeAtomic } from '../utils/atomic-write.js';
import { DEFAULT_CACHE_DIR, packageCacheFile } from '../utils/cache-file.js';
import { CLI, LOGIN_COMMAND, REFRESH_COMMAND } from './advice.js';
import { emptyStore, type TokenRecord, type TokenStoreData } from './records.js';

/** `<cacheDir>/astro-loader-instagram/token.json`. */
export function defaultStorePath(cacheDir: URL | string): string {
  return packageCacheFile(cacheDir, 'token.json');
}

/** Where the CLI looks when run from the site's folder: Astro's default cacheDir. */
export const CLI_DEFAULT_STORE = defaultStorePath(DEFAULT_CACHE_DIR);

/**
 * The token store could not be read or written. `message` is `${what}. ${fix}`; callers that go on
 * without the store quote `what` and say what they do instead. `cause` is the file system's error.
 */
export class TokenStoreError extends Error {
  /** What failed and why, e.g. "could not write the token store node_modules/.astro/…/token.json (EACCES)". */
  readonly what: string;
  /** What the site owner does about it. */
  readonly fix: string;
  /** The file system's code (EACCES, ENOSPC, ...), when it gave one. */
  readonly code: string | undefined;
  constructor(file: string, action: 'read' | 'write', cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const reason = code ?? messageOf(cause);
    const what = `could not ${action} the token store ${displayPath(file)} (${reason})`;
    const fix = `Make ${displayPath(path.dirname(file))} ${action === 'read' ? 'readable' : 'writable'} by this user.`;
    super(`${what}. ${fix}`, { cause });
    this.name = 'TokenStoreError';
    this.what = what;
    this.fix = fix;
    this.code = code;
  }
}

export interface StoreSnapshot {
  data: TokenStoreData;
  /** The file existed but was not a token store we can read; it will be replaced. */
  unreadable: boolean;
  /**
   * With `unreadable`: `'restored'` when the data came from the backup (`<file>.bak`), `'lost'`
   * when the backup could not be read either and the data starts empty.
   */
  recovery?: 'restored' | 'lost';
  /** The file's text when it was a good store: kept as the backup when a write replaces it. */
  goodText?: string;
}

/** Beside the store: the previous good copy, written whenever a write replaces a good store. */
export const backupPath = (file: string) => `${file}.bak`;

export async function readStore(file: string): Promise<StoreSnapshot> {
  const main = await readStoreFile(file);
  if (main === 'absent') return { data: emptyStore(), unreadable: false };
  if (main.data) return { data: main.data, unreadable: false, goodText: main.text };
  // Damaged: a refreshed token may exist nowhere else, so fall back to the copy before the last write.
  const backup = await readStoreFile(backupPath(file)).catch(() => 'absent' as const);
  if (backup !== 'absent' && backup.data) return { data: backup.data, unreadable: true, recovery: 'restored' };
  return { data: emptyStore(), unreadable: true, recovery: 'lost' };
}

/** The parsed store, or no data when the text is not a store we can read. */
async function readStoreFile(file: string): Promise<'absent' | { text: string; data?: TokenStoreData }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw new TokenStoreError(file, 'read', error);
  }
  const data = parseStore(text);
  return data ? { text, data } : { text };
}

function parseStore(text: string): TokenStoreData | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<TokenStoreData>;
    if (parsed?.version !== 1 || !Array.isArray(parsed.tokens)) return undefined;
    const tokens = parsed.tokens
      .filter(isRecord)
      .map((entry) => ({ ...entry, previous: Array.isArray(entry.previous) ? entry.previous : [] }));
    return { version: 1, tokens };
  } catch {
    return undefined;
  }
}

/**
 * Written atomically (temp file + rename), readable by the owner only. `previousGoodText`, the
 * store being replaced, is first kept as `<file>.bak` (same care), so a store damaged later
 * still has a good copy beside it.
 */
/** The token is a secret: the store and its backup are readable by their owner only. */
const OWNER_ONLY = { mode: 0o600 };

export async function writeStore(file: string, data: TokenStoreData, previousGoodText?: string): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    if (previousGoodText !== undefined) await writeAtomic(backupPath(file), previousGoodText, OWNER_ONLY);
    await writeAtomic(file, `${JSON.stringify(data, null, 2)}\n`, OWNER_ONLY);
  } catch (error) {
    throw new TokenStoreError(file, 'write', error);
  }
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `update` on the store's content and writes the result back if it changed. Calls on the same
 * file run one after the other within this process (collections of one build load concurrently).
 */
export function updateStore<T>(file: string, update: (snapshot: StoreSnapshot) => Promise<T> | T): Promise<T> {
  const key = path.resolve(file);
  const run = async () => {
    const snapshot = await readStore(key);
    const before = JSON.stringify(snapshot.data);
    const result = await update(snapshot);
    if (JSON.stringify(snapshot.data) !== before || snapshot.unreadable) await writeStore(key, snapshot.data, snapshot.goodText);
    return result;
  };
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(run, run);
  const settled = next.catch(() => {});
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

/** The build-log line for a token store that could not be read: restored from its backup, or started afresh (and how to recover). */
export function damagedStoreLine(file: string, recovery: 'restored' | 'lost'): string {
  const store = displayPath(file);
  if (recovery === 'restored')
    return `${store} could not be read (damaged, or not a store this version knows); restored it from ${store}.bak, its copy before the last change.`;
  return `${store} (and its backup ${store}.bak) could not be read; starting a new token store. A token refreshed by an earlier build may be lost: run \`${CLI} status\` to see whether INSTAGRAM_TOKEN still works, \`${REFRESH_COMMAND}\` to renew it, or set INSTAGRAM_TOKEN to a new token (\`${LOGIN_COMMAND}\`).`;
}

/** Relative to the working directory when inside it, for messages. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function isRecord(value: unknown): value is TokenRecord {
  if (!value || typeof value !== 'object') return false;
  const entry = value as Partial<TokenRecord>;
  return typeof entry.hash === 'string' && typeof entry.firstSeenAt === 'string' && !Number.isNaN(Date.parse(entry.firstSeenAt));
}
