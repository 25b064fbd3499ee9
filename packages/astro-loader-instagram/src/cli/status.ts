import {
  createInstagramClient,
  DEFAULT_API_URL,
  debugToken,
  describeFacebookToken,
  describeUrl,
  FACEBOOK_API_URL,
  InstagramError,
  MIN_REFRESH_AGE_MS,
  redact,
} from 'instagram-graph';
import { FACEBOOK_TOKEN_COMMAND, inDays, NEW_TOKEN_ADVICE, REFRESH_COMMAND } from '../token/advice.js';
import { chooseToken, day, daysLeft, expiryOf, isExpired, nextRefreshAt, WARN_DAYS } from '../token/records.js';
import { displayPath, readStore } from '../token/store.js';
import { HELP_LINES, parseCommand, STORE_OPTION, TOKEN_ENV_OPTION, tokenSetup } from './args.js';
import { CliError } from './cli-error.js';
import { type CliIo, out } from './io.js';

export const STATUS_HELP = `Usage: npx astro-loader-instagram status [options]

Shows which account the token reads (GET /me), when it expires (from our own records: Instagram
has no endpoint that tells) and what to do next. Prints no token. Changes nothing.

  --host <name>         instagram (Instagram Login) or facebook (Facebook Login, host: 'facebook').
                        Default: facebook for a token starting with EAA, else instagram. With
                        facebook, the token's kind and expiry come from Facebook's debug_token,
                        which needs INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET (the Facebook app's).
${HELP_LINES.tokenEnv}
${HELP_LINES.store}
${HELP_LINES.apiUrl('https://graph.instagram.com')}`;

export async function status(args: string[], io: CliIo): Promise<number> {
  const values = parseCommand('status', args, { ...TOKEN_ENV_OPTION, ...STORE_OPTION, host: { type: 'string' } });
  if (values.help) {
    out(io, STATUS_HELP);
    return 0;
  }
  const { variable, configured, graphUrl, file, now } = tokenSetup(io, values);
  const host = values.host?.trim() || (configured?.startsWith('EAA') ? 'facebook' : 'instagram');
  if (host !== 'instagram' && host !== 'facebook')
    throw new CliError(`--host must be instagram or facebook, not "${host.slice(0, 40)}"`, 'Pass --host instagram or --host facebook.', 2);
  if (host === 'facebook') return facebookStatus(io, variable, configured, graphUrl ?? FACEBOOK_API_URL, now);

  const { data } = await readStore(file); // read only: status records nothing
  const choice = chooseToken(data, configured, now);
  if (!choice) {
    throw new CliError(
      `No token: ${variable} is not set and ${displayPath(file)} holds none`,
      `Run \`npx astro-loader-instagram login\`, or set ${variable}.`,
      2,
    );
  }
  const { record, token } = choice;
  const clean = (text: string) => redact(text, [token, configured]);

  const source = choice.fromStore
    ? configured
      ? `a refresh of ${variable}, kept in ${displayPath(file)}`
      : `${displayPath(file)} (from ${record.origin === 'login' ? 'login' : 'a build'})`
    : variable;

  let account: string;
  let dead: string | undefined;
  try {
    const profile = await createInstagramClient({ token, ...(graphUrl ? { apiUrl: graphUrl } : {}), retry: { retries: 1 } }).getProfile([
      'user_id',
      'username',
    ]);
    account = `@${profile.username ?? '?'}${profile.user_id ? ` (user_id ${profile.user_id})` : ''}`;
  } catch (error) {
    if (!(error instanceof InstagramError)) throw error;
    if (error.kind !== 'auth') throw CliError.from(error, clean, 'Could not ask Instagram which account the token reads: ');
    account = 'none: Instagram rejects this token';
    // Instagram's words without the generic fix: the line below gives ours.
    dead = clean(error.what);
  }

  const expiry = expiryOf(record);
  const expires = isExpired(record, now)
    ? `expired on ${day(expiry.at)}`
    : record.deadAt && dead
      ? `no longer valid (Instagram refused it on ${day(new Date(record.deadAt))})`
      : expiry.exact
        ? `${day(expiry.at)} (${inDays(expiry.at, now)})${record.refreshedAt ? `, last refreshed ${day(new Date(record.refreshedAt))}` : ''}`
        : choice.created
          ? 'unknown: this token is new to the token store; Instagram tells its expiry only when it is refreshed'
          : `unknown (never refreshed here); at the latest ${day(expiry.at)} (${inDays(expiry.at, now)}), 60 days after it was first seen on ${day(new Date(record.firstSeenAt))}`;

  out(io, `Account:  ${account}`);
  out(io, `Token:    from ${source}`);
  out(io, `Expires:  ${expires}`);
  if (!dead) {
    const checked = await unofficialExpiry(io, token, graphUrl ?? DEFAULT_API_URL, now);
    if (checked) out(io, `Checked:  ${clean(checked)}`);
  }
  out(io, `Next:     ${next(record, choice.created, now, dead)}`);
  return dead ? 1 : 0;
}

