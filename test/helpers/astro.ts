import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const fixture = (name: string) => path.join(repoRoot, 'test/fixtures', name);

/** The workspace's astro (7.x). */
const astroBin = path.join(repoRoot, 'node_modules/astro/bin/astro.mjs');

export interface RunResult {
  code: number | null;
  output: string;
}

/** Runs the astro CLI in a child process (real build, real Vite), with the given environment. */
export function runAstro(args: string[], env: Record<string, string | undefined>): Promise<RunResult> {
  return runAstroWith(astroBin, args, env);
}

/** Same, with a given astro CLI (another installed version). */
export function runAstroWith(bin: string, args: string[], env: Record<string, string | undefined>): Promise<RunResult> {
  return spawnAstro(bin, args, env).done;
}

/** Starts the astro CLI and hands back the child, for tests that kill it midway. */
export function spawnAstro(bin: string, args: string[], env: Record<string, string | undefined>) {
  // Run from the site's folder, as a user does: Vite resolves some bare imports from the cwd.
  const rootIndex = args.indexOf('--root');
  const cwd = rootIndex >= 0 ? args[rootIndex + 1] : undefined;
  const child = spawn(process.execPath, [bin, ...args], {
    ...(cwd ? { cwd } : {}),
    env: { ...cleanEnv(), ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
  return { child, done };
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
 * Builds a private copy of a fixture (made on first use in `dirs.base/site`), so parallel test
 * files never share a fixture's generated `.astro/` folder.
 */
export async function buildFixture(
  name: string,
  dirs: { base: string; outDir: string; cacheDir: string },
  env: Record<string, string | undefined>,
) {
  return (await startFixtureBuild(name, dirs, env)).done;
}

/** Like buildFixture, with the child process exposed. */
export async function startFixtureBuild(
  name: string,
  dirs: { base: string; outDir: string; cacheDir: string },
  env: Record<string, string | undefined>,
) {
  const site = await copyFixture(name, path.join(dirs.base, 'site'));
  return spawnAstro(astroBin, ['build', '--root', site], { ASTRO_OUT_DIR: dirs.outDir, ASTRO_CACHE_DIR: dirs.cacheDir, ...env });
}

export async function copyFixture(name: string, target: string): Promise<string> {
  const skipped = new Set(['node_modules', 'dist', '.astro']);
  const source = fixture(name);
  await cp(source, target, {
    recursive: true,
    force: false,
    filter: (file) =>
      !path
        .relative(source, file)
        .split(path.sep)
        .some((segment) => skipped.has(segment)),
  });
  return target;
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
