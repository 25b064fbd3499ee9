import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyStore, type TokenRecord, type TokenStoreData } from './records.js';

/** `<cacheDir>/astro-loader-instagram/token.json`. */
export function defaultStorePath(cacheDir: URL | string): string {
  const dir = typeof cacheDir === 'string' ? cacheDir : fileURLToPath(cacheDir);
  return path.join(dir, 'astro-loader-instagram', 'token.json');
}

/** Where the CLI looks when run from the site's folder: Astro's default cacheDir. */
export const CLI_DEFAULT_STORE = path.join('node_modules', '.astro', 'astro-loader-instagram', 'token.json');

export class TokenStoreError extends Error {
  constructor(file: string, action: 'read' | 'write', cause: unknown) {
    const reason = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause);
    super(`could not ${action} the token store ${displayPath(file)} (${reason})`);
    this.name = 'TokenStoreError';
  }
}

export interface StoreSnapshot {
  data: TokenStoreData;
  /** The file existed but was not a token store we can read; it will be replaced. */
  unreadable: boolean;
}

export async function readStore(file: string): Promise<StoreSnapshot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { data: emptyStore(), unreadable: false };
    throw new TokenStoreError(file, 'read', error);
  }
  try {
    const parsed = JSON.parse(text) as Partial<TokenStoreData>;
    if (parsed?.version !== 1 || !Array.isArray(parsed.tokens)) return { data: emptyStore(), unreadable: true };
    const tokens = parsed.tokens
      .filter(isRecord)
      .map((entry) => ({ ...entry, previous: Array.isArray(entry.previous) ? entry.previous : [] }));
    return { data: { version: 1, tokens }, unreadable: false };
  } catch {
    return { data: emptyStore(), unreadable: true };
  }
}

/** Written atomically (temp file + rename), readable by the owner only. */
export async function writeStore(file: string, data: TokenStoreData): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    await chmod(temp, 0o600); // the umask may have widened nothing, but an existing file's mode is not ours to trust
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
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
    if (JSON.stringify(snapshot.data) !== before || snapshot.unreadable) await writeStore(key, snapshot.data);
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
