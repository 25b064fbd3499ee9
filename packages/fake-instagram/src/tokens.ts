import { randomBytes } from 'node:crypto';
import { type GraphErrorBody, graphError, graphErrors } from './errors.js';

/** Long-lived tokens (dashboard, exchanged or refreshed) live 60 days. */
export const LONG_LIVED_SECONDS = 60 * 24 * 3600;
/** Tokens from the login code exchange live 1 hour. */
export const SHORT_LIVED_SECONDS = 3600;
/** Refresh needs a token at least this old. */
export const MIN_REFRESH_AGE_MS = 24 * 3600_000;

/** Facebook Login token kinds, as `debug_token` names them; Instagram Login tokens have none. */
export type FacebookTokenType = 'USER' | 'PAGE';

/** Short-lived Facebook User tokens (Graph API Explorer, Facebook Login) expire "in hours": the fake uses 2. */
export const FACEBOOK_SHORT_LIVED_SECONDS = 2 * 3600;
/** Old Basic Display tokens (`IGQV…`): refresh answers "Unsupported request - method type: get" (OBSERVED, instafeed.js #654). */
export const UNREFRESHABLE_PREFIX = 'IGQV';

export interface FakeToken {
  token: string;
  kind: 'short' | 'long';
  /** Issued or last refreshed (ms). */
  issuedAt: number;
  /** ms; from then on every call answers 190/463. `Infinity`: never expires (`expires_at: 0` in debug_token). */
  expiresAt: number;
  /** Facebook Login tokens only: USER or PAGE. */
  type?: FacebookTokenType;
  /** Refresh answers "Unsupported request - method type: get". Default: tokens starting with `IGQV`. */
  unrefreshable?: boolean;
  /** Invalidated (e.g. password changed): 190/460. */
  revoked?: boolean;
  /** Permissions granted at login; undefined: every permission the fake knows. Refresh and exchange keep them. */
  scopes?: string[];
}

/** Every token the fake account knows, with issue and expiry times driven by the server clock. */
export class FakeTokens {
  private readonly tokens = new Map<string, FakeToken>();

  constructor(private readonly now: () => number) {}

  /** Registers a token string. Defaults: long-lived, issued now, 60 days (1 hour if short). */
  add(
    token: string,
    init: {
      kind?: 'short' | 'long';
      issuedAt?: number;
      expiresAt?: number;
      type?: FacebookTokenType;
      unrefreshable?: boolean;
      scopes?: string[];
    } = {},
  ): FakeToken {
    const kind = init.kind ?? 'long';
    const issuedAt = init.issuedAt ?? this.now();
    const shortSeconds = init.type ? FACEBOOK_SHORT_LIVED_SECONDS : SHORT_LIVED_SECONDS;
    const entry: FakeToken = {
      token,
      kind,
      issuedAt,
      expiresAt: init.expiresAt ?? issuedAt + (kind === 'long' ? LONG_LIVED_SECONDS : shortSeconds) * 1000,
      ...(init.type ? { type: init.type } : {}),
      ...((init.unrefreshable ?? token.startsWith(UNREFRESHABLE_PREFIX)) ? { unrefreshable: true } : {}),
      ...(init.scopes ? { scopes: [...init.scopes] } : {}),
    };
    this.tokens.set(token, entry);
    return entry;
  }

  /** A new random token, like Instagram's `IGAA…` strings. */
  issue(kind: 'short' | 'long', scopes?: string[]): FakeToken {
    return this.add(`IGAA${randomBytes(kind === 'long' ? 48 : 36).toString('base64url')}`, { kind, ...(scopes ? { scopes } : {}) });
  }

  /** Whether the token was granted `scope` (tokens without a recorded list have every permission). */
  grants(token: string | undefined, scope: string): boolean {
    const scopes = this.get(token)?.scopes;
    return scopes === undefined || scopes.includes(scope);
  }

