import { createHash } from 'node:crypto';
import { type InstagramTokenError, LONG_LIVED_TOKEN_LIFETIME_MS, type LongLivedToken, MIN_REFRESH_AGE_MS } from 'instagram-graph';

/**
 * What we know about one token and the tokens that replaced it. Tokens are identified by their
 * SHA-256; the string itself is kept only when the user does not hold it (a refresh returned a new
 * string, or it came from `login`).
 */
export interface TokenRecord {
  /** `sha256:<hex>` of the newest token of this chain. */
  hash: string;
  /** Hashes of the tokens it replaced, oldest first (refreshes that returned a new string). */
  previous: string[];
  /** The newest token, when the configured one is not it (rotated) or it came from `login`. */
  token?: string;
  origin: 'configured' | 'login';
  /** ISO dates below. First time a build or the CLI saw the chain. */
  firstSeenAt: string;
  /** When Instagram issued or last refreshed it, when we know (login, refresh). */
  issuedAt?: string;
  /** From `expires_in`, when we know. */
  expiresAt?: string;
  refreshedAt?: string;
  /** Instagram refused a refresh as too early: not before this. */
  refreshNotBefore?: string;
  /** The last refresh failure, one token-free line. */
  lastRefreshError?: string;
  /** Instagram said the token is expired or invalid (code 190). */
  deadAt?: string;
  /** Instagram answered that it will never refresh this token ("Unsupported request"): builds stop asking. */
  unrefreshableAt?: string;
  lastUsedAt?: string;
  account?: { username?: string; userId?: string };
}

export interface TokenStoreData {
  version: 1;
  tokens: TokenRecord[];
}

export const emptyStore = (): TokenStoreData => ({ version: 1, tokens: [] });

/** Refresh once the token is this old by our records (Instagram's own minimum). */
export const REFRESH_AFTER_MS = MIN_REFRESH_AGE_MS;
export const WARN_DAYS = 14;
export const URGENT_DAYS = 3;
const DAY_MS = 24 * 3600_000;

export function hashToken(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex')}`;
}

export interface TokenChoice {
  /** The token to use: the newest one of the chain. */
  token: string;
  record: TokenRecord;
  /** The record was made just now (a token we had not seen). */
  created: boolean;
  /** The token comes from the store, not from the configuration (a refresh of it, or a login). */
  fromStore: boolean;
}

/**
 * The newest valid token we know. With a configured token: its chain's newest token (a refresh of
 * it that returned a new string), else the configured one itself, recorded as new (a token the
 * user just pasted wins over anything stored). Without: the newest stored token that is not dead.
 */
export function chooseToken(data: TokenStoreData, configured: string | undefined, now: Date): TokenChoice | undefined {
  if (configured) {
    const hash = hashToken(configured);
    const record = data.tokens.find((entry) => entry.hash === hash || entry.previous.includes(hash));
    if (record) {
      const stored = record.hash !== hash && record.token && hashToken(record.token) === record.hash ? record.token : undefined;
      return { token: stored ?? configured, record, created: false, fromStore: stored !== undefined };
    }
    const created: TokenRecord = { hash, previous: [], origin: 'configured', firstSeenAt: now.toISOString() };
    data.tokens.push(created);
    return { token: configured, record: created, created: true, fromStore: false };
  }
  const candidates = data.tokens
    .filter((entry) => entry.token && hashToken(entry.token) === entry.hash && !entry.deadAt)
    .sort((a, b) => Number(isExpired(a, now)) - Number(isExpired(b, now)) || freshness(b) - freshness(a));
  const record = candidates[0];
  return record ? { token: record.token!, record, created: false, fromStore: true } : undefined;
}

/**
 * Due when the token is at least 24 hours old by our records and not known dead. Times come from
 * whichever machine ran a build, and clocks jump (a CI runner set a year ahead, then fixed), so:
 * - a record time later than now (beyond clock skew) makes the age unknown: due, and Instagram
 *   decides (a "too early" answer holds refreshes back 24 hours by this clock, so no loop);
 * - a hold-back further ahead than the 24 hours we ever set came from a wrong clock: ignored;
 * - a token expired by our records is asked about once rather than declared dead by this clock
 *   (Instagram answers 190 for a really expired one, which marks it dead for good).
 */
