import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
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
    expect(dialog.searchParams.get('force_reauth')).toBe('true'); // a browser logged in to another account cannot hand it over
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
    expect(result.stderr).toContain(`Logged in as @demo.studio (user_id ${fake.profile.user_id}).`);
    expect(result.stderr).toMatch(/The token is valid until \d{4}-\d\d-\d\d \(in 60 days\)/);
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

  it('--tagged asks for instagram_business_manage_comments too, and its token reads the posts others tagged', async () => {
    const cli = startCli(['login', '--tagged', '--client-id', fake.oauth.appId, '--redirect-uri', 'http://127.0.0.1:0/callback'], {
      cwd,
      env: { ...env, INSTAGRAM_APP_SECRET: fake.oauth.appSecret },
    });
    const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
    expect(new URL(url!).searchParams.get('scope')).toBe('instagram_business_basic,instagram_business_manage_comments');
    await fetch(await openDialog(url!));
    const result = await cli.done;
    expect(result.code, result.stderr).toBe(0);
    const token = /^INSTAGRAM_TOKEN=(IGAA\S+)\n$/.exec(result.stdout)?.[1];
    const tagged = await fetch(`${fake.url}/v25.0/${fake.profile.user_id}/tags?fields=id,username&access_token=${token}`);
    expect(tagged.status).toBe(200);
  });

  it('without --tagged, the token cannot read the posts others tagged', async () => {
    const cli = startCli(['login', '--client-id', fake.oauth.appId, '--redirect-uri', 'http://127.0.0.1:0/callback'], {
      cwd,
      env: { ...env, INSTAGRAM_APP_SECRET: fake.oauth.appSecret },
    });
    const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
    await fetch(await openDialog(url!));
    const token = /^INSTAGRAM_TOKEN=(IGAA\S+)\n$/.exec((await cli.done).stdout)?.[1];
    const tagged = await fetch(`${fake.url}/v25.0/${fake.profile.user_id}/tags?fields=id&access_token=${token}`);
    expect(tagged.status).toBe(400);
    expect(((await tagged.json()) as { error: { code: number } }).error.code).toBe(10);
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

  it('--no-force-reauth leaves force_reauth out of the dialog URL', async () => {
    const cli = startCli(['login', '--no-force-reauth', '--client-id', fake.oauth.appId, '--redirect-uri', 'http://127.0.0.1:0/cb'], {
      cwd,
      env: { ...env, INSTAGRAM_APP_SECRET: fake.oauth.appSecret },
    });
    const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
    expect(new URL(url!).searchParams.has('force_reauth')).toBe(false);
    cli.kill();
    await cli.done;
  });

  it('names the account before recording the token, and still prints the token when the store cannot be written', async () => {
    const blocker = path.join(cwd, 'not-a-folder');
    await writeFile(blocker, 'a file where the store folder should be');
    const cli = startCli(
      ['login', '--client-id', fake.oauth.appId, '--redirect-uri', 'http://127.0.0.1:0/cb', '--store', path.join(blocker, 'token.json')],
      { cwd, env: { ...env, INSTAGRAM_APP_SECRET: fake.oauth.appSecret } },
    );
    const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
    await fetch(await openDialog(url!));
    const result = await cli.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^INSTAGRAM_TOKEN=IGAA\S+\n$/);
    const account = result.stderr.indexOf(`Logged in as @demo.studio (user_id ${fake.profile.user_id}).`);
    const notRecorded = result.stderr.indexOf('Not recorded: could not ');
    expect(account).toBeGreaterThan(-1);
    expect(notRecorded, result.stderr).toBeGreaterThan(account);
    expect(result.stderr).toMatch(/Not recorded: .*; builds will not find the token there, so set INSTAGRAM_TOKEN\.\n/);
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

  it('says in one line that Instagram will never refresh an old IGQV… token, and records it', async () => {
    await setup();
    const legacy = 'IGQVJold-basic-display-token-0000';
    fake.tokens.add(legacy, { issuedAt: Date.now() - 10 * DAY });
    const result = await runCli(['refresh'], { cwd, env: { ...env, INSTAGRAM_TOKEN: legacy } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'astro-loader-instagram refresh: Not refreshed: Instagram will never refresh this token (it answered "Unsupported request - method type: get", as for old Basic Display IGQV… tokens); it stops working when it expires. To fix: run `npx astro-loader-instagram login` (or Meta App Dashboard > Instagram > API setup with Instagram login > Generate token) and set INSTAGRAM_TOKEN where your site builds.\n',
    );
    const { tokens } = await readStoreFile();
    expect(tokens[0]).toHaveProperty('unrefreshableAt');
    expect(tokens[0]).not.toHaveProperty('refreshNotBefore');
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

  it("reads the token and the API address from the site folder's .env files, as astro build does; the environment wins", async () => {
    await setup();
    await writeFile(path.join(cwd, '.env'), `INSTAGRAM_TOKEN=IGAAnot-this-one-0000000000\nINSTAGRAM_API_URL=${fake.url}\n`);
    await writeFile(path.join(cwd, '.env.production'), `INSTAGRAM_TOKEN=${fake.token}\n`);
    const fromFiles = await runCli(['status'], { cwd, env: {} });
    expect(fromFiles.code, fromFiles.stderr).toBe(0);
    expect(fromFiles.stdout).toContain(`Account:  @demo.studio (user_id ${fake.profile.user_id})`);
    expect(fromFiles.stdout + fromFiles.stderr).not.toContain(fake.token);

    const overridden = await runCli(['status'], { cwd, env: { INSTAGRAM_TOKEN: 'IGAAdead-token-from-the-environment' } });
    expect(overridden.code).not.toBe(0);
    expect(overridden.stdout + overridden.stderr).toMatch(/190|no longer valid|invalid|expired/i);
  });

  it("with the app credentials, also asks graph.instagram.com's debug_token, labelled unofficial", async () => {
    await setup();
    const appEnv = { ...env, INSTAGRAM_APP_ID: fake.oauth.appId, INSTAGRAM_APP_SECRET: fake.oauth.appSecret };
    const result = await runCli(['status'], { cwd, env: { ...appEnv, INSTAGRAM_TOKEN: fake.token } });
    expect(result.code, result.stderr).toBe(0);
    const expires = new Date(fake.tokens.get(fake.token)!.expiresAt).toISOString().slice(0, 10);
    expect(result.stdout).toContain(
      `Checked:  GET /debug_token on ${fake.url}/ (unofficial: not in Instagram's docs) says it expires ${expires} (in 60 days)`,
    );
    expect(fake.stats.byRoute['debug-token']).toBe(1);

    const wrong = await runCli(['status'], {
      cwd,
      env: { ...appEnv, INSTAGRAM_APP_SECRET: 'wrong-app-secret-000', INSTAGRAM_TOKEN: fake.token },
    });
    expect(wrong.code, wrong.stderr).toBe(0);
    expect(wrong.stdout).toMatch(/Checked: {2}GET \/debug_token on .* gave no answer: Facebook GET \/debug_token failed \(code 190\)/);
    for (const output of [result.stdout, result.stderr, wrong.stdout, wrong.stderr]) {
      expect(output).not.toContain(fake.token);
      expect(output).not.toContain(fake.oauth.appSecret);
      expect(output).not.toContain('wrong-app-secret-000');
    }
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

describe('facebook-token', () => {
  const appEnv = () => ({ ...env, INSTAGRAM_APP_ID: fake.oauth.appId, INSTAGRAM_APP_SECRET: fake.oauth.appSecret });
  const PAGE = /^INSTAGRAM_TOKEN=(EAA\S+)\n$/;

  it('swaps a short-lived User token (stdin) for a Page token that never expires and prints it with userId', async () => {
    await setup();
    const user = fake.tokens.issueFacebook('short-user');
    const result = await runCli(['facebook-token'], { cwd, env: appEnv(), stdin: `${user.token}\n` });
    expect(result.code, result.stderr).toBe(0);
    const token = PAGE.exec(result.stdout)?.[1];
    expect(fake.tokens.get(token)).toMatchObject({ type: 'PAGE', expiresAt: Number.POSITIVE_INFINITY });
    expect(fake.stats.byRoute['fb-exchange-token']).toBe(1);
    expect(fake.stats.byRoute.accounts).toBe(1);
    expect(result.stderr).toContain(
      `Page "Demo Studio" (id ${fake.facebookPages[0]!.id}) → Instagram @demo.studio (userId ${fake.profile.user_id}). It does not expire`,
    );
    expect(result.stderr).toContain(`configure the loader with host: 'facebook' and userId: '${fake.profile.user_id}'`);
    for (const secret of [user.token, token!, fake.oauth.appSecret]) expect(result.stderr).not.toContain(secret);

    // status (host detected from the EAA… prefix) asks debug_token: it never expires.
    const status = await runCli(['status'], { cwd, env: { ...appEnv(), INSTAGRAM_TOKEN: token! } });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toBe(
      [
        "Login:    Facebook Login (host: 'facebook')",
        `Token:    from INSTAGRAM_TOKEN: a Page token that never expires of Page ${fake.facebookPages[0]!.id} (debug_token)`,
        'Expires:  never',
        'Next:     nothing to do: it ends only if you lose your role on the Page or change your Facebook password.',
        '',
      ].join('\n'),
    );
  });

  it('asks for the app secret first when it is not set, and reads the User token from --token-env', async () => {
    await setup();
    const user = fake.tokens.issueFacebook('short-user');
    const withVariable = await runCli(['facebook-token', '--token-env', 'FB_USER_TOKEN'], {
      cwd,
      env: { ...env, INSTAGRAM_APP_ID: fake.oauth.appId, FB_USER_TOKEN: user.token },
      stdin: `${fake.oauth.appSecret}\n`,
    });
    expect(withVariable.code, withVariable.stderr).toBe(0);
    expect(withVariable.stdout).toMatch(PAGE);
    expect(withVariable.stderr).toMatch(/^Facebook app secret \(not shown\): /);
    expect(withVariable.stderr).not.toContain(fake.oauth.appSecret);
  });

  it('needs --page when several Pages have a linked Instagram account, and takes a name or an id', async () => {
    await setup({
      facebookPages: [
        { id: '111111111111111', name: 'Shop', instagram: true },
        { id: '222222222222222', name: 'Studio', instagram: true },
        { id: '333333333333333', name: 'Old Page', instagram: false },
      ],
    });
    const user = () => `${fake.tokens.issueFacebook('short-user').token}\n`;
    const several = await runCli(['facebook-token'], { cwd, env: appEnv(), stdin: user() });
    expect(several.code).toBe(2);
    expect(several.stdout).toBe('');
    expect(several.stderr.trim().split('\n').at(-1)).toBe(
      'astro-loader-instagram facebook-token: Several Pages have a linked Instagram account: "Shop" (id 111111111111111) (@demo.studio), "Studio" (id 222222222222222) (@demo.studio). Choose one with --page <name or id>.',
    );
    const byName = await runCli(['facebook-token', '--page', 'studio'], { cwd, env: appEnv(), stdin: user() });
    expect(byName.code, byName.stderr).toBe(0);
    expect(byName.stderr).toContain('Page "Studio" (id 222222222222222)');
    const byId = await runCli(['facebook-token', '--page', '111111111111111'], { cwd, env: appEnv(), stdin: user() });
    expect(byId.stderr).toContain('Page "Shop" (id 111111111111111)');
    const unlinked = await runCli(['facebook-token', '--page', 'Old Page'], { cwd, env: appEnv(), stdin: user() });
    expect(unlinked.code).toBe(1);
    expect(unlinked.stderr).toMatch(/Page "Old Page" \(id 333333333333333\) has no linked Instagram professional account\. Link one/);
  });

  it('says in one line when no Page has a linked Instagram account', async () => {
    await setup({ facebookPages: [{ id: '333333333333333', name: 'Old Page', instagram: false }] });
    const result = await runCli(['facebook-token'], { cwd, env: appEnv(), stdin: `${fake.tokens.issueFacebook('short-user').token}\n` });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      'astro-loader-instagram facebook-token: None of your Facebook Pages ("Old Page" (id 333333333333333)) has a linked Instagram professional account. Link the Instagram account to a Page (Meta Business Suite > Settings > Instagram accounts) and make sure the User token has pages_show_list, then run again.',
    );
  });

  it('turns a wrong app secret and an expired User token into one line without secrets', async () => {
    await setup();
    const user = fake.tokens.issueFacebook('short-user', Date.now() - 1000);
    const wrong = await runCli(['facebook-token'], {
      cwd,
      env: { ...appEnv(), INSTAGRAM_APP_SECRET: 'wrong-app-secret-000' },
      stdin: `${user.token}\n`,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split('\n').at(-1)).toBe(
      'astro-loader-instagram facebook-token: Facebook GET /oauth/access_token (fb_exchange_token) failed (code 1): Error validating client secret. Set INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET to the id and secret of the Facebook app the token was made with (Meta App Dashboard > App settings > Basic).',
    );
    const expired = await runCli(['facebook-token'], { cwd, env: appEnv(), stdin: `${user.token}\n` });
    expect(expired.code).toBe(1);
    expect(expired.stderr.trim().split('\n').at(-1)).toMatch(
      /^astro-loader-instagram facebook-token: Facebook GET \/oauth\/access_token \(fb_exchange_token\) failed \(code 190\/463\): Error validating access token: Session has expired on .* The User token is expired or not a User token: copy a new one \(Graph API Explorer > Generate Access Token\) and run again\.$/,
    );
    for (const output of [wrong.stderr, expired.stderr]) {
      expect(output).not.toContain(user.token);
      expect(output).not.toContain('wrong-app-secret-000');
      expect(output).not.toContain(fake.oauth.appSecret);
    }
  });

  it('never takes the User token as a flag', async () => {
    await setup();
    const result = await runCli(['facebook-token', '--token', 'EAAsome-user-token-0000'], { cwd, env: appEnv() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'astro-loader-instagram facebook-token: A token is never taken as a flag (it would land in your shell history): pipe it on stdin, type it when asked, or name its variable with --token-env.\n',
    );
  });

  it('is listed in the help', async () => {
    await setup();
    const help = await runCli(['--help'], { cwd, env });
    expect(help.stdout).toMatch(/^ {2}facebook-token +Facebook Login: turn a short-lived User token into a Page token that never expires/m);
  });
});

describe('status --host facebook', () => {
  it('shows the kind and expiry of a Facebook token from debug_token, with the fix', async () => {
    await setup();
    const long = fake.tokens.issueFacebook('long-user', Date.now() + 10 * DAY);
    const appEnv = { ...env, INSTAGRAM_APP_ID: fake.oauth.appId, INSTAGRAM_APP_SECRET: fake.oauth.appSecret };
    const result = await runCli(['status', '--host', 'facebook'], { cwd, env: { ...appEnv, INSTAGRAM_TOKEN: long.token } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Token:    from INSTAGRAM_TOKEN: a long-lived User token (debug_token)');
    expect(result.stdout).toContain(`Expires:  ${new Date(long.expiresAt).toISOString().slice(0, 10)} (in 10 days)`);
    expect(result.stdout).toContain(
      'Next:     builds cannot refresh Facebook tokens: run `npx astro-loader-instagram facebook-token` and set INSTAGRAM_TOKEN where your site builds to the Page token it prints.',
    );

    // --fail-within decides the exit code from the same debug_token answer the text shows: one request.
    fake.resetStats();
    const failing = await runCli(['status', '--host', 'facebook', '--fail-within', '14'], {
      cwd,
      env: { ...appEnv, INSTAGRAM_TOKEN: long.token },
    });
    expect(failing.code, failing.stderr).toBe(1);
    expect(failing.stdout).toBe(result.stdout);
    expect(fake.stats.byRoute['debug-token']).toBe(1);
    expect(
      (await runCli(['status', '--host', 'facebook', '--fail-within', '7'], { cwd, env: { ...appEnv, INSTAGRAM_TOKEN: long.token } })).code,
    ).toBe(0);

    const dead = fake.tokens.issueFacebook('short-user', Date.now() - 1000);
    const invalid = await runCli(['status'], { cwd, env: { ...appEnv, INSTAGRAM_TOKEN: dead.token } }); // EAA…: Facebook Login
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/Expires: {2}no longer valid \(Error validating access token: Session has expired on /);

    const unchecked = await runCli(['status', '--host', 'facebook'], { cwd, env: { ...env, INSTAGRAM_TOKEN: long.token } });
    expect(unchecked.code).toBe(0);
    expect(unchecked.stdout).toContain(
      'Expires:  cannot be checked without the app credentials: set INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET (Meta App Dashboard > App settings > Basic) to ask debug_token',
    );
    for (const output of [result, invalid, unchecked].flatMap((run) => [run.stdout, run.stderr])) {
      expect(output).not.toContain(long.token);
      expect(output).not.toContain(dead.token);
      expect(output).not.toContain(fake.oauth.appSecret);
    }
  });
});
