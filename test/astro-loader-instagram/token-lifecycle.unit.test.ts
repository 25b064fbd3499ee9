import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type FakeInstagram, type FakeInstagramOptions, startFakeInstagram } from 'fake-instagram';
import { afterEach, describe, expect, it } from 'vitest';
import { takeAlerts } from '../../packages/astro-loader-instagram/src/alerts/conditions.js';
import { type InstagramLoaderOptions, resolveOptions } from '../../packages/astro-loader-instagram/src/options.js';
import { tokenForBuild } from '../../packages/astro-loader-instagram/src/token/lifecycle.js';
import { refuseTokenRefresh } from '../helpers/faults.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-23T12:00:00Z');

let fake: FakeInstagram;
let clock: number;
let cacheDir: string;
let logs: Array<{ level: 'info' | 'warn' | 'error'; message: string }>;

async function setup(options: FakeInstagramOptions = {}) {
  clock = T0;
  fake = await startFakeInstagram({ posts: 1, now: () => clock, ...options });
  cacheDir = await mkdtemp(path.join(tmpdir(), 'ig-token-'));
  logs = [];
}
afterEach(() => fake?.close());

const storeFile = () => path.join(cacheDir, 'astro-loader-instagram', 'token.json');
const readStore = async () =>
  JSON.parse(await readFile(storeFile(), 'utf8')) as { version: number; tokens: Array<Record<string, unknown>> };
const refreshCalls = () => fake.stats.byRoute['refresh-token'] ?? 0;

/** One build's token step, at `clock`. */
function build(token: string | undefined, options: InstagramLoaderOptions = {}, env: NodeJS.ProcessEnv = {}) {
  const logger = {
    info: (message: string) => logs.push({ level: 'info', message }),
    warn: (message: string) => logs.push({ level: 'warn', message }),
    error: (message: string) => logs.push({ level: 'error', message }),
  };
  const resolved = resolveOptions({ token, apiUrl: fake.url, now: () => new Date(clock), ...options }, {});
  return tokenForBuild({ logger, config: { cacheDir: pathToFileURL(`${cacheDir}/`) }, collection: 'instagram' }, resolved, env);
}

const lines = (level?: 'info' | 'warn' | 'error') => logs.filter((entry) => !level || entry.level === level).map((entry) => entry.message);