export function refreshDue(record: TokenRecord, now: Date): boolean {
  if (record.deadAt) return false;
  const at = now.getTime();
  if (isExpired(record, now)) return !record.refreshNotBefore || !heldBack(record.refreshNotBefore, at);
  if (record.refreshNotBefore && heldBack(record.refreshNotBefore, at)) return false;
  const since = Date.parse(record.issuedAt ?? record.firstSeenAt);
  if (since > at + CLOCK_SKEW_MS) return true;
  return at - since >= REFRESH_AFTER_MS;
}

/** Clocks of different machines differ a little; a record time further ahead than this came from a wrong clock. */
export const CLOCK_SKEW_MS = 5 * 60_000;

function heldBack(notBefore: string, at: number): boolean {
  const until = Date.parse(notBefore);
  return at < until && until - at <= REFRESH_AFTER_MS + CLOCK_SKEW_MS;
}

/** When a refresh is due next (for "what happens next" lines). */
export function nextRefreshAt(record: TokenRecord): Date {
  const byAge = Date.parse(record.issuedAt ?? record.firstSeenAt) + REFRESH_AFTER_MS;
  const held = record.refreshNotBefore ? Date.parse(record.refreshNotBefore) : 0;
  return new Date(Math.max(byAge, held));
}

/** Records a token from a refresh (or a login); `configured` is the token the user holds. */
export function applyNewToken(
  record: TokenRecord,
  result: LongLivedToken,
  configured: string | undefined,
  how: 'refresh' | 'login' = 'refresh',
): void {
  const newHash = hashToken(result.accessToken);
  if (newHash !== record.hash) {
    record.previous = [...record.previous.filter((hash) => hash !== newHash), record.hash].slice(-10);
    record.hash = newHash;
  }
  if (result.accessToken !== configured || record.origin === 'login') record.token = result.accessToken;
  else delete record.token;
  record.issuedAt = result.obtainedAt.toISOString();
  if (how === 'refresh') record.refreshedAt = result.obtainedAt.toISOString();
  record.expiresAt = result.expiresAt.toISOString();
  delete record.refreshNotBefore;
  delete record.lastRefreshError;
  delete record.deadAt;
}

/** Records why a refresh failed, so later builds neither hammer Instagram nor retry a dead token. */
export function applyRefreshFailure(record: TokenRecord, error: InstagramTokenError, now: Date): void {
  record.lastRefreshError = error.what;
  switch (error.reason) {
    case 'too-young':
    case 'rejected':
      record.refreshNotBefore = new Date(now.getTime() + REFRESH_AFTER_MS).toISOString();
      break;
    case 'expired':
      if (record.expiresAt && Date.parse(record.expiresAt) > now.getTime()) delete record.expiresAt; // our record was wrong
      record.deadAt = now.toISOString();
      break;
    case 'invalid':
      // A token Instagram will not refresh may still read until it expires: not dead, just never refreshed.
      if (error.unrefreshable) record.unrefreshableAt = now.toISOString();
      else record.deadAt = now.toISOString();
      break;
    case 'unavailable':
      break; // try again next time
  }
}

export interface Expiry {
  at: Date;
  /** From Instagram's `expires_in`; otherwise an upper bound (first seen + 60 days). */
  exact: boolean;
}

/** When the token expires: known from a refresh or login, else at the latest 60 days after we first saw it. */
export function expiryOf(record: TokenRecord): Expiry {
  if (record.expiresAt) return { at: new Date(record.expiresAt), exact: true };
  return { at: new Date(Date.parse(record.firstSeenAt) + LONG_LIVED_TOKEN_LIFETIME_MS), exact: false };
}

export function isExpired(record: TokenRecord, now: Date): boolean {
  return record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now.getTime();
}

/** Whole days left, rounded down (0 on the last day). */
export function daysLeft(expiry: Date, now: Date): number {
  return Math.floor((expiry.getTime() - now.getTime()) / DAY_MS);
}

/**
 * Drops records nobody can use any more: expired (or surely expired) for 30 days. A record that
 * holds the only copy of a token (a rotated refresh, a login) goes only once Instagram said it is
 * dead, never by this machine's clock alone: a clock set months ahead must not lose a live token.
 */
export function pruneRecords(data: TokenStoreData, now: Date, keep?: TokenRecord): void {
  const limit = now.getTime() - 30 * DAY_MS;
  data.tokens = data.tokens
    .filter((entry) => entry === keep || (entry.token && !entry.deadAt) || expiryOf(entry).at.getTime() > limit)
    .slice(-50);
}

function freshness(record: TokenRecord): number {
  return Date.parse(record.refreshedAt ?? record.issuedAt ?? record.firstSeenAt);
}

/** `2027-01-21` */
export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
