import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { cleanEnv, repoRoot } from './astro.js';

const run = promisify(execFile);

/** Packs our publishable packages (built `dist/` included) into `dir`; returns tarball paths by name. */
export async function packPackages(dir: string): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true });
  const tarballs: Record<string, string> = {};
  for (const name of ['instagram-graph', 'astro-loader-instagram']) {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: path.join(repoRoot, 'packages', name) });
    const [info] = JSON.parse(stdout) as Array<{ filename: string }>;
    tarballs[name] = path.join(dir, info!.filename);
  }
  return tarballs;
}

/**
 * A brand-new Astro project outside the workspace: its own package.json and node_modules, our
 * packages installed from tarballs, nothing hoisted from the repo.
 */
export async function createStandaloneSite(
  dir: string,
  options: { dependencies: Record<string, string>; tarballs: Record<string, string>; files: Record<string, string> },
) {
  for (const [file, content] of Object.entries(options.files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  const dependencies = { ...options.dependencies };
  for (const [name, tarball] of Object.entries(options.tarballs)) dependencies[name] = `file:${tarball}`;
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'standalone-site', private: true, type: 'module', dependencies }, null, 2),
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: dir,
    env: cleanEnv(),
    maxBuffer: 16 * 1024 * 1024,
  });
  return { astroBin: path.join(dir, 'node_modules/astro/bin/astro.mjs') };
}

/** The code block that follows `marker` in a Markdown document. */
export function codeBlockAfter(markdown: string, marker: string): string {
  const start = markdown.indexOf(marker);
  if (start < 0) throw new Error(`README has no "${marker}"`);
  const match = /```[a-z]*\n([\s\S]*?)\n```/.exec(markdown.slice(start));
  if (!match) throw new Error(`README has no code block after "${marker}"`);
  return `${match[1]}\n`;
}
