import path from 'node:path';
import { createInterface } from 'node:readline';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { type InstagramError, messageOf } from 'instagram-graph';
import { CLI_DEFAULT_STORE } from '../token/store.js';

/** What a command may touch; main() wires it to the process, tests could wire it elsewhere. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => Date;
}

/**
 * A failure with a one-line message and an exit code; no stack trace is shown. `message` is `what`
 * then `fix`: after a colon when the fix goes on with the sentence ("No app id: pass --client-id …"),
 * else as a sentence of its own.
 */
export class CliError extends Error {
  /** What failed and why. */
  readonly what: string;
  /** What to do about it; empty when there is nothing to fix (the user cancelled). */
  readonly fix: string;
  readonly exitCode: number;
  constructor(what: string, fix: string, exitCode = 1, options?: ErrorOptions) {
    super(!fix ? what : /^[a-z-]/.test(fix) ? `${what}: ${fix}` : `${what}${/[.!?]$/.test(what) ? '' : '.'} ${fix}`, options);
    this.name = 'CliError';
    this.what = what;
    this.fix = fix;
    this.exitCode = exitCode;
  }

  /** One of the client's errors (what and fix already token-free), with `clean` scrubbing what else this command knows. */
  static from(error: InstagramError, clean: (text: string) => string = (text) => text, whatBefore = ''): CliError {
    // The cause is kept only when `clean` finds nothing to scrub in it (it may hold a secret of this command).
    const text = `${error.message}\n${error.stack ?? ''}`;
    return new CliError(clean(`${whatBefore}${error.what}`), clean(error.fix), 1, clean(text) === text ? { cause: error } : undefined);
  }
}

export const out = (io: CliIo, line = '') => io.stdout.write(`${line}\n`);
export const say = (io: CliIo, line = '') => io.stderr.write(`${line}\n`);

/** The clock: `ASTRO_LOADER_INSTAGRAM_NOW` (ISO date) pins it for tests, as in builds. */
export function clockFrom(env: NodeJS.ProcessEnv): () => Date {
  const pinned = env.ASTRO_LOADER_INSTAGRAM_NOW?.trim();
  if (!pinned) return () => new Date();
  const fixed = new Date(pinned);
  if (Number.isNaN(fixed.getTime()))
    throw new CliError(`ASTRO_LOADER_INSTAGRAM_NOW is not a date: ${pinned.slice(0, 40)}`, 'Use an ISO date or unset it.', 2);
  return () => new Date(fixed);
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  'api-url': { type: 'string' },
  store: { type: 'string' },
  'token-env': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function storePath(io: CliIo, flag: string | undefined): string {
  return path.resolve(io.cwd, flag?.trim() || CLI_DEFAULT_STORE);
}

export function apiUrl(io: CliIo, flag: string | undefined): string | undefined {
  return flag?.trim() || io.env.INSTAGRAM_API_URL?.trim() || undefined;
}

/** The variable the token is read from. */
export function tokenVariable(flag: string | undefined): string {
  const name = flag?.trim() || 'INSTAGRAM_TOKEN';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new CliError(
      `--token-env "${name.slice(0, 40)}" is not an environment variable name`,
      'Use letters, digits and _ (e.g. INSTAGRAM_TOKEN).',
      2,
    );
  return name;
}

/** Lines typed or piped on stdin, one at a time. */
export class LineReader {
  private iterator: AsyncIterator<string> | undefined;
  private rl: ReturnType<typeof createInterface> | undefined;
  constructor(private readonly io: CliIo) {}

  async next(): Promise<string | undefined> {
    if (!this.rl) {
      this.rl = createInterface({ input: this.io.stdin, crlfDelay: Infinity, terminal: false });
      this.iterator = this.rl[Symbol.asyncIterator]();
    }
    const result = await this.iterator!.next();
    return result.done ? undefined : result.value;
  }

  close(): void {
    this.rl?.close();
  }
}

/**
 * Asks for a secret without echoing it. On a terminal, keys are read raw; piped input is read as
 * one line (so a secret manager can feed it).
 */
export async function promptSecret(io: CliIo, question: string, lines: LineReader): Promise<string> {
  io.stderr.write(question);
  const { stdin } = io;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') {
    const line = await lines.next();
    io.stderr.write('\n');
    return (line ?? '').trim();
  }
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (chunk: Buffer | string) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') {
            stdin.off('data', onData);
            return resolve(value.trim());
          }
          if (char === '\u0003') {
            stdin.off('data', onData);
            return reject(new CliError('Cancelled.', '', 130));
          }
          if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
          else if (char >= ' ') value += char;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    io.stderr.write('\n');
  }
}

/** Where `refresh` and `status` start: the token variable and its value, the API and the token store. */
export function tokenSetup(
  io: CliIo,
  values: { 'token-env'?: string | undefined; 'api-url'?: string | undefined; store?: string | undefined },
) {
  const variable = tokenVariable(values['token-env']);
  return {
    variable,
    configured: io.env[variable]?.trim() || undefined,
    graphUrl: apiUrl(io, values['api-url']),
    file: storePath(io, values.store),
    now: io.now(),
  };
}

/** The command's flags plus the common ones; a bad flag becomes a usage error naming the command. */
export function parseCommand<const T extends ParseArgsOptionsConfig>(command: string, args: string[], extra: T) {
  try {
    return parseArgs({ args, options: { ...COMMON_OPTIONS, ...extra }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw usageError(error, command);
  }
}

/** "parseArgs" errors, with a word about secrets for anyone trying `--client-secret` or `--token`. */
export function usageError(error: unknown, command: string): CliError {
  const message = messageOf(error);
  if (/secret/i.test(message)) {
    return new CliError(
      'The app secret is never taken as a flag (it would land in your shell history)',
      'set INSTAGRAM_APP_SECRET or type it when asked.',
      2,
    );
  }
  if (/'--(?:user-)?token'/.test(message)) {
    return new CliError(
      'A token is never taken as a flag (it would land in your shell history)',
      'pipe it on stdin, type it when asked, or name its variable with --token-env.',
      2,
    );
  }
  return new CliError(message.replace(/\.\s*$/, ''), `See \`npx astro-loader-instagram ${command} --help\`.`, 2, { cause: error });
}