describe('build-time token refresh', () => {
  it('records a token it has not seen, without refreshing it or storing it', async () => {
    await setup();
    expect(await build(fake.token)).toBe(fake.token);
    expect(refreshCalls()).toBe(0);
    expect(lines()).toEqual([
      `Instagram token (instagram): first seen by the token store ${storeFile()}; builds refresh it once it is 24 hours old by these records (from 2026-11-24 12:00 UTC on).`,
    ]);
    const store = await readStore();
    expect(store.tokens).toHaveLength(1);
    expect(store.tokens[0]).toMatchObject({ origin: 'configured', firstSeenAt: new Date(T0).toISOString() });
    expect(store.tokens[0]!.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(store)).not.toContain(fake.token);
    expect((await stat(storeFile())).mode & 0o777).toBe(0o600);
  });

  it('refreshes once the token is 24 hours old by our records, keeps the new string and uses it from then on', async () => {
    await setup({ rotateOnRefresh: true });
    await build(fake.token);
    clock = T0 + 23 * HOUR;
    expect(await build(fake.token)).toBe(fake.token);
    expect(refreshCalls()).toBe(0);
    expect(lines()).toHaveLength(1); // "first seen", from the first build only
    logs = [];

    clock = T0 + 25 * HOUR;
    const refreshed = await build(fake.token);
    expect(refreshCalls()).toBe(1);
    expect(refreshed).not.toBe(fake.token);
    expect(fake.tokens.get(refreshed)?.expiresAt).toBe(clock + 60 * DAY);
    expect(lines('info')).toEqual([
      `Instagram token (instagram): refreshed, valid until ${new Date(clock + 60 * DAY).toISOString().slice(0, 10)}; Instagram issued a new token string, kept in ${storeFile()} for the next builds.`,
    ]);
    const [record] = (await readStore()).tokens;
    expect(record).toMatchObject({
      token: refreshed,
      expiresAt: new Date(clock + 60 * DAY).toISOString(),
      refreshedAt: new Date(clock).toISOString(),
    });
    expect(record!.previous as string[]).toHaveLength(1);

    // The next builds still get the old INSTAGRAM_TOKEN: the stored refresh of it wins, and is not refreshed again yet.
    clock = T0 + 30 * HOUR;
    expect(await build(fake.token)).toBe(refreshed);
    expect(refreshCalls()).toBe(1);

    // A day after that refresh, the stored token is refreshed in turn.
    clock = T0 + 50 * HOUR;
    const again = await build(fake.token);
    expect(refreshCalls()).toBe(2);
    expect(again).not.toBe(refreshed);
    expect((await readStore()).tokens).toHaveLength(1);
  });

  it('refreshes a non-rotating token without storing it', async () => {
    await setup();
    await build(fake.token);
    clock = T0 + 2 * DAY;
    expect(await build(fake.token)).toBe(fake.token);
    expect(refreshCalls()).toBe(1);
    const store = await readStore();
    expect(store.tokens[0]).toMatchObject({ expiresAt: new Date(clock + 60 * DAY).toISOString() });
    expect(JSON.stringify(store)).not.toContain(fake.token);
  });

  it('prefers a token the user pasted since over the stored refresh of the old one', async () => {
    await setup({ rotateOnRefresh: true });
    await build(fake.token);
    clock = T0 + 2 * DAY;
    const refreshed = await build(fake.token);
    const pasted = fake.tokens.issue('long').token;
    expect(await build(pasted)).toBe(pasted);
    expect((await readStore()).tokens).toHaveLength(2);
    // And the user pasting the refreshed token itself is the same chain.
    expect(await build(refreshed)).toBe(refreshed);
    expect((await readStore()).tokens).toHaveLength(2);
  });

  it('uses the stored token when none is configured (e.g. after `login`)', async () => {
    await setup({ rotateOnRefresh: true });
    await build(fake.token);
    clock = T0 + 2 * DAY;
    const refreshed = await build(fake.token);
    expect(await build(undefined)).toBe(refreshed);
  });

  it('does nothing with tokenRefresh: false but still records and warns', async () => {
    await setup();
    await build(fake.token, { tokenRefresh: false });
    clock = T0 + 47 * DAY;
    expect(await build(fake.token, { tokenRefresh: false })).toBe(fake.token);
    expect(refreshCalls()).toBe(0);
    expect(lines('info')[0]).toMatch(/first seen .*; automatic refresh is off \(tokenRefresh: false\)\.$/);
    expect(lines('warn')).toEqual([
      'Instagram token (instagram): expires at the latest in 13 days (2027-01-22) and automatic refresh is off (tokenRefresh: false). To fix: run `npx astro-loader-instagram refresh` and set INSTAGRAM_TOKEN where your site builds to the token it prints.',
    ]);
  });

  it('warns within 14 days of expiry, error-level within 3, when refreshing fails, without failing', async () => {
    await setup();
    await build(fake.token);
    clock = T0 + 2 * DAY;
    await build(fake.token); // refreshed: expires T0 + 62 days
    expect(refreshCalls()).toBe(1);
    logs = [];
    // From now on Instagram refuses the refresh (an answer we do not recognise).
    refuseTokenRefresh(fake);

    clock = T0 + 49 * DAY; // 13 days left
    expect(await build(fake.token)).toBe(fake.token);
    expect(lines('error')).toEqual([]);
    const [warning] = lines('warn');
    expect(warning).toMatch(
      /^Instagram token \(instagram\): expires in 13 days \(2027-01-24\) and the automatic refresh failed: Instagram API GET \/refresh_access_token failed \(code 10\).*To fix: run `npx astro-loader-instagram refresh` and set INSTAGRAM_TOKEN where your site builds to the token it prints\.$/,
    );
    expect(lines('info')[0]).toMatch(/not refreshed this time .*a later build will try again/);

    logs = [];
    clock = T0 + 60 * DAY; // 2 days left
    expect(await build(fake.token)).toBe(fake.token);
    expect(lines('warn')).toEqual([]);
    expect(lines('error')).toHaveLength(1);
    expect(lines('error')[0]).toMatch(
      /^Instagram token \(instagram\): URGENT: expires in 2 days \(2027-01-24\) and .*Once expired it can never be refreshed.*`npx astro-loader-instagram refresh`/,
    );

    logs = [];
    clock = T0 + 63 * DAY; // expired by our records: one refresh attempt asks Instagram (our clock may be wrong), an error line with the login command
    const calls = refreshCalls();
    await build(fake.token);
    expect(refreshCalls()).toBe(calls + 1);
    expect(lines('error')).toEqual([
      'Instagram token (instagram): expired on 2027-01-24; expired tokens can never be refreshed. To fix: run `npx astro-loader-instagram login` (or Meta App Dashboard > Instagram > API setup with Instagram login > Generate token) and set INSTAGRAM_TOKEN where your site builds.',
    ]);
    for (const { message } of logs) expect(message).not.toContain(fake.token);
  });

  it('stays quiet about a dead token (the sync reports it) and stops trying to refresh it', async () => {
    await setup();
    await build('IGAAdead-token-0000000000000');
    clock = T0 + 2 * DAY;
    await build('IGAAdead-token-0000000000000');
    expect(refreshCalls()).toBe(1);
    expect(lines('warn')).toEqual([]);
    expect(lines('error')).toEqual([]);
    expect(lines('info')).toHaveLength(1); // "first seen"
    expect((await readStore()).tokens[0]).toHaveProperty('deadAt');
    clock = T0 + 4 * DAY;
    await build('IGAAdead-token-0000000000000');
    expect(refreshCalls()).toBe(1);
  });

  it('replaces an unreadable store with a warning and honours tokenStore', async () => {
    await setup();
    const custom = path.join(cacheDir, 'elsewhere', 'tokens.json');
    await build(fake.token, { tokenStore: custom });
    expect(JSON.parse(await readFile(custom, 'utf8')).tokens).toHaveLength(1);
    await writeFile(custom, 'not json');
    expect(await build(fake.token, { tokenStore: custom })).toBe(fake.token);
    expect(lines('warn')[0]).toMatch(
      /could not be read; starting a new token store\. A token refreshed by an earlier build may be lost: run `npx astro-loader-instagram status`.*`npx astro-loader-instagram refresh`.*set INSTAGRAM_TOKEN to a new token/,
    );
    expect(JSON.parse(await readFile(custom, 'utf8')).tokens).toHaveLength(1);
  });

  it('never refreshes Facebook Login tokens nor stores them; without app credentials says once per build that expiry cannot be checked', async () => {
    await setup();
    const facebook = { host: 'facebook', userId: '17841400000000001' } as const;
    await Promise.all([build(fake.token, facebook), build(fake.token, facebook)]); // two collections, one build
    clock = T0 + 55 * DAY;
    expect(await build(fake.token, facebook)).toBe(fake.token);
    expect(refreshCalls()).toBe(0);
    expect(fake.stats.byRoute['debug-token'] ?? 0).toBe(0);
    const unchecked =
      "Instagram token (instagram): Facebook Login token: its expiry cannot be checked without the app's credentials. To check it on each build, set INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET (Meta App Dashboard > App settings > Basic); for a token that never expires, run `npx astro-loader-instagram facebook-token` and set INSTAGRAM_TOKEN where your site builds to the Page token it prints.";
    expect(logs).toEqual([
      { level: 'info', message: unchecked },
      { level: 'info', message: unchecked }, // the next build, 55 days later
    ]);
    await expect(stat(storeFile())).rejects.toThrow(/ENOENT/);
  });

  it('serialises collections sharing a store: one refresh, both get the new token', async () => {
    await setup({ rotateOnRefresh: true });
    await build(fake.token);
    clock = T0 + 2 * DAY;
    const [first, second] = await Promise.all([build(fake.token), build(fake.token)]);
    expect(refreshCalls()).toBe(1);
    expect(first).toBe(second);
    expect(first).not.toBe(fake.token);
  });
});

