import { readdir, rm } from 'node:fs/promises';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, readAllText, tempSiteDirs } from '../helpers/astro.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * Facebook Login (`host: 'facebook'`) in real astro builds: the token's expiry comes from
 * debug_token on the configured API (the fake) when the app credentials are set.
 */
describe('Facebook Login token expiry in real astro builds', () => {
  let fake: FakeInstagram;
  let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
  let token: string;
  let expiresAt: number;
  const outputs: string[] = [];
  const mediaTokens: string[] = [];

  const build = async (env: Record<string, string>) => {
    const result = await buildFixture('basic', dirs, {
      INSTAGRAM_TOKEN: token,
      INSTAGRAM_API_URL: fake.url,
      FIXTURE_HOST: 'facebook',
      FIXTURE_USER_ID: fake.profile.user_id,
      ...env,
    });
    outputs.push(result.output);
    expect(result.code, result.output).toBe(0);
    return result.output;
  };

  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 3, seed: 31 });
    // A long-lived User token (fb_exchange_token) with a little over 3 days left.
    ({ token, expiresAt } = fake.tokens.issueFacebook('long-user', Date.now() + 3 * DAY + HOUR));
    fake.intercept((_req, _res, info) => {
      if (info.route === 'media') mediaTokens.push(info.url.searchParams.get('access_token') ?? '');
      return false;
    });
    dirs = await tempSiteDirs('ig-facebook-token');
  });
  afterAll(async () => {
    await fake?.close();
    if (dirs) await rm(dirs.base, { recursive: true, force: true });
  });

  it('with the app credentials: the build succeeds and warns once, naming the kind of token and its expiry date', async () => {
    const output = await build({ INSTAGRAM_APP_ID: fake.oauth.appId, INSTAGRAM_APP_SECRET: fake.oauth.appSecret });
    const date = new Date(expiresAt).toISOString().slice(0, 10);
    const warnings = output.match(/Instagram token \(instagram\): .*/g) ?? [];
    expect(warnings).toHaveLength(1);
    expect(output).toMatch(
      new RegExp(
        `\\[WARN\\].*Instagram token \\(instagram\\): a long-lived User token \\(Facebook Login, debug_token\\) expires in 3 days \\(${date}\\); builds cannot refresh Facebook tokens\\. To fix: run \`npx astro-loader-instagram facebook-token\``,
      ),
    );
    expect(fake.stats.byRoute['debug-token']).toBe(1);
    expect(fake.stats.byRoute['refresh-token']).toBeUndefined();
    expect(mediaTokens.at(-1)).toBe(token);
    expect(output).toMatch(/3 posts/);
  });

  it('without them: one line saying the expiry cannot be checked and how to enable it', async () => {
    const output = await build({});
    const lines = output.match(/.*Facebook Login token: its expiry cannot be checked.*/g) ?? [];
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('set INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET');
    expect(fake.stats.byRoute['debug-token']).toBe(1); // not asked this time
  });

  it('never puts the token, the app secret or the app token in the log, dist or the data store', async () => {
    const secrets = [token, fake.oauth.appSecret, `${fake.oauth.appId}|${fake.oauth.appSecret}`];
    const cacheFiles = await readdir(dirs.cacheDir, { recursive: true });
    expect(cacheFiles).toContain('data-store.json');
    expect(cacheFiles.some((file) => file.endsWith('token.json'))).toBe(false); // Facebook tokens are not kept
    const haystacks = [...outputs, await readAllText(dirs.outDir), await readAllText(dirs.cacheDir)];
    for (const haystack of haystacks) for (const secret of secrets) expect(haystack).not.toContain(secret);
  });
});
