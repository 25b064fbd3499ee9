import { readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, tempSiteDirs } from '../helpers/astro.js';
import { runCli } from '../helpers/cli.js';
import { refuseTokenRefresh } from '../helpers/faults.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const APP_SECRET = 'alerts-test-app-secret-0123456789';
/** The webhook's path is its credential: it must never be printed. */
const HOOK_PATH = '/services/T0001/B0001/hook-secret-path-4242';

interface Received {
  condition: string;
  text: string;
  content: string;
  raw: string;
}

/** A webhook on loopback: `ok` answers 200 and records, `hang` never answers. */
async function startWebhook(mode: 'ok' | 'hang'): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    if (mode === 'hang') return; // holds the connection open: the build's timeout must end it
    let raw = '';
    for await (const chunk of req) raw += chunk;
    received.push({ ...(JSON.parse(raw) as Omit<Received, 'raw'>), raw });
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${HOOK_PATH}`, received };
}

/** A loopback port with nothing listening: connection refused. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}${HOOK_PATH}`;
}

/**
 * Alerts in real `astro build`s of the integration fixture against the fake Instagram, with the
 * build clock (ASTRO_LOADER_INSTAGRAM_NOW) and the fake's clock moved together, never waited for.
 */
describe('alerts: the owner hears about the token and the feed, once per condition per day', () => {
  const T0 = Date.parse('2026-10-01T08:00:00Z');
  let clock = T0;
  let fake: FakeInstagram;
  let hook: Awaited<ReturnType<typeof startWebhook>>;
  let hanging: Awaited<ReturnType<typeof startWebhook>>;
  let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
  const outputs: string[] = [];

  async function buildAt(at: number, env: Record<string, string> = {}) {
    clock = at;
    const result = await buildFixture('integration', dirs, {
      INSTAGRAM_TOKEN: fake.token,
      INSTAGRAM_API_URL: fake.url,
      INSTAGRAM_APP_SECRET: APP_SECRET,
      INSTAGRAM_ALERT_WEBHOOK: hook.url,
      ASTRO_LOADER_INSTAGRAM_NOW: new Date(at).toISOString(),
      ...env,
    });
    outputs.push(result.output);
    return result;
  }
  const conditions = () => hook.received.map((message) => message.condition);

  /** `status --json` unless `text`, on this site's cache. */
  async function status(args: string[], text = false) {
    return runCli(
      [
        'status',
        ...(text ? [] : ['--json']),
        '--cache-dir',
        dirs.cacheDir,
        '--store',
        path.join(dirs.cacheDir, 'astro-loader-instagram/token.json'),
        ...args,
      ],
      {
        cwd: dirs.base,
        env: { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url, ASTRO_LOADER_INSTAGRAM_NOW: new Date(clock).toISOString() },
      },
    );
  }

  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 3, seed: 14, now: () => clock });
    hook = await startWebhook('ok');
    hanging = await startWebhook('hang');
    dirs = await tempSiteDirs('ig-alerts');
  });
  afterAll(async () => {
    await fake?.close();
    for (const server of [hook?.server, hanging?.server]) {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
    if (dirs) await rm(dirs.base, { recursive: true, force: true });
  });

  it('a healthy build sends nothing; status --json says ok, with the last sync and no secret', async () => {
    const result = await buildAt(T0);
    expect(result.code, result.output).toBe(0);
    expect(hook.received).toEqual([]);

    const ok = await status(['--fail-within', '14']);
    expect(ok.code, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report).toMatchObject({
      state: 'ok',
      account: { username: 'demo.studio' },
      token: { kind: 'instagram-login', source: 'INSTAGRAM_TOKEN', expiryExact: false, daysLeft: 60, lastRefresh: null },
      lastSuccessfulSync: new Date(T0).toISOString(),
      collections: { instagram: { lastSuccessAt: new Date(T0).toISOString(), entries: 3 }, profile: { entries: 1 } },
    });
    expect(ok.stdout).not.toContain(fake.token);

    const human = await status([], true);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('Synced:   instagram 2026-10-01 08:00 UTC (3 entries); profile 2026-10-01 08:00 UTC (1 entry)');
  });

  it('47 days on, refresh refused: one "refresh-failed" and one "expiring" message; status --fail-within 14 exits 1', async () => {
    const allowRefresh = refuseTokenRefresh(fake);
    try {
      const result = await buildAt(T0 + 47 * DAY);
      expect(result.code, result.output).toBe(0);
    } finally {
      allowRefresh();
    }
    expect(conditions()).toEqual(['refresh-failed', 'expiring']);
    const [refused, expiring] = hook.received;
    expect(refused!.text).toBe(refused!.content);
    expect(refused!.text).toMatch(
      /Instagram refused to refresh the token\.\n(instagram|profile): .*\(code 10\).*To fix: run `npx astro-loader-instagram refresh`/,
    );
    expect(expiring!.text).toMatch(/the Instagram token expires soon\.\ninstagram: expires at the latest in 13 days/);
    expect(outputs.at(-1)).toMatch(/Instagram alert "expiring" sent to http:\/\/127\.0\.0\.1:\d+\/…\./);

    const failing = await status(['--fail-within', '14']);
    expect(failing.code, failing.stderr).toBe(1);
    expect(JSON.parse(failing.stdout)).toMatchObject({ state: 'refresh-failed', token: { daysLeft: 13 } });
    expect((await status(['--fail-within', '7'])).code).toBe(0);
  });

  it('the same conditions later that day: no message; the next day: again', async () => {
    expect((await buildAt(T0 + 47 * DAY + HOUR)).code).toBe(0);
    expect(conditions()).toEqual(['refresh-failed', 'expiring']);

    const allowRefresh = refuseTokenRefresh(fake);
    try {
      expect((await buildAt(T0 + 48 * DAY)).code).toBe(0);
    } finally {
      allowRefresh();
    }
    expect(conditions()).toEqual(['refresh-failed', 'expiring', 'refresh-failed', 'expiring']);
  });

  it('a revoked token: "dead" and "kept-last-good" (with the feed\'s age), once; status says dead and exits 1', async () => {
    fake.tokens.get(fake.token)!.revoked = true;
    // A new day: the refresh is due again and Instagram answers 190, so the token is dead, no longer "expiring".
    expect((await buildAt(T0 + 49 * DAY + HOUR)).code).toBe(0);
    expect(conditions().slice(4)).toEqual(['dead', 'kept-last-good']);
    const kept = hook.received.find((message) => message.condition === 'kept-last-good')!;
    expect(kept.text).toMatch(/instagram: showing the last good sync \(3 posts\), 1 day old\./);

    expect((await buildAt(T0 + 49 * DAY + 2 * HOUR)).code).toBe(0);
    expect(hook.received).toHaveLength(6);

    const dead = await status(['--fail-within', '1']);
    expect(dead.code, dead.stderr).toBe(1);
    expect(JSON.parse(dead.stdout)).toMatchObject({ state: 'dead', account: null });
  });

  it('a webhook that is down or hangs: the build passes with one warning line, and the alert goes out with a later build', async () => {
    const down = await buildAt(T0 + 50 * DAY, { INSTAGRAM_ALERT_WEBHOOK: await closedPortUrl() });
    expect(down.code, down.output).toBe(0);
    expect(down.output).toMatch(
      /Instagram alert "dead" not sent to http:\/\/127\.0\.0\.1:\d+\/…: could not connect \(ECONNREFUSED\)\. The build goes on/,
    );

    // The option wins over the variable; a short timeout keeps the test quick (the default is 5 s).
    const slow = await buildAt(T0 + 50 * DAY + HOUR, {
      FIXTURE_INTEGRATION_OPTIONS: JSON.stringify({ alerts: { webhook: hanging.url, timeoutMs: 300 } }),
    });
    expect(slow.code, slow.output).toBe(0);
    expect(slow.output).toMatch(/Instagram alert "dead" not sent to http:\/\/127\.0\.0\.1:\d+\/…: no answer within 0\.3 s\./);
    expect(hook.received).toHaveLength(6);

    expect((await buildAt(T0 + 50 * DAY + 2 * HOUR)).code).toBe(0);
    expect(conditions().slice(6)).toEqual(['dead', 'kept-last-good']);
  });

  it('maxStaleDays: past it, the build fails (staleAction "fail") or shows no posts ("empty")', async () => {
    // The last good sync was on day 48; day 52 is 4 days on it.
    const options = (action: string) =>
      ({ FIXTURE_LOADER_OPTIONS: JSON.stringify({ maxStaleDays: 3, staleAction: action }) }) as Record<string, string>;
    const failed = await buildAt(T0 + 52 * DAY, options('fail'));
    expect(failed.code).not.toBe(0);
    expect(failed.output).toMatch(
      /astro-loader-instagram \(instagram\): .*The last successful sync is 4 days old, past maxStaleDays \(3\)\./,
    );

    const emptied = await buildAt(T0 + 52 * DAY + HOUR, options('empty'));
    expect(emptied.code, emptied.output).toBe(0);
    expect(emptied.output).toMatch(/past maxStaleDays \(3\): the collection is empty for this build \(staleAction: 'empty'\)/);
    const feed = await readFile(path.join(dirs.outDir, 'index.html'), 'utf8');
    // No post images left; the profile (no maxStaleDays on its loader) still shows its last good sync.
    expect(feed.match(/<img /g)).toHaveLength(1);
    expect(feed).toMatch(/<img src="[^"]*profile-[^>]*><h1>demo\.studio<\/h1>/);
  });

  it('no message, build log or sync record holds the token, the app secret or the webhook path', async () => {
    const everything = [...hook.received.map((message) => message.raw), ...outputs].join('\n');
    for (const secret of [fake.token, APP_SECRET, HOOK_PATH]) expect(everything).not.toContain(secret);
    const syncLog = await readFile(path.join(dirs.cacheDir, 'astro-loader-instagram/syncs.json'), 'utf8');
    expect(syncLog).not.toContain(fake.token);
  });
});
