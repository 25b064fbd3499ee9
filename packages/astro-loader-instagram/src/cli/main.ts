#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { messageOf } from 'instagram-graph';
import { siteEnv } from '../env.js';
import { check } from './check.js';
import { CliError } from './cli-error.js';
import { clockFrom } from './clock.js';
import { facebookToken } from './facebook-token.js';
import type { CliIo } from './io.js';
import { login } from './login.js';
import { refresh } from './refresh.js';
import { status } from './status.js';

/** The commands of `npx astro-loader-instagram <command>`. */
export const COMMANDS = {
  login: { run: login, summary: 'Log in with Instagram (Business Login) and print a long-lived token (60 days)' },
  refresh: { run: refresh, summary: 'Refresh the token for another 60 days and print it' },
  status: { run: status, summary: 'Show which account the token reads, when it expires and what to do next' },
  check: { run: check, summary: 'Tell whether a rebuild would change the deployed site, and call a build hook if so' },
  'facebook-token': {
    run: facebookToken,
    summary: "Facebook Login: turn a short-lived User token into a Page token that never expires (host: 'facebook')",
  },
} as const;

export type CommandName = keyof typeof COMMANDS;

const HELP = `Usage: npx astro-loader-instagram <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(15)} ${command.summary}`)
  .join('\n')}

Run \`npx astro-loader-instagram <command> --help\` for its options.
Tokens are printed only by login, refresh and facebook-token, whose job it is.`;

/** Runs one command; returns the exit code. Errors become one line on stderr, never a stack trace. */
export async function main(argv: string[], io?: Partial<CliIo>): Promise<number> {
  const cwd = io?.cwd ?? process.cwd();
  // Run from the site's folder, the CLI sees what `astro build` sees: the environment over the site's
  // .env files (.env, .env.local, .env.production, .env.production.local).
  const env = siteEnv({ root: cwd }, 'production', io?.env ?? process.env);
  const base = {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    stdin: io?.stdin ?? process.stdin,
    env,
    cwd,
  };
  const [name, ...rest] = argv;
  try {
    const full: CliIo = { ...base, now: io?.now ?? clockFrom(env) };
    if (!name || name === 'help' || name === '--help' || name === '-h') {
      full.stdout.write(`${HELP}\n`);
      return name ? 0 : 2;
    }
    if (!Object.hasOwn(COMMANDS, name)) {
      full.stderr.write(`Unknown command "${name.slice(0, 40)}".\n\n${HELP}\n`);
      return 2;
    }
    return await COMMANDS[name as CommandName].run(rest, full);
  } catch (error) {
    const code = error instanceof CliError ? error.exitCode : 1;
    const message = messageOf(error);
    base.stderr.write(`astro-loader-instagram ${name ?? ''}: ${message.replace(/\s+/g, ' ').trim()}\n`);
    return code;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`astro-loader-instagram: ${messageOf(error)}\n`);
      process.exitCode = 1;
    },
  );
}
