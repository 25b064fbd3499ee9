import { createHash } from 'node:crypto';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Identifies this machine in temp names, so a sweep never judges another host's writer by a local pid. */
const HOST_TAG = createHash('sha1').update(os.hostname()).digest('hex').slice(0, 6);
const TEMP_NAME = /\.tmp-([0-9a-f]{6})-(\d+)-/;

/**
 * Where a file is written before it is renamed into place: unique per host, process and call, so two
 * builds (or `astro dev` next to `astro build`) sharing a cache never write to or rename each other's
 * temp files. `removeStale` sweeps the ones whose writer is gone.
 */
export function tempPathFor(file: string): string {
  return `${file}.tmp-${HOST_TAG}-${process.pid}-${Math.random().toString(36).slice(2)}`;
}

/** Who wrote a temp file named by `tempPathFor`: its process id, and whether that process ran on this host. */
export function tempFileWriter(file: string): { pid: number; thisHost: boolean } | undefined {
  const writer = TEMP_NAME.exec(path.basename(file));
  return writer ? { pid: Number(writer[2]), thisHost: writer[1] === HOST_TAG } : undefined;
}

/**
 * Writes to a temp name, then renames: readers see the old file or the new one, never half of one.
 * When two processes write the same file, the last rename wins with a whole file either way; a write
 * or rename that fails (Windows refuses to replace a file another process has open) still counts
 * when the file already holds exactly these bytes: the other writer won the race. `mode` (e.g. 0o600
 * for the token store) is set on the temp file before it takes the name, whatever the umask.
 */
export async function writeAtomic(file: string, data: Buffer | string, { mode }: { mode?: number } = {}): Promise<void> {
  const temp = tempPathFor(file);
  try {
    await writeFile(temp, data, mode === undefined ? {} : { mode });
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    if (await holds(file, data)) return;
    throw error;
  }
}

async function holds(file: string, data: Buffer | string): Promise<boolean> {
  const current = await readFile(file).catch(() => undefined);
  return current?.equals(typeof data === 'string' ? Buffer.from(data) : data) ?? false;
}