describe('Facebook Login tokens: expiry from debug_token', () => {
  const facebook = { host: 'facebook', userId: '17841400000000001' } as const;
  const app = () => ({ INSTAGRAM_APP_ID: fake.oauth.appId, INSTAGRAM_APP_SECRET: fake.oauth.appSecret });
  const debugCalls = () => fake.stats.byRoute['debug-token'] ?? 0;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  /** No log line holds the token, the app secret or the app token. */
  const expectNoSecrets = (token: string) => {
    for (const { message } of logs) {
      expect(message).not.toContain(token);
      expect(message).not.toContain(fake.oauth.appSecret);
    }
  };

  it('warns within 14 days naming the date and the kind of token, once per build for all collections', async () => {
    await setup();
    takeAlerts();
    const { token, expiresAt } = fake.tokens.issueFacebook('long-user', T0 + 10 * DAY);
    const [first, second] = await Promise.all([build(token, facebook, app()), build(token, facebook, app())]);
    expect([first, second]).toEqual([token, token]);
    expect(debugCalls()).toBe(1);
    expect(logs).toEqual([
      {
        level: 'warn',
        message: `Instagram token (instagram): a long-lived User token (Facebook Login, debug_token) expires in 10 days (${day(expiresAt)}); builds cannot refresh Facebook tokens. To fix: run \`npx astro-loader-instagram facebook-token\` and set INSTAGRAM_TOKEN where your site builds to the Page token it prints.`,
      },
    ]);
    expect(refreshCalls()).toBe(0);
    await expect(stat(storeFile())).rejects.toThrow(/ENOENT/);
    expectNoSecrets(token);
    // The owner's alert (sent by the integration after the build): the same line, once.
    const alerts = takeAlerts();
    expect(alerts.map(({ kind, collection }) => `${kind}/${collection}`)).toEqual(['expiring/instagram']);
    expect(alerts[0]!.line).toMatch(/^a long-lived User token .* expires in 10 days/);
  });

  it('is error-level within 3 days, and for a short-lived token that expires in hours', async () => {
    await setup();
    const soon = fake.tokens.issueFacebook('long-user', T0 + 2 * DAY + HOUR);
    await build(soon.token, facebook, app());
    expect(lines('error')).toEqual([
      `Instagram token (instagram): URGENT: a long-lived User token (Facebook Login, debug_token) expires in 2 days (${day(soon.expiresAt)}); builds cannot refresh Facebook tokens, so the feed stops updating then. To fix, now: run \`npx astro-loader-instagram facebook-token\` and set INSTAGRAM_TOKEN where your site builds to the Page token it prints.`,
    ]);
    logs = [];
    const short = fake.tokens.issueFacebook('short-user'); // Graph API Explorer's: 2 hours
    await build(short.token, facebook, app());
    expect(lines('error')).toHaveLength(1);
    expect(lines('error')[0]).toMatch(
      /^Instagram token \(instagram\): URGENT: a short-lived User token \(Facebook Login, debug_token\) expires in 2 hours \(2026-11-23\);/,
    );
    expectNoSecrets(short.token);
  });

  it('says a Page token that never expires needs nothing (expires_at: 0)', async () => {
    await setup();
    const page = fake.tokens.issueFacebook('page');
    await build(page.token, facebook, app());
    expect(logs).toEqual([
      {
        level: 'info',
        message: 'Instagram token (instagram): a Page token that never expires (Facebook Login, debug_token): nothing to renew.',
      },
    ]);
  });

  it('says a dead token is dead, with the fix', async () => {
    await setup();
    takeAlerts();
    const expired = fake.tokens.issueFacebook('short-user');
    clock = T0 + 3 * HOUR;
    await build(expired.token, facebook, app());
    expect(lines('error')).toHaveLength(1);
    expect(lines('error')[0]).toMatch(
      /^Instagram token \(instagram\): the Facebook Login token is no longer valid \(Error validating access token: Session has expired on .*\)\. To fix: make a new User token \(Graph API Explorer\), then run `npx astro-loader-instagram facebook-token`/,
    );
    expectNoSecrets(expired.token);
    expect(takeAlerts().map(({ kind }) => kind)).toEqual(['dead']);
  });

  it('never fails the build when debug_token refuses the app token or cannot be reached', async () => {
    await setup();
    const { token } = fake.tokens.issueFacebook('long-user');
    const wrong = { INSTAGRAM_APP_ID: fake.oauth.appId, INSTAGRAM_APP_SECRET: 'not-the-app-secret-123' };
    expect(await build(token, facebook, wrong)).toBe(token);
    expect(lines('warn')).toEqual([
      'Instagram token (instagram): Facebook token expiry not checked, the build goes on: Facebook GET /debug_token failed (code 190): Invalid OAuth access token signature. Set INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET to the id and secret of the Facebook app the token was made with (Meta App Dashboard > App settings > Basic).',
    ]);
    for (const { message } of logs) expect(message).not.toContain('not-the-app-secret-123');

    logs = [];
    clock += HOUR; // a later build
    fake.intercept((_req, res, info) => {
      if (info.route !== 'debug-token') return false;
      res.socket?.destroy();
      return true;
    });
    expect(await build(token, facebook, app())).toBe(token);
    expect(lines('warn')).toHaveLength(1);
    expect(lines('warn')[0]).toMatch(
      /^Instagram token \(instagram\): Facebook token expiry not checked, the build goes on: Facebook GET \/debug_token failed: /,
    );
    expectNoSecrets(token);
  });
});

