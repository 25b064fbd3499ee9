import path from 'node:path';
import { TOKEN_STORES_KEY } from './constants.js';
import { processGlobal } from './utils/process-global.js';

/**
 * Token stores the loaders of this process use, for the dev server to refuse wherever they are
 * (`tokenStore` may point anywhere; `vite.server.fs.deny` covers only our cache folder). Loaders
 * run in Vite's module graph and the integration in Astro's: two copies of this module, one
 * process, so the list lives on a global keyed by a registered symbol.
 */
const stores = () => processGlobal(TOKEN_STORES_KEY, () => new Set<string>());

export function registerTokenStore(file: string): void {
  stores().add(comparable(path.resolve(file)));
}

/**
 * Whether a dev-server request names a token store, its `.bak` or a temp file beside it, by any
 * spelling: `/@fs/<absolute>`, `/@id/<absolute>` or a path under the project root, with
 * percent-encoding, `..`, `.` and doubled slashes.
 */
export function requestsTokenStore(url: string | undefined, root: string): boolean {
  const known = stores();
  if (!known.size || !url) return false;
  let pathname = url.split(/[?#]/)[0] ?? '';
  for (let round = 0; round < 3 && pathname.includes('%'); round++) {
    try {
      pathname = decodeURIComponent(pathname);
    } catch {
      break;
    }
  }
  pathname = path.posix.normalize(pathname.replaceAll('\\', '/'));
  const absolute = pathname.replace(/^\/@(?:fs|id)(?=\/)/, '');
  const candidates = [path.join(root, pathname), absolute, absolute.replace(/^\/(?=[a-zA-Z]:)/, '')];
  return candidates.some((candidate) => {
    const file = comparable(path.resolve(candidate));
    return [...known].some((store) => file === store || file.startsWith(`${store}.`));
  });
}

/** Vite compares denied paths case-insensitively; so do we (macOS and Windows file systems are). */
function comparable(file: string): string {
  return file.replaceAll('\\', '/').toLowerCase();
}
