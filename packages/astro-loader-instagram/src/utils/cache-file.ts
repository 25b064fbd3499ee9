import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_NAME } from '../constants.js';

/** Astro's default cacheDir, relative to the site's folder: where the CLI looks when not told. */
export const DEFAULT_CACHE_DIR = path.join('node_modules', '.astro');

/** `<cacheDir>/astro-loader-instagram/<name>`: `cacheDir` as Astro's config gives it (a URL) or a path. */
export function packageCacheFile(cacheDir: URL | string, name: string): string {
  const dir = typeof cacheDir === 'string' ? cacheDir : fileURLToPath(cacheDir);
  return path.join(dir, PACKAGE_NAME, name);
}
