import path from 'node:path';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { messageOf } from 'instagram-graph';
import { CLI_DEFAULT_STORE } from '../token/store.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './io.js';

// A command's flags and what they point at: the token variable, the API, the token store.

/** Options every command takes. */
const COMMON_OPTIONS = {
  'api-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** For the commands that read a token (refresh, status, facebook-token); login makes one. */
export const TOKEN_ENV_OPTION = { 'token-env': { type: 'string' } } as const;
/** For the commands that keep tokens in the token store (login, refresh, status); facebook-token prints its token only. */
export const STORE_OPTION = { store: { type: 'string' } } as const;

/** Help lines of the shared flags, so every command describes them alike. */
export const HELP_LINES = {
  tokenEnv: '  --token-env <name>    Read the token from this variable instead of INSTAGRAM_TOKEN',
  store: `  --store <file>        Token store. Default ${CLI_DEFAULT_STORE.replaceAll('\\', '/')}`,
  apiUrl: (origin: string) => `  --api-url <url>       Graph API origin, or INSTAGRAM_API_URL. Default ${origin}`,
};

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
