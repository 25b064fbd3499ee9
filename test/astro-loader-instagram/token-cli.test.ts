import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FakeInstagram, type FakeInstagramOptions, startFakeInstagram } from 'fake-instagram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';

const DAY = 24 * 3600_000;
const STORE = 'node_modules/.astro/astro-loader-instagram/token.json';

let fake: FakeInstagram;
let cwd: string;
let env: Record<string, string>;

async function setup(options: FakeInstagramOptions = {}) {
  fake = await startFakeInstagram({ posts: 2, ...options });
  cwd = await mkdtemp(path.join(tmpdir(), 'ig-cli-'));
  env = { INSTAGRAM_API_URL: fake.url, INSTAGRAM_OAUTH_URL: fake.url };
}
afterEach(() => fake?.close());

const readStoreFile = async (file = path.join(cwd, STORE)) =>
  JSON.parse(await readFile(file, 'utf8')) as { tokens: Array<Record<string, unknown>> };

/** Plays the browser: opens the dialog URL the CLI printed and returns where Instagram sends it. */
async function openDialog(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return response.headers.get('location')!;
}

const AUTHORIZE_URL = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)/;

describe('login', () => {
  beforeEach(() => setup());

  it('runs the whole flow with a local callback and prints the token once, on stdout', async () => {
    const cli = startCli(['login', '--client-id', fake.oauth.appId, '--redirect-uri', 'http://127.0.0.1:0/callback'], {
      cwd,
      env: { ...env, INSTAGRAM_APP_SECRET: fake.oauth.appSecret },
    });
    const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
    const dialog = new URL(url!);
    expect(dialog.searchParams.get('response_type')).toBe('code');
    expect(dialog.searchParams.get('scope')).toBe('instagram_business_basic');
    expect(dialog.searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/);
    expect(dialog.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    const location = await openDialog(url!);
    expect(location).toMatch(/#_$/);
    const callback = await fetch(location); // like a browser: the #_ fragment is never sent
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('Logged in');

    const result = await cli.done;
    expect(result.code, result.stderr).toBe(0);
    const token = /^INSTAGRAM_TOKEN=(IGAA\S+)\n$/.exec(result.stdout)?.[1];
    expect(token).toBeDefined();
    expect(fake.tokens.get(token)?.kind).toBe('long');
    expect(result.stderr).not.toContain(token!);
    expect(result.stderr).not.toContain(fake.oauth.appSecret);
    expect(result.stderr).toMatch(/Logged in as @demo\.studio\. The token is valid until \d{4}-\d\d-\d\d \(in 60 days\)/);
    expect(fake.stats.byRoute['oauth-token']).toBe(1);
    expect(fake.stats.byRoute['access-token']).toBe(1);

    const file = path.join(cwd, STORE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const { tokens } = await readStoreFile(file);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ origin: 'login', token, account: { username: 'demo.studio', userId: fake.profile.user_id } });

    // The recorded token is what status reads when nothing is configured.
    const status = await runCli(['status'], { cwd, env });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('Account:  @demo.studio');
    expect(status.stdout).toMatch(/Token: {4}from node_modules\/\.astro\/astro-loader-instagram\/token\.json \(from login\)/);
    expect(status.stdout + status.stderr).not.toContain(token!);
  });

  it('rejects an answer whose state does not match and exchanges nothing', async () => {
    const cli = startCli(['login', '--client-id', fake.oauth.appId, '--redirect-uri', 'http://127.0.0.1:0/cb'], {
      cwd,
      env: { ...env, INSTAGRAM_APP_SECRET: fake.oauth.appSecret },
    });
    const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
    const location = new URL(await openDialog(url!));
    location.searchParams.set('state', 'forged-state');
    const callback = await fetch(location);
    expect(callback.status).toBe(400);

    const result = await cli.done;
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^astro-loader-instagram login: Instagram login failed: the answer's state does not match this login.*Start the login again\.$/m,
    );
    expect(fake.stats.byRoute['oauth-token']).toBeUndefined();
  });

  it('says so in one line when the user does not allow access', async () => {
    fake.oauth.deny = true;
    const cli = startCli(['login', '--client-id', fake.oauth.appId, '--redirect-uri', 'http://127.0.0.1:0/cb'], {
      cwd,
      env: { ...env, INSTAGRAM_APP_SECRET: fake.oauth.appSecret },
    });
    const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
    await fetch(await openDialog(url!));
    const result = await cli.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/access was not allowed \(The user denied your request\)/);
  });

  it('takes the secret and the redirected address on stdin when the redirect URI is not local', async () => {
    const redirect = 'https://site.example/instagram/callback';
    const cli = startCli(['login', '--redirect-uri', redirect], { cwd, env: { ...env, INSTAGRAM_APP_ID: fake.oauth.appId } });
    cli.write(`${fake.oauth.appSecret}\n`); // piped: read as one line, never echoed
    const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
    await cli.waitForStderr(/Paste that whole address here/);
    const location = await openDialog(url!);
    expect(location.startsWith(`${redirect}?code=`)).toBe(true);
    cli.write(`${location}\n`);
    const result = await cli.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^INSTAGRAM_TOKEN=IGAA\S+\n$/);
    expect(result.stderr).not.toContain(fake.oauth.appSecret);
  });

  it('turns the legacy OAuth error into one line (wrong app secret)', async () => {
    const cli = startCli(['login', '--client-id', fake.oauth.appId, '--redirect-uri', 'http://127.0.0.1:0/cb'], {
      cwd,
      env: { ...env, INSTAGRAM_APP_SECRET: 'not-the-app-secret' },
    });
    const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
    await fetch(await openDialog(url!));
    const result = await cli.done;
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(
      /^astro-loader-instagram login: Instagram login failed at POST \/oauth\/access_token \(OAuthException 400\): Error validating client secret\. Set INSTAGRAM_APP_SECRET/,
    );
    expect(result.stderr).not.toContain('not-the-app-secret');
  });

  it('never takes the secret as a flag', async () => {
    const result = await runCli(['login', '--client-secret', 'abc'], { cwd, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/never taken as a flag.*INSTAGRAM_APP_SECRET/);
  });
});

