import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const fixture = (name: string) => path.join(repoRoot, 'test/fixtures', name);

/** The workspace's astro (7.x). */
export const astroBin = path.join(repoRoot, 'node_modules/astro/bin/astro.mjs');

export type Env = Record<string, string | undefined>;

export interface RunResult {
  code: number | null;
  output: string;
}

export interface AstroProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Resolves when the process exits, with everything it printed. */
  done: Promise<RunResult>;
  /** What it printed so far (stdout and stderr, interleaved). */
  output(): string;
}

/**
 * The one way tests run Astro: `astro(['build'], { root, env })` runs `astro build --root <root>` in a
 * child process from the site's folder (as a user does: Vite resolves some bare imports from the cwd),
 * with a clean environment plus `env`. `bin`: another installed astro CLI (default: the workspace's).
 */
export function astro(args: string[], options: { root: string; env?: Env; bin?: string }): AstroProcess {
  const child = spawn(process.execPath, [options.bin ?? astroBin, ...args, '--root', options.root], {
    cwd: options.root,
    env: { ...cleanEnv(), ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
  return { child, done, output: () => output };
}

/** What vitest puts into process.env (NODE_ENV=test, DEV=1, SSR=1...): it breaks Vite 7 builds of Astro 6. */
const VITEST_VARS = new Set(['NODE_ENV', 'TEST', 'MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL', 'FORCE_TTY']);

/** The parent's environment without vitest's variables or anything Instagram-related: tests start from nothing. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || VITEST_VARS.has(key) || /^(VITEST|INSTAGRAM_|FIXTURE_|ASTRO_OUT|ASTRO_CACHE)/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

/**
 * Fresh folders for one site under test, inside the repo (test/output/sites/) so the copied site
 * still resolves `astro` and our packages from the workspace's node_modules.
 */
export async function tempSiteDirs(prefix: string) {
  const sites = path.join(repoRoot, 'test/output/sites');
  await mkdir(sites, { recursive: true });
  const base = await mkdtemp(path.join(sites, `${prefix}-`));
  return { base, site: path.join(base, 'site'), outDir: path.join(base, 'dist'), cacheDir: path.join(base, 'cache') };
}

/**
 * A private copy of a fixture (made on first use in `dirs.base/site`), so parallel test files never
 * share a fixture's generated `.astro/` folder, with `env` pointing its outDir and cacheDir at `dirs`.
 * Pass the result to `astro(args, ...)`.
 */
export async function fixtureSite(name: string, dirs: { base: string; outDir: string; cacheDir: string }, env: Env = {}) {
  const root = await copyFixture(name, path.join(dirs.base, 'site'));
  return { root, env: { ASTRO_OUT_DIR: dirs.outDir, ASTRO_CACHE_DIR: dirs.cacheDir, ...env } };
}

/** `astro build` of a private copy of a fixture (see fixtureSite), with the dist/ it built into. */
export async function buildFixture(
  name: string,
  dirs: { base: string; outDir: string; cacheDir: string },
  env: Env,
): Promise<RunResult & { outDir: string }> {
  return { outDir: dirs.outDir, ...(await astro(['build'], await fixtureSite(name, dirs, env)).done) };
}

export function copyFixture(name: string, target: string): Promise<string> {
  return copySite(fixture(name), target);
}

/**
 * Copies a site folder without what Astro or npm generate in it (`node_modules`, `dist`, `.astro`) and,
 * with `withoutEnvFiles`, without `.env*` files (a fresh clone has none). Existing files are kept.
 */
export async function copySite(source: string, target: string, options: { withoutEnvFiles?: boolean } = {}): Promise<string> {
  const skipped = new Set(['node_modules', 'dist', '.astro']);
  await cp(source, target, {
    recursive: true,
    force: false,
    filter: (file) =>
      !path
        .relative(source, file)
        .split(path.sep)
        .some((segment) => skipped.has(segment) || (options.withoutEnvFiles === true && segment.startsWith('.env'))),
  });
  return target;
}

export interface DevServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `astro dev` for a site folder, resolved once it listens. The port comes from its own
 * "Local http://localhost:N/" line, so parallel test files never fight over one.
 */
export async function astroDev(root: string, env: Env, timeoutMs = 120_000): Promise<DevServer> {
  const dev = astro(['dev', '--port', String(await freePortHint()), '--host', '127.0.0.1'], { root, env });
  const stop = async () => {
    if (dev.child.exitCode === null) dev.child.kill('SIGTERM');
    await dev.done;
  };
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`astro dev did not start within ${timeoutMs} ms. Output:\n${dev.output()}`)),
      timeoutMs,
    );
    const check = () => {
      const port = /Local\s+https?:\/\/[^/\s]+:(\d+)\//.exec(dev.output())?.[1];
      if (port) finish(undefined, `http://127.0.0.1:${port}`);
    };
    const finish = (error?: Error, value?: string) => {
      clearTimeout(timer);
      dev.child.stdout.off('data', check);
      dev.child.stderr.off('data', check);
      if (error) reject(error);
      else resolve(value!);
    };
    dev.child.stdout.on('data', check);
    dev.child.stderr.on('data', check);
    void dev.done.then(() => finish(new Error(`astro dev exited before listening. Output:\n${dev.output()}`)));
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { origin, output: dev.output, stop };
}

/** A port that was free a moment ago; Astro moves on to the next one if it is taken meanwhile. */
async function freePortHint(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 4321));
    });
  });
}

/** Polls `url` until it answers 200 (the dev server syncs content in the background at start). */
export async function fetchWhenReady(url: string, timeoutMs = 60_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
      last = `${response.status} ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} never answered 200 within ${timeoutMs} ms; last: ${last}`);
}

/** All files under a folder, as paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

/** Concatenated text of every file under a folder (for leak scans). */
export async function readAllText(dir: string): Promise<string> {
  const files = await listFiles(dir);
  const texts = await Promise.all(files.map((file) => readFile(path.join(dir, file), 'latin1')));
  return texts.join('\n');
}
