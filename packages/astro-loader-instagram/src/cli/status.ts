import path from 'node:path';
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
import { isStale, readSyncLog, syncLogPath } from '../health/sync-log.js';
import { FACEBOOK_TOKEN_COMMAND, inDays, NEW_TOKEN_ADVICE, REFRESH_COMMAND } from '../token/advice.js';
import { chooseToken, day, daysLeft, expiryOf, isExpired, nextRefreshAt, WARN_DAYS } from '../token/records.js';
import { displayPath, readStore } from '../token/store.js';
import { DEFAULT_CACHE_DIR } from '../utils/cache-file.js';
import { HELP_LINES, parseCommand, STORE_OPTION, TOKEN_ENV_OPTION, tokenSetup } from './args.js';
import { CliError } from './cli-error.js';
import { type CliIo, out } from './io.js';
import { diesWithin, type ExitInput, type HealthState, instagramHealth, oldestSync, type StatusReport } from './status-report.js';

export const STATUS_HELP = `Usage: npx astro-loader-instagram status [options]

Shows which account the token reads (GET /me), when it expires (from our own records: Instagram
has no endpoint that tells) and what to do next. Prints no token. Changes nothing.

  --host <name>         instagram (Instagram Login) or facebook (Facebook Login, host: 'facebook').
                        Default: facebook for a token starting with EAA, else instagram. With
                        facebook, the token's kind and expiry come from Facebook's debug_token,
                        which needs INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET (the Facebook app's).
${HELP_LINES.tokenEnv}
${HELP_LINES.store}
${HELP_LINES.apiUrl('https://graph.instagram.com')}
  --json                Print one JSON object instead (account, token kind, expiry, days left, last
                        refresh, last successful sync per collection, state: ok | expiring |
                        refresh-failed | stale | dead). No token or secret in it.
  --fail-within <days>  Exit 1 when the token is dead or dies within <days> days (e.g. 14), else 0:
                        for uptime monitors and CI. Without it, exit 1 only for a dead token.
  --cache-dir <dir>     The site's Astro cacheDir, where builds record their syncs. Default
                        node_modules/.astro`;

export async function status(args: string[], io: CliIo): Promise<number> {
  const values = parseCommand('status', args, {
    ...TOKEN_ENV_OPTION,
    ...STORE_OPTION,
    host: { type: 'string' },
    json: { type: 'boolean' },
    'fail-within': { type: 'string' },
    'cache-dir': { type: 'string' },
  });
  if (values.help) {
    out(io, STATUS_HELP);
    return 0;
  }
  const failWithin = failWithinDays(values['fail-within']);
  const { variable, configured, graphUrl, file, now } = tokenSetup(io, values);
  const syncs = await readSyncLog(syncLogPath(path.resolve(io.cwd, values['cache-dir']?.trim() || DEFAULT_CACHE_DIR)));
  // One exit code for both outputs: --fail-within decides when given, else only a dead token fails.
  const exitCode = (report: ExitInput) =>
    failWithin === undefined ? Number(report.state === 'dead') : Number(diesWithin(report, failWithin, now));
  if (values.json) {
    const report = await statusJson(io, { variable, configured, graphUrl, file, now, host: values.host, syncs });
    out(io, JSON.stringify(report, null, 2));
    return exitCode(report);
  }
  const host = hostOf(values.host, configured);
  if (host === 'facebook') return exitCode(await facebookStatus(io, variable, configured, graphUrl ?? FACEBOOK_API_URL, now));

  const choice = await tokenToCheck(file, configured, variable, now);
  const { record, token } = choice;
  const clean = (text: string) => redact(text, [token, configured]);

  const source = choice.fromStore
    ? configured
      ? `a refresh of ${variable}, kept in ${displayPath(file)}`
      : `${displayPath(file)} (from ${record.origin === 'login' ? 'login' : 'a build'})`
    : variable;

  const who = await whoIs(token, graphUrl, clean);
  const account = who.profile
    ? `@${who.profile.username ?? '?'}${who.profile.user_id ? ` (user_id ${who.profile.user_id})` : ''}`
    : 'none: Instagram rejects this token';
  const dead = who.refused;

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
  const synced = syncedLine(syncs);
  if (synced) out(io, `Synced:   ${synced}`);
  out(io, `Next:     ${next(record, choice.created, now, dead)}`);
  const state: HealthState = dead || isExpired(record, now) ? 'dead' : 'ok';
  if (failWithin === undefined) return dead ? 1 : 0;
  return Number(diesWithin({ state, token: { expiresAt: expiry.at.toISOString() } }, failWithin, now));
}

