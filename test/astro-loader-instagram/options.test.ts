import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, retryPolicy, TOKEN_RETRY } from 'instagram-graph';
import { beforeAll, describe, expect, it } from 'vitest';
import { INTEGRATION_DEFAULTS, LOADER_DEFAULTS } from '../../packages/astro-loader-instagram/src/config-defaults.js';
import instagram from '../../packages/astro-loader-instagram/src/integration.js';
import { instagramLoader } from '../../packages/astro-loader-instagram/src/loader.js';
import { checkLoaderOptions, checkProfileLoaderOptions, resolveOptions } from '../../packages/astro-loader-instagram/src/options.js';
import { instagramProfileLoader } from '../../packages/astro-loader-instagram/src/profile-loader.js';
import { astro, copyFixture, repoRoot, tempSiteDirs } from '../helpers/astro.js';

/**
 * Options are checked by one strict schema when `instagramLoader()`, `instagramProfileLoader()` or
 * `instagram()` is called: a mistake fails as content.config / astro.config is evaluated, in one
 * line that names the option, what was expected and (for an unknown key) the closest known one.
 */

/** The one-line message a factory throws for these options. */
function failure(create: () => unknown): { message: string; hint: string | undefined } {
  try {
    create();
  } catch (error) {
    const { message, hint } = error as Error & { hint?: string };
    return { message, hint };
  }
  throw new Error('expected the options to be refused');
}

// Options given as in a .mjs config, where TypeScript does not check them.
const loose = (options: Record<string, unknown>) => options as never;

