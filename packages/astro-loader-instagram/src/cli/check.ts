import path from 'node:path';
import { messageOf, redact } from 'instagram-graph';
import { CheckError } from '../check/check-error.js';
import { checkForChanges } from '../check/index.js';
import { DEFAULT_STATE_FILE } from '../constants.js';
import { chooseToken } from '../token/records.js';
import { displayPath, readStore } from '../token/store.js';
import { HELP_LINES, parseCommand, STORE_OPTION, TOKEN_ENV_OPTION, tokenSetup } from './args.js';
import { CliError } from './cli-error.js';
import { type CliIo, out } from './io.js';

export const CHECK_HELP = `Usage: npx astro-loader-instagram check --site <url or folder> [options]

Tells whether rebuilding the site would change it: compares the state file the site was built with
(${DEFAULT_STATE_FILE}) with what Instagram serves now, in at most 2 API requests per account
(the newest 100 posts, and media_count). Prints one line: "unchanged: newest post <id> from <date>"
or "changed: 1 new post". Exits 0 either way (1 with --exit-code when changed), 2 when it cannot
decide (dead token, rate limit, site unreachable, no state file); the hook is then not called.

  --site <url|folder>   The deployed site (https://example.com) or a built folder (dist/)
  --hook <url>          Build hook to POST when something changed (Netlify build hook, Vercel
                        deploy hook). Printed as its origin only: the rest is a secret.
  --exit-code           Exit 1 when something changed
  --state-file <path>   The integration's stateFile. Default ${DEFAULT_STATE_FILE}
${HELP_LINES.tokenEnv}
${HELP_LINES.store}
${HELP_LINES.apiUrl('https://graph.instagram.com')}

The token is the newest of INSTAGRAM_TOKEN and its refreshes in the token store, as for status.
A state file with several accounts: each collection whose account the token reads is checked; run
once per token (--token-env) for the others.`;

/** Exit code when the check could not decide. */
const CANNOT_DECIDE = 2;

export async function check(args: string[], io: CliIo): Promise<number> {
  const values = parseCommand('check', args, {
    ...TOKEN_ENV_OPTION,
    ...STORE_OPTION,
    site: { type: 'string' },
    hook: { type: 'string' },
    'exit-code': { type: 'boolean' },
    'state-file': { type: 'string' },
  });
  if (values.help) {
    out(io, CHECK_HELP);
    return 0;
  }
  const given = values.site?.trim();
  if (!given)
    throw new CliError(
      'No --site given',
      'Pass the deployed URL (--site https://example.com) or the built folder (--site dist).',
      CANNOT_DECIDE,
    );
  // A folder is relative to where the command runs.
  const site = /^https?:\/\//i.test(given) ? given : path.resolve(io.cwd, given);
  const hook = values.hook?.trim() || undefined;
  if (hook && !/^https?:\/\//i.test(hook))
    throw new CliError('--hook is not an http(s) URL', 'Copy the build hook URL from your host.', CANNOT_DECIDE);

  const { variable, configured, graphUrl, file, now } = tokenSetup(io, values);
  const { data } = await readStore(file); // read only, like status: builds keep the token fresh
  const choice = chooseToken(data, configured, now);
  if (!choice) {
    throw new CliError(
      `No token: ${variable} is not set and ${displayPath(file)} holds none`,
      `Set ${variable} to the token the site builds with.`,
      CANNOT_DECIDE,
    );
  }
  try {
    const result = await checkForChanges({
      site,
      token: choice.token,
      ...(graphUrl ? { apiUrl: graphUrl } : {}),
      ...(values['state-file']?.trim() ? { stateFile: values['state-file'].trim() } : {}),
      ...(hook ? { hook } : {}),
    });
    out(io, result.line);
    return result.changed && values['exit-code'] ? 1 : 0;
  } catch (error) {
    if (error instanceof CheckError) throw new CliError(error.what, error.fix, CANNOT_DECIDE, { cause: error });
    // Anything else is no decision either: exit 2, so a scheduler never reads it as "changed".
    throw new CliError(redact(messageOf(error), [choice.token, configured]), '', CANNOT_DECIDE);
  }
}
