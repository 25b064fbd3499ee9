import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoaderContext } from 'astro/loaders';
import { InstagramError } from 'instagram-graph';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertCondition, recordAlert, takeAlerts } from '../../packages/astro-loader-instagram/src/alerts/conditions.js';
import { alertMessage } from '../../packages/astro-loader-instagram/src/alerts/message.js';
import { hiddenUrl, sendAlerts } from '../../packages/astro-loader-instagram/src/alerts/send.js';
import { dueToday, sentLogPath } from '../../packages/astro-loader-instagram/src/alerts/sent-log.js';
import { diesWithin, instagramHealth } from '../../packages/astro-loader-instagram/src/cli/status-report.js';
import { failureOf, giveUp } from '../../packages/astro-loader-instagram/src/failure.js';
import type { SyncLog } from '../../packages/astro-loader-instagram/src/health/sync-log.js';
import { recordSuccessfulSync } from '../../packages/astro-loader-instagram/src/last-sync.js';
import type { TokenRecord } from '../../packages/astro-loader-instagram/src/token/records.js';

const DAY = 86_400_000;
const NOW = new Date('2026-12-01T10:00:00Z');
const TOKEN = 'IGAAsecret-token-for-the-alerts-test';
const WEBHOOK = 'https://hooks.example.test/services/T000/B000/very-secret-path';

const condition = (kind: AlertCondition['kind'], collection = 'instagram', line = 'something happened.'): AlertCondition => ({
  kind,
  collection,
  line,
});

describe('alert conditions: collected during the build, taken once', () => {
  beforeEach(() => void takeAlerts());

  it('keeps one condition per kind and collection, and hands them over once', () => {
    recordAlert(condition('expiring', 'instagram'));
    recordAlert(condition('expiring', 'instagram'));
    recordAlert(condition('expiring', 'profile'));
    recordAlert(condition('dead', 'instagram'));
    expect(takeAlerts().map((seen) => `${seen.kind}/${seen.collection}`)).toEqual([
      'expiring/instagram',
      'expiring/profile',
      'dead/instagram',
    ]);
    expect(takeAlerts()).toEqual([]);
  });

  it('a message has text and content (Slack, Discord, Mattermost), names every collection, and holds no secret', () => {
    const conditions = [condition('dead', 'instagram', `refused ${TOKEN}.`), condition('dead', 'profile', 'refused.')];
    const message = alertMessage('dead', conditions, [TOKEN], 'https://example.com');
    expect(message.text).toBe(message.content);
    expect(message.text).toMatch(/^astro-loader-instagram \(https:\/\/example\.com\): the Instagram token is dead/);
    expect(message.text).toContain('instagram: refused [redacted].');
    expect(message.text).toContain('profile: refused.');
    expect(message.collections).toEqual(['instagram', 'profile']);
    expect(JSON.stringify(message)).not.toContain(TOKEN);
  });

  it('the webhook URL is shown as its origin only', () => {
    expect(hiddenUrl(WEBHOOK)).toBe('https://hooks.example.test/…');
    expect(hiddenUrl('not a url')).not.toContain('not a url');
  });

  it('a kind is due until it was sent on the same UTC day', () => {
    expect(dueToday(['dead', 'expiring'], { dead: '2026-12-01' }, NOW)).toEqual(['expiring']);
    expect(dueToday(['dead'], { dead: '2026-11-30' }, NOW)).toEqual(['dead']);
  });
});

describe('sendAlerts: one POST per condition per day, never failing the build', () => {
  let cacheDir: string;
  const posts: Array<Record<string, unknown>> = [];
  const lines: string[] = [];
  const logger = { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(`WARN ${line}`) };
  const ok: typeof fetch = async (_url, init) => {
    posts.push(JSON.parse(String(init?.body)));
    return new Response('ok');
  };
  const send = (conditions: AlertCondition[], now: Date, fetchImpl: typeof fetch = ok) =>
    sendAlerts(conditions, { webhook: WEBHOOK, cacheDir, now, timeoutMs: 200, secrets: [TOKEN], logger, fetch: fetchImpl });

  beforeEach(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'ig-alerts-'));
    posts.length = 0;
    lines.length = 0;
  });
  afterEach(() => rm(cacheDir, { recursive: true, force: true }));

  it('sends each kind once a day, most urgent first, and again the next day', async () => {
    const found = [condition('expiring'), condition('dead'), condition('expiring', 'profile')];
    expect(await send(found, NOW)).toBe(2);
    expect(posts.map((post) => post.condition)).toEqual(['dead', 'expiring']);
    expect(await send(found, new Date(NOW.getTime() + 3_600_000))).toBe(0);
    expect(await send(found, new Date(NOW.getTime() + DAY))).toBe(2);
    expect(posts).toHaveLength(4);
    const log = JSON.parse(await readFile(sentLogPath(cacheDir), 'utf8'));
    expect(log.sent).toEqual({ dead: '2026-12-02', expiring: '2026-12-02' });
  });

  it('a refused, failing or hanging webhook costs one warning line without the URL, and the alert stays due', async () => {
    const refused: typeof fetch = async () => new Response('no', { status: 500 });
    const down: typeof fetch = async () => {
      throw new TypeError(`fetch failed for ${WEBHOOK}`, { cause: { code: 'ECONNREFUSED' } });
    };
    const hangs: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    for (const fetchImpl of [refused, down, hangs]) expect(await send([condition('dead')], NOW, fetchImpl)).toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(
        /^WARN Instagram alert "dead" not sent to https:\/\/hooks\.example\.test\/…: it answered HTTP 500\. The build goes on/,
      ),
      expect.stringMatching(/not sent to https:\/\/hooks\.example\.test\/…: could not connect \(ECONNREFUSED\)\./),
      expect.stringMatching(/not sent to https:\/\/hooks\.example\.test\/…: no answer within 0\.2 s\./),
    ]);
    expect(lines.join('\n')).not.toContain('very-secret-path');
    expect(await send([condition('dead')], NOW)).toBe(1);
  });
});