/** What debug_token says about a Facebook token; a refusal is one line with the token and app secret scrubbed. */
async function askDebugToken(token: string, app: { appId: string; appSecret: string }, graphUrl: string) {
  const clean = (text: string) => redact(text, [token, app.appSecret, `${app.appId}|${app.appSecret}`]);
  try {
    return await debugToken(token, app, { apiUrl: graphUrl, retries: 1 });
  } catch (error) {
    if (!(error instanceof InstagramError)) throw error;
    throw CliError.from(error, clean, 'Could not ask Facebook about the token: ');
  }
}

/** `--host`, else the kind of token (`EAA…` is Facebook Login's). */
function hostOf(flag: string | undefined, configured: string | undefined): 'instagram' | 'facebook' {
  const host = flag?.trim() || (configured?.startsWith('EAA') ? 'facebook' : 'instagram');
  if (host !== 'instagram' && host !== 'facebook')
    throw new CliError(`--host must be instagram or facebook, not "${host.slice(0, 40)}"`, 'Pass --host instagram or --host facebook.', 2);
  return host;
}

/** The token a build would use now (the configured one, or its newest refresh in the store), or a one-line failure. */
async function tokenToCheck(file: string, configured: string | undefined, variable: string, now: Date) {
  const { data } = await readStore(file); // read only: status records nothing
  const choice = chooseToken(data, configured, now);
  if (!choice) {
    throw new CliError(
      `No token: ${variable} is not set and ${displayPath(file)} holds none`,
      `Run \`npx astro-loader-instagram login\`, or set ${variable}.`,
      2,
    );
  }
  return choice;
}

/** `instagram 2026-12-01 08:00 (24 entries); profile …`, from the builds' sync log; a kept feed says so. */
function syncedLine(syncs: Awaited<ReturnType<typeof readSyncLog>>): string | undefined {
  const parts = Object.entries(syncs.collections)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, entry]) => {
      const last = entry.lastSuccessAt
        ? `${entry.lastSuccessAt.slice(0, 16).replace('T', ' ')} UTC (${entry.entries ?? 0} ${entry.entries === 1 ? 'entry' : 'entries'})`
        : 'never';
      const kept = isStale(entry) ? `; the last build could not read Instagram and kept this` : '';
      return `${name} ${last}${kept}`;
    });
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** Which account the token reads (GET /me); `refused`: Instagram's words when it rejects the token. */
async function whoIs(token: string, graphUrl: string | undefined, clean: (text: string) => string) {
  try {
    const profile = await createInstagramClient({ token, ...(graphUrl ? { apiUrl: graphUrl } : {}), retry: { retries: 1 } }).getProfile([
      'user_id',
      'username',
    ]);
    return { profile, refused: undefined };
  } catch (error) {
    if (!(error instanceof InstagramError)) throw error;
    if (error.kind !== 'auth') throw CliError.from(error, clean, 'Could not ask Instagram which account the token reads: ');
    // Instagram's words without the generic fix: the caller gives ours.
    return { profile: undefined, refused: clean(error.what) };
  }
}

/** `--fail-within 14` → 14; a usage error for anything but a number of days, 0 or more. */
function failWithinDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(days) || days < 0) {
    throw new CliError(`--fail-within must be a number of days, not "${value.slice(0, 40)}"`, 'Pass e.g. --fail-within 14.', 2);
  }
  return days;
}

interface JsonSetup {
  variable: string;
  configured: string | undefined;
  graphUrl: string | undefined;
  file: string;
  now: Date;
  host: string | undefined;
  syncs: Awaited<ReturnType<typeof readSyncLog>>;
}

/** `status --json`: the same questions as the text output, as one object (status-report.ts). */
async function statusJson(io: CliIo, setup: JsonSetup): Promise<StatusReport> {
  const { variable, configured, graphUrl, file, now, syncs } = setup;
  const host = hostOf(setup.host, configured);
  const sync = { lastSuccessfulSync: oldestSync(syncs), collections: syncs.collections };
  if (host === 'facebook') return { ...(await facebookJson(io, variable, configured, graphUrl ?? FACEBOOK_API_URL, now)), ...sync };

  const choice = await tokenToCheck(file, configured, variable, now);
  const { record, token } = choice;
  const clean = (text: string) => redact(text, [token, configured]);
  const who = await whoIs(token, graphUrl, clean);
  const expiry = expiryOf(record);
  const { state, reason } = instagramHealth({ record, refused: who.refused, now, syncs });
  return {
    state,
    reason: clean(reason),
    account: who.profile
      ? {
          ...(who.profile.username ? { username: who.profile.username } : {}),
          ...(who.profile.user_id ? { userId: String(who.profile.user_id) } : {}),
        }
      : null,
    token: {
      kind: 'instagram-login',
      source: choice.fromStore ? 'token store' : variable,
      expiresAt: expiry.at.toISOString(),
      expiryExact: expiry.exact,
      daysLeft: daysLeft(expiry.at, now),
      lastRefresh: record.refreshedAt ?? null,
      lastRefreshError: record.lastRefreshError ? clean(record.lastRefreshError) : null,
    },
    ...sync,
  };
}

