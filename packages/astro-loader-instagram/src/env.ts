import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

/** The part of Astro's config that says where `.env` files are. */
export interface EnvSite {
  root: URL | string;
  vite?: { envDir?: string | false } | undefined;
}

/**
 * The environment as Astro hands it to the site: the real environment over the site's `.env`
 * files for this mode (`.env`, `.env.local`, `.env.[mode]`, `.env.[mode].local`, later files win;
 * an empty variable counts as unset),
 * read the way Astro reads them (Vite's `loadEnv(mode, vite.envDir ?? root, '')`, which parses with
 * Node's `util.parseEnv`). Astro puts these values into `process.env` only after content is synced,
 * and never in `astro dev`, so a loader has to read them itself. Nothing is written to `process.env`.
 */
export function siteEnv(site: EnvSite, mode: string = astroMode(), env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const dir = envDir(site);
  const fromFiles: Record<string, string> = {};
  if (dir && mode !== 'local') {
    for (const name of ['.env', '.env.local', `.env.${mode}`, `.env.${mode}.local`]) {
      Object.assign(fromFiles, readEnvFile(path.join(dir, name)));
    }
  }
  return { ...fromFiles, ...setOnly(env) };
}

/**
 * The Vite mode Astro runs in: `import.meta.env.MODE` when Vite loaded this module (Astro runs
 * loaders that way; `--mode` included), else what Astro's commands default to: `astro dev` sets
 * NODE_ENV=development, `astro build` and `astro sync` use production.
 */
export function astroMode(): string {
  const viteMode = (import.meta as ImportMeta & { env?: { MODE?: unknown } }).env?.MODE;
  if (typeof viteMode === 'string' && viteMode) return viteMode;
  return process.env.NODE_ENV === 'development' ? 'development' : 'production';
}

function envDir(site: EnvSite): string | undefined {
  const configured = site.vite?.envDir;
  if (configured === false) return undefined; // Vite: envDir false loads no .env files
  if (typeof configured === 'string') return path.resolve(configured);
  return typeof site.root === 'string' ? site.root : fileURLToPath(site.root);
}

function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {}; // absent (or unreadable, as Vite skips it too)
  }
  return parseEnv(text) as Record<string, string>;
}

/** A variable set to nothing (`INSTAGRAM_TOKEN=` in a CI form) does not hide the one in `.env`. */
function setOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value) result[key] = value;
  return result;
}
