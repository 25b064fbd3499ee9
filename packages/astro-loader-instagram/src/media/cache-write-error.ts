import path from 'node:path';

/**
 * Errors of the machine, not of one image: every further write would fail the same way, so the
 * sync stops at the first one instead of skipping post after post.
 */
const SYSTEMIC: Record<string, { what: string; fix: string }> = {
  ENOSPC: { what: 'no space left on device', fix: "Free disk space, or point Astro's `cacheDir` at a disk with room" },
  EDQUOT: { what: 'disk quota exceeded', fix: "Free space within your quota, or point Astro's `cacheDir` at another disk" },
  EROFS: { what: 'read-only file system', fix: "Point Astro's `cacheDir` at a writable folder" },
  EACCES: { what: 'permission denied', fix: "Make the folder writable by this user, or point Astro's `cacheDir` at a writable folder" },
  EMFILE: { what: 'too many open files', fix: "Raise the open-file limit (`ulimit -n`) or lower the loader's `concurrency`" },
  ENFILE: { what: 'too many open files on the system', fix: "Raise the system's open-file limit or lower the loader's `concurrency`" },
};

/**
 * The media cache cannot be written at all: one failure of the build, named once with its fix.
 * `message` is `${what}. ${fix}`; `cause` is the file system's own error, with its path and syscall.
 */
export class CacheWriteError extends Error {
  readonly code: string;
  readonly dir: string;
  /** What failed and why, without the fix. */
  readonly what: string;
  /** What the site owner does about it. */
  readonly fix: string;
  constructor(code: string, dir: string, options?: ErrorOptions) {
    const systemic = SYSTEMIC[code] ?? { what: code, fix: "Point Astro's `cacheDir` elsewhere" };
    const what = `cannot write the media cache in ${dir} (${code}: ${systemic.what})`;
    const fix = `${systemic.fix}.`;
    super(`${what}. ${fix}`, options);
    this.name = 'CacheWriteError';
    this.code = code;
    this.dir = dir;
    this.what = what;
    this.fix = fix;
  }
}

/** The error as a CacheWriteError when it is one of the machine's (full disk, read-only, ...), else undefined. */
export function asCacheWriteError(error: unknown, fallbackDir: string): CacheWriteError | undefined {
  if (error instanceof CacheWriteError) return error;
  const { code, path: file, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (!code || !(code in SYSTEMIC)) return undefined;
  const dir = !file ? fallbackDir : syscall === 'mkdir' ? file : path.dirname(file);
  return new CacheWriteError(code, dir, { cause: error });
}
