import { spawn } from 'node:child_process';
import path from 'node:path';
import { cleanEnv, repoRoot } from './astro.js';

/** The built CLI, run exactly as `npx astro-loader-instagram` runs it (Node 22: this process's node). */
export const cliPath = path.join(repoRoot, 'packages/astro-loader-instagram/dist/cli/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  /** Resolves when the process exits. */
  done: Promise<CliResult>;
  /** Output so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the first match of `pattern` in stderr (waiting for it to appear). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  write(text: string): void;
  kill(): void;
}

/** Starts the CLI as a child process with a clean environment plus `env`, in `cwd`. */
export function startCli(args: string[], options: { env?: Record<string, string | undefined>; cwd: string; stdin?: string }): CliRun {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    env: { ...cleanEnv(), NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    for (const wake of [...waiters]) wake();
  });
  if (options.stdin !== undefined) child.stdin.end(options.stdin);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      for (const wake of [...waiters]) wake();
      resolve({ code, stdout, stderr });
    });
  });
  return {
    done,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitForStderr(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`CLI never printed ${pattern} to stderr. stderr so far:\n${stderr}`)), timeoutMs);
        const check = () => {
          const match = pattern.exec(stderr);
          if (match) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(check), 1);
            resolve(match);
          } else if (child.exitCode !== null) {
            clearTimeout(timer);
            reject(new Error(`CLI exited (${child.exitCode}) before printing ${pattern}. stderr:\n${stderr}`));
          }
        };
        waiters.push(check);
        check();
      });
    },
    write(text) {
      child.stdin.write(text);
    },
    kill() {
      child.kill();
    },
  };
}

/** Runs the CLI to the end. */
export function runCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd: string; stdin?: string },
): Promise<CliResult> {
  return startCli(args, { stdin: '', ...options }).done;
}
