import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cleanEnv, type Env, type RunResult, repoRoot } from '../helpers/astro.js';

/** The pinned host tools live in test/platforms/node_modules (installed by `npm run test:platforms`). */
export const toolsDir = path.join(repoRoot, 'test/platforms/node_modules');

/** What the hosts' CLIs read to stay quiet and offline: no telemetry, no update checks, no browser. */
const QUIET: Env = {
  NETLIFY_CLI_TELEMETRY_DISABLED: '1',
  VERCEL_TELEMETRY_DISABLED: '1',
  ASTRO_TELEMETRY_DISABLED: '1',
  NO_UPDATE_NOTIFIER: '1',
  NPM_CONFIG_UPDATE_NOTIFIER: 'false',
  BROWSER: 'none',
  CI: '1',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

/**
 * Runs a host's CLI (a JS file under toolsDir) with this Node, from `cwd`, with a clean environment
 * plus `env`. This Node's folder comes first on PATH, so `npm run build` inside it uses the same Node.
 */
export function runTool(script: string, args: string[], options: { cwd: string; env?: Env }): Promise<RunResult> {
  const child = spawn(process.execPath, [path.join(toolsDir, script), ...args], {
    cwd: options.cwd,
    env: {
      ...cleanEnv(),
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
      ...QUIET,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The recipes' code blocks are real files: ```lang title="path/of/the/file"``` (as in token-recipes.test.ts). */
export async function recipeFiles(doc: string): Promise<Map<string, string>> {
  const markdown = await readFile(path.join(repoRoot, 'docs', doc), 'utf8');
  const files = new Map<string, string>();
  for (const [, , title, text] of markdown.matchAll(/^```(\w+) title="([^"]+)"\n([\s\S]*?)^```$/gm)) files.set(title!, text!);
  return files;
}

export async function recipeFile(doc: string, title: string): Promise<string> {
  const text = (await recipeFiles(doc)).get(title);
  if (text === undefined) throw new Error(`docs/${doc} has no code block titled ${title}`);
  return text;
}