describe('instagramLoader() options', () => {
  it('an unknown key is refused when the loader is created, naming the closest known key', () => {
    const { message, hint } = failure(() => instagramLoader(loose({ maxImagesize: 800 })));
    expect(message).toBe(
      'astro-loader-instagram: invalid instagramLoader() options: unknown option `maxImagesize`; did you mean `maxImageSize`?',
    );
    expect(hint).toMatch(/src\/content\.config\.ts/);
    expect(failure(() => instagramLoader(loose({ timeout: 5000 }))).message).toContain(
      'unknown option `timeout`; did you mean `timeoutMs`?',
    );
  });

  it('an unknown key with no near name lists the known ones', () => {
    const { message } = failure(() => instagramLoader(loose({ colour: 'red' })));
    expect(message).toMatch(/unknown option `colour`; known options: `token`, .*`maxImageSize`.*`limit`/);
    expect(message).not.toContain('\n');
  });

  it('a wrong type says what was expected and what was given', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ maxImageSize: '1080px' }, 'option `maxImageSize` must be a positive number of pixels, got "1080px"'],
      [{ limit: 0 }, 'option `limit` must be a positive number of posts, got 0'],
      [{ retries: -1 }, 'option `retries` must be a whole number, 0 or more, got -1'],
      [{ onError: 'ignore' }, 'option `onError` must be "keep" or "fail", got "ignore"'],
      [{ host: 'threads' }, 'option `host` must be "instagram" or "facebook", got "threads"'],
      [{ mediaTypes: ['image', 'story'] }, 'option `mediaTypes[1]` must be "image", "video", "carousel" or "reel", got "story"'],
      [{ mediaTypes: 'image' }, 'option `mediaTypes` must be an array of "image", "video", "carousel", "reel", got "image"'],
      [{ since: 'last tuesday' }, 'option `since` must be a Date or an ISO date string like "2026-01-01", got "last tuesday"'],
      [{ filter: true }, 'option `filter` must be a function (post) => boolean, got true'],
      [{ downloadVideos: 'yes' }, 'option `downloadVideos` must be true or false, got "yes"'],
      [{ timeoutMs: Number.NaN }, 'option `timeoutMs` must be a positive number of milliseconds, got NaN'],
    ];
    for (const [options, expected] of cases) {
      const { message } = failure(() => instagramLoader(loose(options)));
      expect(message).toBe(`astro-loader-instagram: invalid instagramLoader() options: ${expected}`);
    }
  });

  it('several mistakes share the one line', () => {
    const { message } = failure(() => instagramLoader(loose({ maxImagesize: 1, onError: 'x' })));
    expect(message).toContain('unknown option `maxImagesize`');
    expect(message).toContain('option `onError` must be "keep" or "fail"');
    expect(message).not.toContain('\n');
  });

  it('never prints a long string it refuses (a token put in the wrong option)', () => {
    const token = `IGAA${'x'.repeat(150)}`;
    const { message } = failure(() => instagramLoader(loose({ host: token, tokn: token })));
    expect(message).not.toContain('IGAA');
    expect(message).toContain('option `host` must be "instagram" or "facebook", got a string of 154 characters');
    expect(message).toContain('unknown option `tokn`; did you mean `token`?');
  });

  it('accepts every documented kind of value', () => {
    const filter = () => true;
    const config = checkLoaderOptions({
      token: 'IGAAtoken',
      apiUrl: undefined,
      host: 'facebook',
      userId: ' 17841400000000000 ',
      limit: 12.7,
      mediaTypes: ['reel', 'carousel'],
      since: '2026-01-01',
      filter,
      retries: 0,
      maxRetryTimeMs: 0,
      tokenStore: '  ',
      fetch: globalThis.fetch,
      now: () => new Date(0),
    });
    expect(config).toMatchObject({ host: 'facebook', userId: '17841400000000000', limit: 12, retries: 0, maxRetryTimeMs: 0, filter });
    expect(config.since).toEqual(new Date('2026-01-01'));
    expect(config.tokenStore).toBeUndefined();
    // Checking again what was already checked changes nothing (the loader checks, then resolves at load time).
    expect(checkLoaderOptions(config)).toEqual(config);
  });

  it('defaults come from config-defaults.ts, retries and timeouts from instagram-graph', () => {
    const config = checkLoaderOptions({});
    expect(config).toMatchObject(LOADER_DEFAULTS);
    expect(config).toMatchObject({
      maxImageSize: 1920,
      maxInputPixels: 40_000_000,
      concurrency: 16,
      downloadVideos: false,
      onError: 'keep',
      tokenRefresh: true,
      host: 'instagram',
      timeoutMs: DEFAULT_TIMEOUT_MS,
      retries: DEFAULT_RETRY.retries,
      maxRetryTimeMs: DEFAULT_RETRY.maxRetryTimeMs,
    });
    expect({ timeoutMs: DEFAULT_TIMEOUT_MS, ...DEFAULT_RETRY }).toEqual({
      timeoutMs: 30_000,
      retries: 4,
      minDelayMs: 500,
      maxDelayMs: 30_000,
      maxRetryTimeMs: 120_000,
    });
    expect(TOKEN_RETRY).toEqual({ retries: 2, minDelayMs: 500, maxDelayMs: 10_000, maxRetryTimeMs: 60_000 });
  });

  it('the README table and the option docs state the defaults of config-defaults.ts', async () => {
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const source = await readFile(path.join(repoRoot, 'packages/astro-loader-instagram/src/options-schema.ts'), 'utf8');
    for (const [option, value] of Object.entries(LOADER_DEFAULTS)) {
      const shown = typeof value === 'string' ? `'${value}'` : String(value);
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${option}\``));
      // tokenRefresh is documented in the token section's prose, not in the options table.
      if (option === 'tokenRefresh') expect(row, option).toBeUndefined();
      else expect(row?.split('|')[2]?.trim(), option).toBe(`\`${shown}\``);
      // The TSDoc right above `option?:` in the documented interface.
      const field = source.indexOf(`\n  ${option}?:`);
      const doc = source.slice(source.lastIndexOf('/**', field), field).match(/@default ([^*\n]+?)\s*(?:\*\/|\n)/)?.[1];
      expect(doc?.replaceAll('_', ''), option).toBe(shown);
    }
  });

  it('an undefined retry field keeps the default', () => {
    expect(retryPolicy(DEFAULT_RETRY, { retries: undefined, maxRetryTimeMs: 5 })).toEqual({ ...DEFAULT_RETRY, maxRetryTimeMs: 5 });
  });
});