describe('a token Instagram will never refresh ("Unsupported request - method type: get")', () => {
  it('says so once with how to get a new token, records it and stops asking', async () => {
    await setup();
    const legacy = 'IGQVJlegacy-basic-display-token-0000';
    fake.tokens.add(legacy);
    await build(legacy);
    clock = T0 + 2 * DAY;
    expect(await build(legacy)).toBe(legacy);
    expect(refreshCalls()).toBe(1);
    expect(lines('warn')).toEqual([
      'Instagram token (instagram): Instagram API GET /refresh_access_token failed (code 100): Instagram will never refresh this token (it answered "Unsupported request - method type: get", as for old Basic Display IGQV… tokens); builds stop trying to refresh it. To fix: run `npx astro-loader-instagram login` (or Meta App Dashboard > Instagram > API setup with Instagram login > Generate token) and set INSTAGRAM_TOKEN where your site builds.',
    ]);
    const [record] = (await readStore()).tokens;
    expect(record).toMatchObject({ unrefreshableAt: new Date(clock).toISOString() });
    expect(record).not.toHaveProperty('deadAt');
    expect(record).not.toHaveProperty('refreshNotBefore');

    // Later builds never ask again and say nothing until expiry nears; then the fix is a new token, not `refresh`.
    logs = [];
    clock = T0 + 5 * DAY;
    expect(await build(legacy)).toBe(legacy);
    clock = T0 + 50 * DAY;
    await build(legacy);
    expect(refreshCalls()).toBe(1);
    expect(lines('warn')).toHaveLength(1);
    expect(lines('warn')[0]).toMatch(/expires at the latest in 10 days .* To fix: run `npx astro-loader-instagram login`/);
  });
});