/** Facebook Login: debug_token's view (needs the app credentials; without them the expiry is unknown). */
async function facebookJson(
  io: CliIo,
  variable: string,
  token: string | undefined,
  graphUrl: string,
  now: Date,
): Promise<Omit<StatusReport, 'lastSuccessfulSync' | 'collections'>> {
  if (!token) throw new CliError(`No token: ${variable} is not set`, `For Facebook Login, ${NEVER_EXPIRING}.`, 2);
  const appId = io.env.INSTAGRAM_APP_ID?.trim();
  const appSecret = io.env.INSTAGRAM_APP_SECRET?.trim();
  const base = { kind: 'facebook-login', source: variable, expiryExact: true, lastRefresh: null, lastRefreshError: null };
  if (!appId || !appSecret) {
    return {
      state: 'ok',
      reason: 'expiry unknown: set INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET to check it with debug_token',
      account: null,
      token: { ...base, expiresAt: null, daysLeft: null },
    };
  }
  const info = await askDebugToken(token, { appId, appSecret }, graphUrl);
  const clean = (text: string) => redact(text, [token, appSecret, `${appId}|${appSecret}`]);
  const expiresAt = info.isValid && info.expiresAt ? info.expiresAt.toISOString() : null;
  const days = info.isValid && info.expiresAt ? daysLeft(info.expiresAt, now) : null;
  const state: HealthState = !info.isValid ? 'dead' : days !== null && days < WARN_DAYS ? 'expiring' : 'ok';
  const reason = !info.isValid
    ? `debug_token says the token is not valid${info.problem ? ` (${clean(info.problem).replace(/\.\s*$/, '')})` : ''}`
    : `${describeFacebookToken(info, now)}${days === null ? '' : `, expires in ${days} days`}`;
  return {
    state,
    reason,
    account: info.profileId ? { userId: info.profileId } : null,
    token: {
      ...base,
      kind: info.isValid ? `facebook-login: ${describeFacebookToken(info, now)}` : 'facebook-login',
      expiresAt,
      daysLeft: days,
    },
  };
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

/**
 * Facebook Login: what debug_token says about the token (the token store does not track these).
 * Returns the state and expiry the exit code is decided on, as `facebookJson` gives them.
 */
async function facebookStatus(io: CliIo, variable: string, token: string | undefined, graphUrl: string, now: Date): Promise<ExitInput> {
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
    return { state: 'ok', token: { expiresAt: null } };
  }
  const info = await askDebugToken(token, { appId, appSecret }, graphUrl);
  if (!info.isValid) {
    out(io, `Token:    from ${variable} (debug_token)`);
    out(io, `Expires:  no longer valid${info.problem ? ` (${info.problem.replace(/\.\s*$/, '')})` : ''}`);
    out(io, `Next:     make a new User token (Graph API Explorer), then ${NEVER_EXPIRING}.`);
    return { state: 'dead', token: { expiresAt: null } };
  }
  out(
    io,
    `Token:    from ${variable}: ${describeFacebookToken(info, now)}${info.profileId ? ` of Page ${info.profileId}` : ''} (debug_token)`,
  );
  if (info.expiresAt === null) {
    out(io, 'Expires:  never');
    out(io, 'Next:     nothing to do: it ends only if you lose your role on the Page or change your Facebook password.');
    return { state: 'ok', token: { expiresAt: null } };
  }
  out(io, `Expires:  ${day(info.expiresAt)} (${inDays(info.expiresAt, now)})`);
  out(io, `Next:     builds cannot refresh Facebook tokens: ${NEVER_EXPIRING}.`);
  return { state: daysLeft(info.expiresAt, now) < WARN_DAYS ? 'expiring' : 'ok', token: { expiresAt: info.expiresAt.toISOString() } };
}
