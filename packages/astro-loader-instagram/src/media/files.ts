import { readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where a file is written before it is renamed into place. The `.tmp-` marker is what `removeStale`
 * sweeps, so a build killed mid-write leaves nothing behind for long.
 */
export function tempPathFor(file: string): string {
  return `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
}

export async function writeAtomic(file: string, data: Buffer | string): Promise<void> {
  const temp = tempPathFor(file);
  await writeFile(temp, data);
  await rename(temp, file);
}

export async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Deletes the files in `dir` named `<id>.<ext>` whose id is not in `keep`, and leftover temp files.
 * Returns the names it removed (none when the folder does not exist).
 */
export async function removeStale(dir: string, keep: ReadonlySet<string>): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const doomed = names.filter((name) => name.includes('.tmp-') || !keep.has(name.split('.')[0] ?? ''));
  await Promise.all(doomed.map((name) => rm(path.join(dir, name), { force: true })));
  return doomed;
}