describe('a clock that jumps', () => {
  /** One build whose machine clock reads `machine` while Instagram's (the fake's) reads `clock`. */
  const buildWithClock = (machine: number) => build(fake.token, { now: () => new Date(machine) });

  it('a build with a clock a year ahead neither declares the live token dead nor stops later refreshes', async () => {
    await setup();
    await build(fake.token);
    clock = T0 + 2 * DAY;
    await build(fake.token); // refreshed by the right clock: expires T0 + 62 days
    expect(refreshCalls()).toBe(1);

    logs = [];
    clock = T0 + 3 * DAY;
    expect(await buildWithClock(T0 + 400 * DAY)).toBe(fake.token); // by this clock, long expired
    expect(lines('error')).toEqual([]); // Instagram was asked and refreshed it: alive
    expect(refreshCalls()).toBe(2);
    expect((await readStore()).tokens).toHaveLength(1);

    // Back to the right clock: records from the future. One refresh puts them right, then no more.
    logs = [];
    clock = T0 + 4 * DAY;
    await build(fake.token);
    expect(refreshCalls()).toBe(3);
    expect((await readStore()).tokens[0]).toMatchObject({ issuedAt: new Date(T0 + 4 * DAY).toISOString() });
    clock = T0 + 4 * DAY + HOUR;
    await build(fake.token);
    expect(refreshCalls()).toBe(3);
    expect([...lines('warn'), ...lines('error')]).toEqual([]);
  });

  it('records from the future (an earlier build with a wrong clock) do not hold refreshes back, nor loop', async () => {
    await setup();
    clock = T0;
    await buildWithClock(T0 + 365 * DAY); // first seen "next year"
    clock = T0 + 2 * HOUR;
    await build(fake.token); // right clock: age unknown, so ask; Instagram says too early (token 2 hours old)
    expect(refreshCalls()).toBe(1);
    const [held] = (await readStore()).tokens;
    expect(held).toMatchObject({ refreshNotBefore: new Date(T0 + 26 * HOUR).toISOString() });
    clock = T0 + 3 * HOUR;
    await build(fake.token); // held back by the right clock: no request
    expect(refreshCalls()).toBe(1);
    clock = T0 + 27 * HOUR;
    await build(fake.token);
    expect(refreshCalls()).toBe(2);
    expect((await readStore()).tokens[0]).toMatchObject({ issuedAt: new Date(T0 + 27 * HOUR).toISOString() });
    expect(lines('error')).toEqual([]);
  });

  it('ignores a hold-back further ahead than we ever set (written by a clock ahead)', async () => {
    await setup();
    await build(fake.token);
    const store = await readStore();
    store.tokens[0]!.refreshNotBefore = new Date(T0 + 300 * DAY).toISOString();
    await writeFile(storeFile(), JSON.stringify(store));
    clock = T0 + 2 * DAY;
    await build(fake.token);
    expect(refreshCalls()).toBe(1);
  });

  it('never drops the only copy of a token by its own clock; only once Instagram said it is dead', async () => {
    await setup({ rotateOnRefresh: true });
    await build(fake.token);
    clock = T0 + 2 * DAY;
    const rotated = await build(fake.token); // a new string, kept only in the store
    expect(rotated).not.toBe(fake.token);
    logs = [];
    clock = T0 + 3 * DAY;
    // Another site's token on a machine a year ahead: the rotated record looks expired for months.
    await build('IGAAother-token-000000000000000', { now: () => new Date(T0 + 400 * DAY) });
    const tokens = (await readStore()).tokens;
    expect(tokens.map((entry) => entry.token)).toContain(rotated);
  });
});
