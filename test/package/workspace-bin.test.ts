import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cleanEnv, repoRoot } from '../helpers/astro.js';

const run = promisify(execFile);
const loaderDir = path.join(repoRoot, 'packages/astro-loader-instagram');

describe('the CLI and package.json inside this repository', () => {
  it('has a bin that is a committed, executable file (npm links bins at install time only if the file exists)', async () => {
    const manifest = JSON.parse(await readFile(path.join(loaderDir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const target = path.posix.normalize(manifest.bin['astro-loader-instagram']!);
    expect(target.startsWith('dist/')).toBe(false);
    // `git ls-files -s` prints the mode git checks out: 100755 is executable.
    const { stdout } = await run('git', ['ls-files', '-s', '--', target], { cwd: loaderDir });
    expect(stdout, `${target} is not committed`).toMatch(/^100755 /);
  });

  it('runs `npx astro-loader-instagram --help` from the repository root', async () => {
    // npx from this process's Node (22, the workspace's); --offline: never fetch a package of that name from the registry.
    const env = { ...cleanEnv(), NO_COLOR: '1', PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
    const { stdout } = await run('npx', ['--offline', 'astro-loader-instagram', '--help'], { cwd: repoRoot, env });
    expect(stdout).toMatch(/^Usage: npx astro-loader-instagram <command>/);
  });

  it('lets code import the packages’ package.json', async () => {
    const loader = await import('astro-loader-instagram/package.json', { with: { type: 'json' } });
    const graph = await import('instagram-graph/package.json', { with: { type: 'json' } });
    expect(loader.default.name).toBe('astro-loader-instagram');
    expect(graph.default.name).toBe('instagram-graph');
  });
});
