import { day, daysLeft, expiryOf, isExpired, type TokenRecord, URGENT_DAYS, WARN_DAYS } from './records.js';

/** How users run our CLI; every fix names a full command. */
export const CLI = 'npx astro-loader-instagram';
export const REFRESH_COMMAND = `${CLI} refresh`;
export const LOGIN_COMMAND = `${CLI} login`;
const NEW_TOKEN = `run \`${LOGIN_COMMAND}\` (or Meta App Dashboard > Instagram > API setup with Instagram login > Generate token) and set INSTAGRAM_TOKEN where your site builds`;

export interface ExpiryNotice {
  level: 'warn' | 'error';
  message: string;
}

/**
 * The build-log line (after "Instagram token (collection): ") for a token close to (or past) its expiry: a warning within 14 days, an
 * error-level line within 3 and once expired. Never fails anything; undefined when all is well.
 */
export function expiryNotice(record: TokenRecord, now: Date, refreshEnabled: boolean): ExpiryNotice | undefined {
  const expiry = expiryOf(record);
  if (isExpired(record, now)) {
    return {
      level: 'error',
      message: `expired on ${day(expiry.at)}; expired tokens can never be refreshed. To fix: ${NEW_TOKEN}.`,
    };
  }
  if (record.deadAt) return undefined; // Instagram's own answer (code 190) is reported by the sync with its fix
  const days = daysLeft(expiry.at, now);
  if (days >= WARN_DAYS) return undefined;
  const when = `${expiry.exact ? 'expires' : 'expires at the latest'} ${inDays(expiry.at, now)} (${day(expiry.at)})`;
  const why = !refreshEnabled
    ? 'automatic refresh is off (tokenRefresh: false)'
    : record.lastRefreshError
      ? `the automatic refresh failed: ${record.lastRefreshError.replace(/\.\s*$/, '')}`
      : 'it has not been refreshed by a build yet';
  const fix = `run \`${REFRESH_COMMAND}\` and set INSTAGRAM_TOKEN where your site builds to the token it prints`;
  if (days < URGENT_DAYS) {
    return {
      level: 'error',
      message: `URGENT: ${when} and ${why}. Once expired it can never be refreshed and the feed stops updating. To fix, now: ${fix}.`,
    };
  }
  return { level: 'warn', message: `${when} and ${why}. To fix: ${fix}.` };
}

/** `in 9 days`, `in 5 hours`. */
export function inDays(at: Date, now: Date): string {
  const ms = at.getTime() - now.getTime();
  const days = Math.floor(ms / 86_400_000);
  if (days >= 2) return `in ${Math.round(ms / 86_400_000)} days`;
  if (days === 1) return 'in 1 day';
  const hours = Math.max(0, Math.floor(ms / 3_600_000));
  return hours === 1 ? 'in 1 hour' : `in ${hours} hours`;
}

export { NEW_TOKEN as NEW_TOKEN_ADVICE };