describe('refresh', () => {
  it('refuses a token less than 24 hours old, in one line, without printing it', async () => {
    await setup();
    const result = await runCli(['refresh'], { cwd, env: { ...env, INSTAGRAM_TOKEN: fake.token } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/Not refreshed: the token is less than 24 hours old.*Nothing is wrong; try again/);
    expect(result.stderr).not.toContain(fake.token);
  });

  it('refuses an expired token and names the command that fixes it', async () => {
    await setup({ tokenIssuedAt: Date.now() - 61 * DAY });
    const result = await runCli(['refresh'], { cwd, env: { ...env, INSTAGRAM_TOKEN: fake.token } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /Not refreshed: the token has already expired, and expired tokens can never be refreshed\. To fix: run `npx astro-loader-instagram login`/,
    );
    expect(result.stderr).not.toContain(fake.token);
  });

  it('prints the refreshed token, records it, and later uses the newest one', async () => {
    await setup({ tokenIssuedAt: Date.now() - 2 * DAY, rotateOnRefresh: true });
    const first = await runCli(['refresh', '--raw'], { cwd, env: { ...env, INSTAGRAM_TOKEN: fake.token } });
    expect(first.code, first.stderr).toBe(0);
    const refreshed = first.stdout.trim();
    expect(refreshed).not.toBe(fake.token);
    expect(fake.tokens.get(refreshed)?.kind).toBe('long');
    expect(first.stderr).toMatch(
      /Refreshed: valid until \d{4}-\d\d-\d\d \(in 60 days\)\. Instagram issued a new token string: set INSTAGRAM_TOKEN where your site builds/,
    );
    expect(first.stderr).not.toContain(refreshed);

    const { tokens } = await readStoreFile();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ origin: 'configured', token: refreshed });
    expect(JSON.stringify(tokens)).not.toContain(fake.token); // the configured token is known by its hash only

    // Same old INSTAGRAM_TOKEN: the store's newer token is the one used, and it is too young now.
    const again = await runCli(['refresh'], { cwd, env: { ...env, INSTAGRAM_TOKEN: fake.token } });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/less than 24 hours old.*try again after \d{4}-\d\d-\d\d \d\d:\d\d UTC\./);

    const status = await runCli(['status'], { cwd, env: { ...env, INSTAGRAM_TOKEN: fake.token } });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Token: {4}from a refresh of INSTAGRAM_TOKEN, kept in node_modules/);
    expect(status.stdout).toMatch(/Expires: {2}\d{4}-\d\d-\d\d \(in 60 days\), last refreshed/);
    expect(status.stdout).toMatch(/Next: {5}nothing to do: builds refresh it automatically from/);
    for (const output of [status.stdout, status.stderr]) {
      expect(output).not.toContain(refreshed);
      expect(output).not.toContain(fake.token);
    }
  });
});

describe('status', () => {
  it('says which account the token reads and that its expiry is unknown until a refresh', async () => {
    await setup();
    const result = await runCli(['status'], { cwd, env: { ...env, INSTAGRAM_TOKEN: fake.token } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Account:  @demo.studio (user_id ${fake.profile.user_id})`);
    expect(result.stdout).toContain('Token:    from INSTAGRAM_TOKEN');
    expect(result.stdout).toMatch(/Expires: {2}unknown/);
    expect(result.stdout).toMatch(/Next: {5}if the token is more than 24 hours old, run `npx astro-loader-instagram refresh`/);
    expect(result.stdout + result.stderr).not.toContain(fake.token);
  });

  it('reports a dead token with the fix, exit 1, without printing it', async () => {
    await setup({ tokenIssuedAt: Date.now() - 61 * DAY });
    const result = await runCli(['status'], { cwd, env: { ...env, INSTAGRAM_TOKEN: fake.token } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Account:  none: Instagram rejects this token');
    expect(result.stdout).toMatch(/Next: {5}.*190\/463.*To fix: run `npx astro-loader-instagram login`/);
    expect(result.stdout + result.stderr).not.toContain(fake.token);
  });

  it('asks for a token when there is none', async () => {
    await setup();
    const result = await runCli(['status'], { cwd, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/No token: INSTAGRAM_TOKEN is not set/);
  });
});