  /**
   * A new Facebook Login token (`EAA…`): a short-lived User token (2 hours, like Graph API Explorer's),
   * a long-lived one (60 days, from fb_exchange_token), or a Page token, which never expires when
   * fetched with a long-lived User token and otherwise expires with the User token (Long-Lived Access Tokens guide).
   */
  issueFacebook(kind: 'short-user' | 'long-user' | 'page', expiresAt?: number): FakeToken {
    const token = `EAA${randomBytes(kind === 'short-user' ? 60 : 90).toString('base64url')}`;
    if (kind === 'page') return this.add(token, { type: 'PAGE', expiresAt: expiresAt ?? Number.POSITIVE_INFINITY });
    return this.add(token, { type: 'USER', kind: kind === 'long-user' ? 'long' : 'short', ...(expiresAt ? { expiresAt } : {}) });
  }

  get(token: string | undefined): FakeToken | undefined {
    return token === undefined ? undefined : this.tokens.get(token);
  }

  list(): FakeToken[] {
    return [...this.tokens.values()];
  }

  revoke(token: string): void {
    const entry = this.tokens.get(token);
    if (entry) entry.revoked = true;
  }

  /** The Graph error a call with this token gets, or undefined when the token is good. */
  check(token: string | undefined): GraphErrorBody | undefined {
    const entry = this.get(token);
    if (!entry) return graphErrors.invalidToken();
    if (entry.revoked) return graphErrors.passwordChanged();
    const now = this.now();
    if (now >= entry.expiresAt) return graphErrors.expiredToken(facebookTime(entry.expiresAt), facebookTime(now));
    return undefined;
  }

  /**
   * `GET /refresh_access_token`: long-lived, at least 24 hours old, not expired. Returns the
   * refreshed token (a new string when `rotate`), or the Graph error to send.
   */
  refresh(token: string | undefined, rotate: boolean): FakeToken | GraphErrorBody {
    const failure = this.check(token);
    if (failure) return failure;
    const entry = this.get(token)!;
    const now = this.now();
    if (entry.unrefreshable) {
      // OBSERVED (instafeed.js #654; same wording with IGApiException/100 in postiz-app #638) for old Basic Display tokens.
      return graphError(100, 'Unsupported request - method type: get', undefined, { type: 'IGApiException' });
    }
    if (entry.kind !== 'long' || now - entry.issuedAt < MIN_REFRESH_AGE_MS) {
      // UNVERIFIED: Instagram's live answer for a token under 24 hours old is not documented and was
      // not observed; code and wording here are our stand-in (see notes §5).
      return graphError(100, '(#100) The access token can be refreshed only once it is at least 24 hours old.');
    }
    if (!rotate) {
      entry.issuedAt = now;
      entry.expiresAt = now + LONG_LIVED_SECONDS * 1000;
      return entry;
    }
    // UNVERIFIED whether Instagram revokes the old string on rotation; the fake leaves it valid until its own expiry.
    return this.issue('long', entry.scopes);
  }

  /** `GET /access_token?grant_type=ig_exchange_token`: short-lived → new long-lived token. */
  exchange(token: string | undefined): FakeToken | GraphErrorBody {
    const failure = this.check(token);
    if (failure) return failure;
    if (this.get(token)!.kind !== 'short') {
      // UNVERIFIED: the live wording for exchanging a token that is already long-lived.
      return graphError(100, '(#100) ig_exchange_token expects a short-lived access token.');
    }
    return this.issue('long', this.get(token)!.scopes);
  }
}

/** `Friday, 26-Jun-26 15:48:19 PDT`: how Graph's "Session has expired on …" message writes times. */
export function facebookTime(ms: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/Los_Angeles',
      weekday: 'long',
      day: '2-digit',
      month: 'short',
      year: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    })
      .formatToParts(new Date(ms))
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  return `${parts.weekday}, ${parts.day}-${parts.month}-${parts.year} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName}`;
}