/** The parts of a loader context giveUp reads. */
function contextWith(keys: string[], warnings: string[]) {
  const entries = new Set(keys);
  return {
    collection: 'instagram',
    store: { keys: () => [...entries], clear: () => entries.clear() },
    meta: new Map<string, string>(),
    logger: { warn: (line: string) => warnings.push(line) },
  } as unknown as LoaderContext & { store: { keys(): string[] } };
}

describe('giveUp with maxStaleDays: a feed the owner can no longer update is not shown forever', () => {
  const dead = failureOf(new InstagramError('auth', 'Instagram API GET /me/media failed (code 190): Invalid OAuth access token'), [TOKEN]);
  beforeEach(() => void takeAlerts());

  it('keeps the last good sync, says how old it is and notes the dead token and the kept feed for the alerts', () => {
    const warnings: string[] = [];
    const context = contextWith(['1', '2'], warnings);
    recordSuccessfulSync(context, new Date(NOW.getTime() - 2 * DAY));
    giveUp(context, { onError: 'keep', maxStaleDays: 3, staleAction: 'fail', now: () => NOW }, true, dead);
    expect(warnings[0]).toMatch(/Kept the 2 posts from the last successful sync\. It is 2 days old\.$/);
    expect(takeAlerts().map((seen) => seen.kind)).toEqual(['dead', 'kept-last-good']);
  });

  it("staleAction 'fail' fails the build once the last good sync is maxStaleDays old", () => {
    const context = contextWith(['1', '2'], []);
    recordSuccessfulSync(context, new Date(NOW.getTime() - 3 * DAY));
    expect(() => giveUp(context, { onError: 'keep', maxStaleDays: 3, staleAction: 'fail', now: () => NOW }, true, dead)).toThrow(
      /The last successful sync is 3 days old, past maxStaleDays \(3\)\./,
    );
    expect(context.store.keys()).toEqual(['1', '2']);
  });

  it("staleAction 'empty' empties the collection and goes on", () => {
    const warnings: string[] = [];
    const context = contextWith(['1', '2'], warnings);
    recordSuccessfulSync(context, new Date(NOW.getTime() - 10 * DAY));
    giveUp(context, { onError: 'keep', maxStaleDays: 3, staleAction: 'empty', now: () => NOW }, true, dead);
    expect(context.store.keys()).toEqual([]);
    expect(warnings[0]).toMatch(/10 days old, past maxStaleDays \(3\): the collection is empty for this build \(staleAction: 'empty'\)\.$/);
  });

  it('without maxStaleDays (the default) the last good sync is kept however old', () => {
    const context = contextWith(['1'], []);
    recordSuccessfulSync(context, new Date(NOW.getTime() - 400 * DAY));
    giveUp(context, { onError: 'keep', now: () => NOW }, true, dead);
    expect(context.store.keys()).toEqual(['1']);
  });
});

describe('status health: one state, worst first', () => {
  const record = (extra: Partial<TokenRecord> = {}): TokenRecord => ({
    hash: 'sha256:x',
    previous: [],
    origin: 'configured',
    firstSeenAt: new Date(NOW.getTime() - 10 * DAY).toISOString(),
    expiresAt: new Date(NOW.getTime() + 40 * DAY).toISOString(),
    ...extra,
  });
  const syncs = (kept?: string): SyncLog => ({
    version: 1,
    collections: { instagram: { lastSuccessAt: new Date(NOW.getTime() - DAY).toISOString(), ...(kept ? { keptLastGoodAt: kept } : {}) } },
  });
  const state = (input: Partial<Parameters<typeof instagramHealth>[0]>) =>
    instagramHealth({ record: record(), refused: undefined, now: NOW, syncs: syncs(), ...input }).state;

  it('ok, expiring, refresh-failed, stale, dead', () => {
    expect(state({})).toBe('ok');
    expect(state({ record: record({ expiresAt: new Date(NOW.getTime() + 13 * DAY).toISOString() }) })).toBe('expiring');
    expect(state({ record: record({ lastRefreshError: 'Token refresh failed (code 10)' }) })).toBe('refresh-failed');
    expect(state({ syncs: syncs(NOW.toISOString()) })).toBe('stale');
    expect(state({ refused: 'Invalid OAuth access token', syncs: syncs(NOW.toISOString()) })).toBe('dead');
    expect(state({ record: record({ expiresAt: new Date(NOW.getTime() - DAY).toISOString() }) })).toBe('dead');
  });

  it('--fail-within: the token dies within that many days, or is dead', () => {
    const token = (days: number | null) => ({
      kind: 'instagram-login',
      source: 'INSTAGRAM_TOKEN',
      expiresAt: days === null ? null : new Date(NOW.getTime() + days * DAY).toISOString(),
      expiryExact: true,
      daysLeft: days,
      lastRefresh: null,
      lastRefreshError: null,
    });
    expect(diesWithin({ state: 'expiring', token: token(13) }, 14, NOW)).toBe(true);
    expect(diesWithin({ state: 'ok', token: token(20) }, 14, NOW)).toBe(false);
    expect(diesWithin({ state: 'dead', token: token(20) }, 14, NOW)).toBe(true);
    expect(diesWithin({ state: 'ok', token: token(null) }, 14, NOW)).toBe(false);
  });
});
