import { describeFacebookToken, type TokenDebugInfo } from 'instagram-graph';
import { day, daysLeft, expiryOf, isExpired, type TokenRecord, URGENT_DAYS, WARN_DAYS } from './records.js';

/** How users run our CLI; every fix names a full command. */
export const CLI = 'npx astro-loader-instagram';
export const REFRESH_COMMAND = `${CLI} refresh`;
export const LOGIN_COMMAND = `${CLI} login`;
export const FACEBOOK_TOKEN_COMMAND = `${CLI} facebook-token`;
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
  // A token Instagram will never refresh needs a new one, not another refresh.
  const fix = record.unrefreshableAt
    ? NEW_TOKEN
    : `run \`${REFRESH_COMMAND}\` and set INSTAGRAM_TOKEN where your site builds to the token it prints`;
  if (days < URGENT_DAYS) {
    return {
      level: 'error',
      message: `URGENT: ${when} and ${why}. Once expired it can never be refreshed and the feed stops updating. To fix, now: ${fix}.`,
    };
  }
  return { level: 'warn', message: `${when} and ${why}. To fix: ${fix}.` };
}

const NEVER_EXPIRING = `run \`${FACEBOOK_TOKEN_COMMAND}\` and set INSTAGRAM_TOKEN where your site builds to the Page token it prints`;

export interface FacebookTokenNotice {
  level: 'info' | 'warn' | 'error';
  message: string;
}

/**
 * The build-log line for a Facebook Login token, from what debug_token said: which kind of token it
 * is and when it expires; a warning within 14 days, error-level within 3 days and when it is dead.
 * Builds cannot refresh Facebook tokens, so the fix is always a Page token that never expires.
 */
export function facebookTokenNotice(info: TokenDebugInfo, now: Date): FacebookTokenNotice {
  if (!info.isValid) {
    const why = info.problem ? ` (${info.problem.replace(/\.\s*$/, '')})` : '';
    return {
      level: 'error',
      message: `the Facebook Login token is no longer valid${why}. To fix: make a new User token (Graph API Explorer), then ${NEVER_EXPIRING}.`,
    };
  }
  const kind = `${describeFacebookToken(info, now)} (Facebook Login, debug_token)`;
  if (info.expiresAt === null) return { level: 'info', message: `${kind}: nothing to renew.` };
  const when = `expires ${inDays(info.expiresAt, now)} (${day(info.expiresAt)})`;
  const days = daysLeft(info.expiresAt, now);
  if (days < URGENT_DAYS) {
    return {
      level: 'error',
      message: `URGENT: ${kind} ${when}; builds cannot refresh Facebook tokens, so the feed stops updating then. To fix, now: ${NEVER_EXPIRING}.`,
    };
  }
  if (days < WARN_DAYS) {
    return { level: 'warn', message: `${kind} ${when}; builds cannot refresh Facebook tokens. To fix: ${NEVER_EXPIRING}.` };
  }
  return { level: 'info', message: `${kind} ${when}. For one that never expires: ${NEVER_EXPIRING}.` };
}

/** Said once per build when the app credentials for debug_token are missing. */
export const FACEBOOK_EXPIRY_UNCHECKED = `Facebook Login token: its expiry cannot be checked without the app's credentials. To check it on each build, set INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET (Meta App Dashboard > App settings > Basic); for a token that never expires, ${NEVER_EXPIRING}.`;

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