function next(record: Parameters<typeof expiryOf>[0], created: boolean, now: Date, dead: string | undefined): string {
  if (dead) return `${dead.replace(/\.+\s*$/, '')}. To fix: ${NEW_TOKEN_ADVICE}.`;
  if (isExpired(record, now)) return `expired tokens can never be refreshed. To fix: ${NEW_TOKEN_ADVICE}.`;
  const expiry = expiryOf(record);
  const issuedAt = Date.parse(record.issuedAt ?? record.firstSeenAt);
  const oldEnough = !record.issuedAt || now.getTime() - issuedAt >= MIN_REFRESH_AGE_MS;
  if (created) {
    return `if the token is more than 24 hours old, run \`${REFRESH_COMMAND}\` now to learn its exact expiry; otherwise builds refresh it automatically once they have known it for 24 hours (with tokenRefresh on and a cache directory kept between builds).`;
  }
  if (daysLeft(expiry.at, now) < WARN_DAYS && oldEnough) {
    return `run \`${REFRESH_COMMAND}\` now and set INSTAGRAM_TOKEN where your site builds to the token it prints.`;
  }
  return `nothing to do: builds refresh it automatically from ${day(nextRefreshAt(record))} on (with tokenRefresh on and a cache directory kept between builds), or run \`${REFRESH_COMMAND}\`.`;
}

/**
 * With the app credentials set, asks graph.instagram.com's debug_token, which many use but Instagram
 * does not document (audit row 18): labelled unofficial; our records stay the answer above.
 */
async function unofficialExpiry(io: CliIo, token: string, graphUrl: string, now: Date): Promise<string | undefined> {
  const appId = io.env.INSTAGRAM_APP_ID?.trim();
  const appSecret = io.env.INSTAGRAM_APP_SECRET?.trim();
  if (!appId || !appSecret) return undefined;
  const where = `GET /debug_token on ${describeUrl(graphUrl)} (unofficial: not in Instagram's docs)`;
  try {
    const info = await debugToken(token, { appId, appSecret }, { apiUrl: graphUrl, retries: 0 });
    if (!info.isValid) return `${where} says the token is not valid${info.problem ? ` (${info.problem.replace(/\.\s*$/, '')})` : ''}`;
    const expiry = info.expiresAt === null ? 'never expires' : `expires ${day(info.expiresAt)} (${inDays(info.expiresAt, now)})`;
    return `${where} says it ${expiry}`;
  } catch (error) {
    if (!(error instanceof InstagramError)) throw error;
    return `${where} gave no answer: ${redact(error.message, [appSecret, `${appId}|${appSecret}`])}`;
  }
}

const NEVER_EXPIRING = `run \`${FACEBOOK_TOKEN_COMMAND}\` and set INSTAGRAM_TOKEN where your site builds to the Page token it prints`;

/** Facebook Login: what debug_token says about the token (the token store does not track these). */
async function facebookStatus(io: CliIo, variable: string, token: string | undefined, graphUrl: string, now: Date): Promise<number> {
  if (!token) {
    throw new CliError(`No token: ${variable} is not set`, `For Facebook Login, ${NEVER_EXPIRING}.`, 2);
  }
  const appId = io.env.INSTAGRAM_APP_ID?.trim();
  const appSecret = io.env.INSTAGRAM_APP_SECRET?.trim();
  out(io, `Login:    Facebook Login (host: 'facebook')`);
  if (!appId || !appSecret) {
    out(io, `Token:    from ${variable}`);
    out(
      io,
      'Expires:  cannot be checked without the app credentials: set INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET (Meta App Dashboard > App settings > Basic) to ask debug_token',
    );
    out(io, `Next:     for a token that never expires, ${NEVER_EXPIRING}.`);
    return 0;
  }
  const clean = (text: string) => redact(text, [token, appSecret, `${appId}|${appSecret}`]);
  let info: Awaited<ReturnType<typeof debugToken>>;
  try {
    info = await debugToken(token, { appId, appSecret }, { apiUrl: graphUrl, retries: 1 });
  } catch (error) {
    if (!(error instanceof InstagramError)) throw error;
    throw CliError.from(error, clean, 'Could not ask Facebook about the token: ');
  }
  if (!info.isValid) {
    out(io, `Token:    from ${variable} (debug_token)`);
    out(io, `Expires:  no longer valid${info.problem ? ` (${info.problem.replace(/\.\s*$/, '')})` : ''}`);
    out(io, `Next:     make a new User token (Graph API Explorer), then ${NEVER_EXPIRING}.`);
    return 1;
  }
  out(
    io,
    `Token:    from ${variable}: ${describeFacebookToken(info, now)}${info.profileId ? ` of Page ${info.profileId}` : ''} (debug_token)`,
  );
  if (info.expiresAt === null) {
    out(io, 'Expires:  never');
    out(io, 'Next:     nothing to do: it ends only if you lose your role on the Page or change your Facebook password.');
    return 0;
  }
  out(io, `Expires:  ${day(info.expiresAt)} (${inDays(info.expiresAt, now)})`);
  out(io, `Next:     builds cannot refresh Facebook tokens: ${NEVER_EXPIRING}.`);
  return 0;
}
