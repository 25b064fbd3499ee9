import { formatWait, InstagramError } from './errors.js';

/**
 * How long Instagram asks us to wait, from the headers of a throttled answer.
 * `Retry-After` is seconds or an HTTP date; `X-Business-Use-Case-Usage` is JSON keyed by
 * business id with `estimated_time_to_regain_access` in minutes.
 */
export function retryAfterFromHeaders(headers: Headers, now = Date.now()): number | undefined {
  const waits: number[] = [];

  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) waits.push(Math.max(0, seconds * 1000));
    else {
      const date = Date.parse(retryAfter);
      if (Number.isFinite(date)) waits.push(Math.max(0, date - now));
    }
  }

  for (const name of ['x-business-use-case-usage', 'x-app-usage', 'x-ad-account-usage']) {
    const minutes = regainMinutes(headers.get(name));
    if (minutes !== undefined) waits.push(minutes * 60_000);
  }

  return waits.length > 0 ? Math.max(...waits) : undefined;
}

/** Highest usage percentage reported by the usage headers (0-100), for "close to the limit" warnings. */
export function usagePercent(headers: Headers): number | undefined {
  const values: number[] = [];
  for (const name of ['x-business-use-case-usage', 'x-app-usage']) {
    for (const entry of usageEntries(headers.get(name))) {
      for (const key of ['call_count', 'total_cputime', 'total_time']) {
        const value = entry[key];
        if (typeof value === 'number') values.push(value);
      }
    }
  }
  return values.length > 0 ? Math.max(...values) : undefined;
}

function regainMinutes(header: string | null): number | undefined {
  const minutes = usageEntries(header)
    .map((entry) => entry.estimated_time_to_regain_access)
    .filter((value): value is number => typeof value === 'number' && value > 0);
  return minutes.length > 0 ? Math.max(...minutes) : undefined;
}

/** Usage headers come flat (`X-App-Usage`) or as `{ id: [entries] }` (`X-Business-Use-Case-Usage`). */
function usageEntries(header: string | null): Array<Record<string, unknown>> {
  if (!header) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    return [];
  }
  if (!parsed || typeof parsed !== 'object') return [];
  const values = Object.values(parsed as Record<string, unknown>);
  const nested = values.flatMap((value) => (Array.isArray(value) ? value : []));
  const entries = nested.length > 0 ? nested : [parsed];
  return entries.filter((entry): entry is Record<string, unknown> => !!entry && typeof entry === 'object');
}

/** How long the gate stays shut after a rate-limited request gave up, when Instagram named no wait. */
export const RATE_LIMIT_PAUSE_MS = 60_000;

/** What a rate-limit hook is told about one throttled answer (octokit's `onRateLimit`, in our terms). */
export interface RateLimitInfo {
  /** Token-free name of the request, e.g. "GET /me/media". */
  endpoint: string;
  /** The wait Instagram asked for, in ms; 0 when it named none. */
  waitMs: number;
  /** How often this request was rate-limited before this answer (0 the first time). */
  retryCount: number;
  /** The token-free rate-limit error, as it would be thrown. */
  error: InstagramError;
}

/**
 * Told of every rate-limited answer; returns whether that request tries once more after the wait.
 * Returning true is a wish, not a promise: a wait beyond the retry budget is an outage all the same.
 * @default retryOnce
 */
export type OnRateLimit = (info: RateLimitInfo) => boolean;

/** The default policy: one more try after the wait, since every call made meanwhile pushes access back further. */
export const retryOnce: OnRateLimit = ({ retryCount }) => retryCount === 0;

/**
 * Shared by all requests of one client, so a rate limit met by one request holds the others back
 * ("when the limit has been reached, stop making API calls": every call made meanwhile pushes
 * access back further). Rate limiting lives here; backoff for other failures stays in `getJson`.
 *
 * - One rate-limited request retries (the probe), when `onRateLimit` allows it. The others wait for
 *   its answer instead of being sent, as long as the wait Instagram asked for fits in their retry
 *   budget; Instagram often names no wait at all (`estimated_time_to_regain_access: 0`) and answers
 *   again a second later.
 * - When the probe is refused again (or gives up), the limit is an outage: requests meeting the gate
 *   fail at once with the rate-limit line, for the wait Instagram asked for (or a minute).
 * - Any answer from Instagram opens the gate.
 */
