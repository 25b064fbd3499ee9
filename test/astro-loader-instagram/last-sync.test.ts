import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, tempSiteDirs } from '../helpers/astro.js';
import { json } from '../helpers/faults.js';

describe('a good sync that kept 0 posts still counts as the last good sync', () => {
  let fake: FakeInstagram;
  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 4, seed: 31 });
  });
  afterAll(() => fake?.close());

  it('keeps going (with a warning) through a later outage', async () => {
    const dirs = await tempSiteDirs('last-sync');
    const env = { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url, FIXTURE_SINCE: '2100-01-01', FIXTURE_RETRIES: '0' };
    const first = await buildFixture('basic', dirs, env);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/0 posts \(0 new/);

    // Instagram is down: every API request answers 500.
    const restore = fake.intercept((_req, res, info) => {
      if (info.kind !== 'api') return false;
      json(500, {
        error: {
          message: 'An unexpected error has occurred. Please retry your request later.',
          type: 'OAuthException',
          code: 2,
          is_transient: true,
        },
      })(res, _req);
      return true;
    });
    try {
      const second = await buildFixture('basic', dirs, env);
      expect(second.code, second.output).toBe(0);
      expect(second.output).toMatch(/Kept the 0 posts from the last successful sync/);
    } finally {
      restore();
    }
  });
});