describe('the environment is read at load time, not when the loader is created', () => {
  it('creating the loader reads no token or API URL', () => {
    const config = checkLoaderOptions({});
    expect(config.token).toBeUndefined();
    expect(config.apiUrl).toBeUndefined();
    expect(config.now).toBeUndefined();
  });

  it('resolveOptions fills token, apiUrl and the clock from the environment it is given', () => {
    const env = {
      INSTAGRAM_TOKEN: ' IGAAfrom-env ',
      INSTAGRAM_API_URL: 'http://127.0.0.1:9/',
      ASTRO_LOADER_INSTAGRAM_NOW: '2026-11-23T12:00:00Z',
    };
    const resolved = resolveOptions(checkLoaderOptions({}), env);
    expect(resolved.token).toBe('IGAAfrom-env');
    expect(resolved.apiUrl).toBe('http://127.0.0.1:9/');
    expect(resolved.now().toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(resolved.fetch).toBe(globalThis.fetch);
  });

  it('options win over the environment; without either, the host decides the API', () => {
    const env = { INSTAGRAM_TOKEN: 'IGAAfrom-env', INSTAGRAM_API_URL: 'http://127.0.0.1:9' };
    expect(resolveOptions({ token: 'IGAAmine', apiUrl: 'http://127.0.0.1:8' }, env)).toMatchObject({
      token: 'IGAAmine',
      apiUrl: 'http://127.0.0.1:8',
    });
    expect(resolveOptions({}, {}).apiUrl).toBe('https://graph.instagram.com');
    expect(resolveOptions({ host: 'facebook', userId: '1' }, {}).apiUrl).toBe('https://graph.facebook.com');
    expect(resolveOptions({}, {}).token).toBeUndefined();
  });
});

describe('instagramProfileLoader() options', () => {
  it('a feed filter is named as not applying; a typo names the closest key', () => {
    expect(failure(() => instagramProfileLoader(loose({ limit: 3 }))).message).toBe(
      'astro-loader-instagram: invalid instagramProfileLoader() options: option `limit` does not apply to instagramProfileLoader(): it filters posts; set it on instagramLoader()',
    );
    expect(failure(() => instagramProfileLoader(loose({ tokenstore: 'x' }))).message).toContain(
      'unknown option `tokenstore`; did you mean `tokenStore`?',
    );
    expect(failure(() => instagramProfileLoader(loose({ onError: false }))).message).toContain(
      'option `onError` must be "keep" or "fail", got false',
    );
  });

  it('shares the defaults of the posts loader', () => {
    expect(checkProfileLoaderOptions({})).toMatchObject({ maxImageSize: 1920, retries: DEFAULT_RETRY.retries, onError: 'keep' });
  });
});

describe('instagram() integration options', () => {
  it('refuses an unknown key or a wrong value when astro.config is evaluated', () => {
    const { message, hint } = failure(() => instagram(loose({ refreshEndpoit: '/x' })));
    expect(message).toBe(
      'astro-loader-instagram: invalid instagram() options: unknown option `refreshEndpoit`; did you mean `refreshEndpoint`?',
    );
    expect(hint).toContain('astro.config.mjs');
    expect(failure(() => instagram(loose({ refreshEndpoint: 'refresh' }))).message).toContain(
      'option `refreshEndpoint` must be a path starting with "/", or false, got "refresh"',
    );
    expect(failure(() => instagram(loose({ refreshEndpoint: true }))).message).toContain('got true');
  });

  it(`defaults the refresh endpoint to ${INTEGRATION_DEFAULTS.refreshEndpoint}; false and a path are taken`, () => {
    expect(() => instagram()).not.toThrow();
    expect(() => instagram({ refreshEndpoint: false })).not.toThrow();
    expect(() => instagram({ refreshEndpoint: '/_ig' })).not.toThrow();
  });

  it(`defaults stateFile to ${INTEGRATION_DEFAULTS.stateFile}; false and a file path are taken, a folder or ".." refused`, () => {
    expect(() => instagram({ stateFile: false })).not.toThrow();
    expect(() => instagram({ stateFile: '/ig/state.json' })).not.toThrow();
    for (const wrong of ['state.json', '/ig/', '/../state.json', true]) {
      expect(failure(() => instagram(loose({ stateFile: wrong }))).message, String(wrong)).toContain(
        'option `stateFile` must be a file path in the site',
      );
    }
  });

  it('alerts: a misspelt key is named with its path; the webhook must be an http(s) URL, never printed when long', () => {
    expect(failure(() => instagram(loose({ alerts: { webhok: 'https://x.test/hook' } }))).message).toBe(
      'astro-loader-instagram: invalid instagram() options: unknown option `alerts.webhok`; did you mean `alerts.webhook`?',
    );
    expect(failure(() => instagram(loose({ alerts: { webhook: 'ftp://x' } }))).message).toContain(
      'option `alerts.webhook` must be an http(s) URL, or false, got "ftp://x"',
    );
    const secretPath = 'hxxps://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXX';
    expect(failure(() => instagram(loose({ alerts: { webhook: secretPath } }))).message).not.toContain('XXXX');
    expect(() => instagram({ alerts: { webhook: 'https://hooks.slack.com/services/T/B/x', timeoutMs: 2000 } })).not.toThrow();
    expect(() => instagram({ alerts: { webhook: false } })).not.toThrow();
  });
});

/**
 * Real `astro sync` runs: what a site owner sees. Astro wraps an error thrown from content.config.ts
 * in GenerateContentTypesError ("`astro sync` command failed to generate content collection types:
 * <our line>.", then our hint, Astro's error reference, its own stack and "Caused by: <our line>");
 * an error from astro.config is printed as "[OptionsError] <our line>" with our hint.
 */
describe('astro sync fails on a mistaken option, in one line', () => {
  let basic: { site: string; cacheDir: string };
  let integration: { site: string; cacheDir: string };
  beforeAll(async () => {
    const dirs = await tempSiteDirs('options');
    basic = { site: await copyFixture('basic', path.join(dirs.base, 'basic')), cacheDir: dirs.cacheDir };
    integration = { site: await copyFixture('integration', path.join(dirs.base, 'integration')), cacheDir: dirs.cacheDir };
  });

  async function sync(site: { site: string; cacheDir: string }, env: Record<string, string>) {
    // A token and an unreachable API: if the options were not refused first, the loader would try to read.
    const result = await astro(['sync'], {
      root: site.site,
      env: {
        ASTRO_CACHE_DIR: site.cacheDir,
        INSTAGRAM_TOKEN: 'IGAAoptions-test-token-0000',
        INSTAGRAM_API_URL: 'http://127.0.0.1:9',
        ...env,
      },
    }).done;
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).not.toContain('Reading Instagram media'); // refused before any load
    expect(result.output).not.toMatch(/ZodError|"code":|invalid_type|unrecognized_keys/); // no zod dump
    expect(result.output).not.toContain('IGAAoptions-test-token');
    return result.output;
  }

  /** The line of Astro's output holding our message. */
  const lineWith = (output: string, text: string) => output.split('\n').find((line) => line.includes(text)) ?? '';

  it('posts loader: unknown key with the closest one; wrong type with what was expected', async () => {
    const typo = await sync(basic, { FIXTURE_EXTRA_OPTIONS: JSON.stringify({ maxImagesize: 800 }) });
    expect(lineWith(typo, 'invalid instagramLoader() options')).toContain(
      'astro-loader-instagram: invalid instagramLoader() options: unknown option `maxImagesize`; did you mean `maxImageSize`?',
    );
    expect(typo).toContain('Fix the options passed to instagramLoader() in src/content.config.ts');

    const wrongType = await sync(basic, { FIXTURE_EXTRA_OPTIONS: JSON.stringify({ maxImageSize: '1080px' }) });
    expect(lineWith(wrongType, 'invalid instagramLoader() options')).toContain(
      'option `maxImageSize` must be a positive number of pixels, got "1080px"',
    );
  });

  it('profile loader: unknown key with the closest one; wrong type with what was expected', async () => {
    const typo = await sync(integration, { FIXTURE_PROFILE_OPTIONS: JSON.stringify({ downloadVideo: true }) });
    expect(lineWith(typo, 'invalid instagramProfileLoader() options')).toContain(
      'unknown option `downloadVideo`; did you mean `downloadVideos`?',
    );
    const wrongType = await sync(integration, { FIXTURE_PROFILE_OPTIONS: JSON.stringify({ tokenRefresh: 'no' }) });
    expect(lineWith(wrongType, 'invalid instagramProfileLoader() options')).toContain(
      'option `tokenRefresh` must be true or false, got "no"',
    );
  });

  it('integration: unknown key with the closest one; wrong type with what was expected', async () => {
    const typo = await sync(integration, { FIXTURE_INTEGRATION_OPTIONS: JSON.stringify({ refreshEndpoit: '/x' }) });
    expect(lineWith(typo, 'invalid instagram() options')).toContain(
      'astro-loader-instagram: invalid instagram() options: unknown option `refreshEndpoit`; did you mean `refreshEndpoint`?',
    );
    expect(typo).toContain('Fix the options passed to instagram() in astro.config.mjs');
    const wrongType = await sync(integration, { FIXTURE_INTEGRATION_OPTIONS: JSON.stringify({ refreshEndpoint: 42 }) });
    expect(lineWith(wrongType, 'invalid instagram() options')).toContain(
      'option `refreshEndpoint` must be a path starting with "/", or false, got 42',
    );
  });
});