export class RateLimitGate {
  /** Earliest time Instagram said to call again. */
  private until = 0;
  /** Set after a probe failed: requests until then are not sent at all. */
  private shutUntil = 0;
  private probe: { done: Promise<boolean>; settle: (answered: boolean) => void } | undefined;
  private readonly onRateLimit: OnRateLimit;

  constructor(options: { onRateLimit?: OnRateLimit } = {}) {
    this.onRateLimit = options.onRateLimit ?? retryOnce;
  }

  /**
   * Lets one request through: waits while another request probes the limit, and throws the
   * rate-limit line when Instagram asked for longer than `budgetMs`, or when the probe was refused
   * again. The pass then hears how each rate-limited attempt of this request went.
   */
  async enter(endpoint: string, budgetMs: () => number): Promise<RateLimitPass> {
    for (;;) {
      const now = Date.now();
      if (this.shutUntil > now) throw notCalled(endpoint, 'Instagram rate-limited this app moments ago');
      if (!this.probe) return new RateLimitPass(this, endpoint);
      const wait = this.until - now;
      if (wait > budgetMs()) throw notCalled(endpoint, `Instagram rate-limited this app and asks to wait ${formatWait(wait)}`);
      if (!(await this.probe.done)) throw notCalled(endpoint, 'Instagram rate-limited this app and refused again after the wait');
    }
  }

  /** @internal Asks the hook; a request the hook lets retry becomes the probe (if none runs yet). */
  decide(info: RateLimitInfo, canRetry: boolean): { retry: boolean; settleProbe?: (answered: boolean) => void } {
    this.until = Math.max(this.until, Date.now() + info.waitMs);
    const retry = this.onRateLimit(info) && canRetry;
    if (retry) {
      const settleProbe = this.startProbe();
      return settleProbe ? { retry, settleProbe } : { retry };
    }
    return { retry };
  }

  private startProbe(): ((answered: boolean) => void) | undefined {
    if (this.probe) return undefined;
    let settle!: (answered: boolean) => void;
    const done = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    const probe = { done, settle };
    this.probe = probe;
    return (answered) => {
      if (this.probe === probe) this.probe = undefined;
      if (answered) this.open();
      else this.shutUntil = Math.max(this.shutUntil, this.until, Date.now() + RATE_LIMIT_PAUSE_MS);
      settle(answered);
    };
  }

  /** @internal The limit without a probe: the request gave up at once (hook said no, no retries left, or a wait beyond its budget). */
  gaveUp(waitMs: number): void {
    this.shutUntil = Math.max(this.shutUntil, Date.now() + (waitMs || RATE_LIMIT_PAUSE_MS));
  }

  /** Instagram answered: whatever limit held the other requests back is over. */
  open(): void {
    this.until = 0;
    this.shutUntil = 0;
    const probe = this.probe;
    this.probe = undefined;
    probe?.settle(true);
  }
}

/** One request's way through the gate: counts its rate-limited answers and settles the probe it became. */
export class RateLimitPass {
  private retryCount = 0;
  private settleProbe: ((answered: boolean) => void) | undefined;

  constructor(
    private readonly gate: RateLimitGate,
    private readonly endpoint: string,
  ) {}

  /** A rate-limited answer: whether to try once more after `waitMs` (`canRetry`: retries and budget allow it). */
  limited(error: InstagramError, waitMs: number, canRetry: boolean): boolean {
    const decision = this.gate.decide({ endpoint: this.endpoint, waitMs, retryCount: this.retryCount++, error }, canRetry);
    this.settleProbe ??= decision.settleProbe;
    if (!decision.retry && !this.settleProbe) this.gate.gaveUp(waitMs);
    return decision.retry;
  }

  /** The request ended: Instagram answered, failed otherwise (it answered too), or rate-limited it again. */
  finish(outcome: 'answered' | 'failed' | 'rate-limited'): void {
    this.settleProbe?.(outcome !== 'rate-limited');
    if (outcome === 'answered') this.gate.open();
  }
}

function notCalled(endpoint: string, why: string): InstagramError {
  return new InstagramError('rate-limit', `Instagram API ${endpoint} was not called: ${why}`);
}
