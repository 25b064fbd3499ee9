import { InstagramTokenError, type LongLivedToken, MIN_REFRESH_AGE_MS, redact, refreshAccessToken } from 'instagram-graph';
import { inDays, NEW_TOKEN_ADVICE } from '../token/advice.js';
import { applyNewToken, applyRefreshFailure, chooseToken, day, type TokenRecord } from '../token/records.js';
import { displayPath, updateStore } from '../token/store.js';
import { HELP_LINES, parseCommand, STORE_OPTION, TOKEN_ENV_OPTION, tokenSetup } from './args.js';
import { CliError } from './cli-error.js';
import { type CliIo, out, say } from './io.js';

export const REFRESH_HELP = `Usage: npx astro-loader-instagram refresh [options]

Refreshes the long-lived token (valid another 60 days from now) and prints it as INSTAGRAM_TOKEN=...
Instagram refreshes a token only when it is at least 24 hours old and not expired. The token is
read from INSTAGRAM_TOKEN, or the newest one in the token store; a newer refresh of it found in the
store is used instead. The result is recorded in the store.

  --raw                 Print only the token (for scripts: token="$(npx astro-loader-instagram refresh --raw)")
${HELP_LINES.tokenEnv}
${HELP_LINES.store}
${HELP_LINES.apiUrl('https://graph.instagram.com')}`;

export async function refresh(args: string[], io: CliIo): Promise<number> {
  const values = parseCommand('refresh', args, { ...TOKEN_ENV_OPTION, ...STORE_OPTION, raw: { type: 'boolean' } });
  if (values.help) {
    out(io, REFRESH_HELP);
    return 0;
  }
  const { variable, configured, graphUrl, file, now } = tokenSetup(io, values);

  const outcome = await updateStore(file, async ({ data }) => {
    const choice = chooseToken(data, configured, now);
    if (!choice) return undefined;
    try {
      const result = await refreshAccessToken(choice.token, { ...(graphUrl ? { apiUrl: graphUrl } : {}), now: io.now });
      applyNewToken(choice.record, result, configured);
      return { ok: true as const, result, used: choice.token, record: choice.record };
    } catch (error) {
      if (!(error instanceof InstagramTokenError)) throw error;
      const before = { ...choice.record };
      applyRefreshFailure(choice.record, error, now);
      return { ok: false as const, error, used: choice.token, record: before };
    }
  });

  if (!outcome) {
    throw new CliError(
      'No token to refresh',
      `set ${variable}, or run \`npx astro-loader-instagram login\` first (or pass --store if the site keeps its token store elsewhere).`,
      2,
    );
  }
  if (!outcome.ok) throw failureOf(outcome.error, outcome.record, now, (text) => redact(text, [outcome.used, configured]));

  const { result } = outcome;
  out(io, values.raw ? result.accessToken : `INSTAGRAM_TOKEN=${result.accessToken}`);
  say(io, `${successLine(result, outcome.used, configured, variable, now)} Recorded in ${displayPath(file)}.`);
  return 0;
}

function successLine(result: LongLivedToken, used: string, configured: string | undefined, variable: string, now: Date): string {
  const valid = `Refreshed: valid until ${day(result.expiresAt)} (${inDays(result.expiresAt, now)}).`;
  if (result.accessToken === configured) return `${valid} Instagram kept the same token string, so ${variable} needs no change.`;
  if (result.accessToken === used)
    return `${valid} Instagram kept the same token string; set ${variable} where your site builds to the token above.`;
  return `${valid} Instagram issued a new token string: set ${variable} where your site builds to the token above.`;
}

/** Why the refresh failed and how to fix it; `clean` scrubs the tokens. */
function failureOf(error: InstagramTokenError, record: TokenRecord, now: Date, clean: (text: string) => string): CliError {
  const fail = (what: string, fix: string) => new CliError(clean(what), clean(fix), 1, { cause: error });
  const newToken = `To fix: ${NEW_TOKEN_ADVICE}.`;
  const issuedAt = record.issuedAt ? Date.parse(record.issuedAt) : undefined;
  // Instagram's wording for "too young" is undocumented; our own records can tell as well.
  const young =
    error.reason === 'too-young' ||
    (error.reason === 'rejected' && issuedAt !== undefined && now.getTime() - issuedAt < MIN_REFRESH_AGE_MS);
  if (young) {
    const after =
      issuedAt !== undefined
        ? `after ${new Date(issuedAt + MIN_REFRESH_AGE_MS).toISOString().slice(0, 16).replace('T', ' ')} UTC`
        : 'in a day';
    return fail(
      'Not refreshed: the token is less than 24 hours old, and Instagram refreshes a token only once it is at least 24 hours old',
      `Nothing is wrong; try again ${after}.`,
    );
  }
  if (error.reason === 'expired') {
    return fail(
      `Not refreshed: the token has already expired${record.expiresAt ? ` (${day(new Date(record.expiresAt))})` : ''}, and expired tokens can never be refreshed`,
      newToken,
    );
  }
  if (error.unrefreshable) {
    const why = error.what.replace(/^Instagram API GET \/refresh_access_token failed \(code \d+\): /, '');
    return fail(`Not refreshed: ${why}; it stops working when it expires`, newToken);
  }
  if (error.reason === 'invalid') {
    return fail(`Not refreshed: Instagram no longer accepts this token (${error.apiMessage ?? 'code 190'})`, newToken);
  }
  return fail(`Not refreshed: ${error.what}`, error.fix);
}
