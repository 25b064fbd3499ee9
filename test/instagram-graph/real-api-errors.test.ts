import { type FakeInstagram, type FakeInstagramOptions, graphErrors, startFakeInstagram } from 'fake-instagram';
import { createInstagramClient, type InstagramClientOptions, type InstagramError } from 'instagram-graph';
import { afterEach, describe, expect, it } from 'vitest';
import { failApi as failApiWith, json } from '../helpers/faults.js';

/**
 * The Graph API answers real accounts meet that the happy path never shows (audit rows 4, 5, 10,
 * 26-30): each against the fake answering the real way.
 */

const fastRetry = { minDelayMs: 5, maxDelayMs: 20 };
const fakes: FakeInstagram[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function fakeWith(options: FakeInstagramOptions = {}): Promise<FakeInstagram> {
  const fake = await startFakeInstagram({ posts: 120, seed: 7, ...options });
  fakes.push(fake);
  return fake;
}

const clientOf = (fake: FakeInstagram, options: Partial<InstagramClientOptions> = {}) =>
  createInstagramClient({ token: fake.token, apiUrl: fake.url, retry: fastRetry, ...options });

/** Answers the next `times` data requests with a Graph error body. */
function failApi(fake: FakeInstagram, times: number, body: unknown, status = 400) {
  return failApiWith(fake, times, json(status, body));
}

const asked = (fake: FakeInstagram, field: string) =>
  fake.requests.filter((request) => (request.params.fields ?? '').split(/[,{}]/).includes(field));

const albumsIn = (media: Awaited<ReturnType<ReturnType<typeof clientOf>['listMedia']>>) =>
  media.filter((item) => item.media_type === 'CAROUSEL_ALBUM');

describe('optional fields Instagram refuses', () => {
  it('code 10 naming no field: finds the refused field by probing, drops it (nested too) and reads every post', async () => {
    const fake = await fakeWith({ fieldsWithoutPermission: ['alt_text'] });
    const ig = clientOf(fake);
    const media = await ig.listMedia();
    expect(media).toHaveLength(120);
    expect(ig.droppedFields).toEqual(['alt_text']);
    // Albums still come with their children, only without alt_text.
    const album = albumsIn(media)[0];
    expect(album?.children?.data?.length).toBeGreaterThan(1);
    expect(album?.children?.data?.[0]).toHaveProperty('media_url');
    // Pages after the probing never ask for it again.
    const lastProbe = fake.requests.findLastIndex((request) => request.params.limit === '1');
    expect(fake.requests.slice(lastProbe + 1).every((request) => !asked(fake, 'alt_text').includes(request))).toBe(true);
    expect(fake.requests.slice(lastProbe + 1)).toHaveLength(2);
  });

  it('"(#100) x is unsupported": drops the named field with one extra request', async () => {
    const fake = await fakeWith({ unsupportedFields: ['is_shared_to_feed'] });
    const ig = clientOf(fake);
    expect(await ig.listMedia()).toHaveLength(120);
    expect(ig.droppedFields).toEqual(['is_shared_to_feed']);
    expect(ig.requestCount).toBe(3);
  });

  it.each([
    ['a permission error (code 200) that names it', { message: '(#200) Requires permission to read like_count', code: 200 }],
    ['"(#100) x is not supported"', { message: '(#100) like_count is not supported', code: 100 }],
  ])('%s: drops that field at once, without probing', async (_name, error) => {
    const fake = await fakeWith();
    failApi(fake, 1, { error: { ...error, type: 'OAuthException' } });
    const ig = clientOf(fake);
    expect(await ig.listMedia()).toHaveLength(120);
    expect(ig.droppedFields).toEqual(['like_count']);
    expect(fake.requests.map((request) => request.params.limit)).toEqual(['100', '100', '100']);
    expect(asked(fake, 'like_count')).toHaveLength(1);
  });

  it.each([
    ['code 10', { fieldsWithoutPermission: ['children'] }],
    ['unsupported', { unsupportedFields: ['children'] }],
  ])('children{...} refused (%s): reads each album with GET /{id}/children, so albums keep every image', async (_name, options) => {
    const fake = await fakeWith(options);
    const expected = await clientOf(await fakeWith()).listMedia();
    const ig = clientOf(fake);
    const media = await ig.listMedia();
    expect(ig.droppedFields).toEqual(['children']);
    expect(albumsIn(media).length).toBeGreaterThan(0);
    expect(albumsIn(media).map((album) => album.children?.data?.map((child) => child.media_url && child.id))).toEqual(
      albumsIn(expected).map((album) => album.children?.data?.map((child) => child.media_url && child.id)),
    );
    expect(fake.stats.byRoute.children).toBe(albumsIn(media).length);
  });

  it('withoutFields: a remembered refusal costs no request at all', async () => {
    const fake = await fakeWith({ fieldsWithoutPermission: ['alt_text'] });
    const ig = clientOf(fake, { withoutFields: ['alt_text'] });
    expect(await ig.listMedia()).toHaveLength(120);
    expect(ig.requestCount).toBe(2);
    expect(asked(fake, 'alt_text')).toEqual([]);
  });

  it('never drops a required field: a refused timestamp fails with the permission line', async () => {
    const fake = await fakeWith({ fieldsWithoutPermission: ['timestamp'] });
    const error = await clientOf(fake)
      .listMedia()
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'permission', code: 10 });
    expect((error as Error).message).toMatch(/^Instagram API GET \/me\/media failed \(code 10\): .*instagram_business_basic/);
  });

  it('a code 10 for the whole call (not a field) fails after one probe, with the permission line', async () => {
    const fake = await fakeWith();
    failApi(fake, 100, graphErrors.noPermission());
    const ig = clientOf(fake);
    await expect(ig.listMedia()).rejects.toMatchObject({ kind: 'permission', code: 10 });
    // The refused request, then the required fields alone (refused too): not about fields.
    expect(ig.requestCount).toBe(2);
    expect(ig.droppedFields).toEqual([]);
  });
});

describe('code 1 "Please reduce the amount of data"', () => {
  it.each(['message', 'error_user_msg'] as const)(
    'halves the page (100, 50) on the same cursor and reads every post (words in %s)',
    async (wording) => {
      const fake = await fakeWith({ posts: 250, maxPageSize: 50, reduceDataWording: wording });
      const ig = clientOf(fake);
      const media = await ig.listMedia();
      expect(new Set(media.map((item) => item.id)).size).toBe(250);
      expect(fake.requests.map((request) => request.params.limit)).toEqual(['100', '50', '50', '50', '50', '50']);
    },
  );

  it('below 25 per page it fails, with the error_user_msg words and one line', async () => {
    const fake = await fakeWith({ maxPageSize: 10, reduceDataWording: 'error_user_msg' });
    const ig = clientOf(fake);
    const error = (await ig.listMedia().catch((caught: unknown) => caught)) as InstagramError;
    expect(error).toMatchObject({ kind: 'transient', code: 1, subcode: 99 });
    expect(error.message).toMatch(
      /^Instagram API GET \/me\/media failed \(code 1\/99\): An unknown error occurred \(Please reduce the amount of data .*\)\. .*shrunk to 25 posts/,
    );
    expect(error.message).not.toMatch(/\n/);
    // 100, 50, 25: no identical retries.
    expect(fake.requests.map((request) => request.params.limit)).toEqual(['100', '50', '25']);
  });
});

describe('a rate limit that names no wait', () => {
  it("the client's other requests wait for the retried one instead of failing, and all succeed", async () => {
    const fake = await fakeWith();
    fake.rateLimit({ minutesToRegain: 0 });
    const ids = fake.media.slice(0, 6).map((post) => post.id);
    let others: Promise<unknown[]> | undefined;
    const ig = clientOf(fake, {
      // Sent while the first request is rate-limited and waiting for its retry.
      onRetry: () => {
        others ??= Promise.all([ig.getProfile(), ...ids.map((id) => ig.getMedia(id))]);
      },
    });
    expect(await ig.listMedia({ limit: 10 })).toHaveLength(10);
    const answers = await others;
    expect(answers).toHaveLength(7);
    // Refused once, its retry, then the 7 held back: none of them was sent into the limit.
    expect(ig.requestCount).toBe(9);
  });

  it('a wait longer than the retry budget is an outage: the limited request and the others fail with the rate-limit line', async () => {
    const fake = await fakeWith();
    fake.rateLimit({ minutesToRegain: 5, forMs: 60_000 });
    const ig = clientOf(fake);
    const error = (await ig.listMedia().catch((caught: unknown) => caught)) as InstagramError;
    expect(error).toMatchObject({ kind: 'rate-limit', code: 80002 });
    expect(error.message).toMatch(/Instagram asks to wait 5 min/);
    await expect(ig.getMedia(fake.media[0]!.id)).rejects.toMatchObject({
      kind: 'rate-limit',
      message: expect.stringMatching(/was not called/),
    });
    expect(ig.requestCount).toBe(1);
  });
});

describe("Instagram's own error codes", () => {
  it.each([
    ['-1 "Instagram server error"', graphErrors.instagramServerError()],
    ['-2 "It takes too long"', graphErrors.instagramTooLong()],
    ['an IGApiException without a known code', { error: { message: 'Something went wrong', type: 'IGApiException', code: 9999 } }],
  ])('%s is retried', async (_name, body) => {
    const fake = await fakeWith();
    failApi(fake, 1, body);
    const ig = clientOf(fake);
    expect(await ig.listMedia({ limit: 5 })).toHaveLength(5);
    expect(ig.requestCount).toBe(2);
  });

  it('IGApiException code 100 "Unsupported request - method type: get" is a wrong request, not retried', async () => {
    const fake = await fakeWith();
    failApi(fake, 10, graphErrors.unsupportedMethod('get'));
    const ig = clientOf(fake);
    await expect(ig.listMedia()).rejects.toMatchObject({ kind: 'invalid-request', code: 100, type: 'IGApiException' });
    expect(ig.requestCount).toBe(1);
  });
});

describe('tokens sent to the wrong host', () => {
  it('a Facebook (EAA…) token on graph.instagram.com: set host facebook, not a new token', async () => {
    const fake = await fakeWith();
    const token = 'EAAsecret-facebook-token-1234567890';
    const error = (await clientOf(fake, { token })
      .listMedia()
      .catch((caught: unknown) => caught)) as InstagramError;
    expect(error).toMatchObject({ kind: 'auth', code: 190 });
    expect(error.message).toMatch(/Cannot parse access token\. This is a Facebook Login token \(EAA…\).*set host: 'facebook' and userId/);
    expect(error.message).not.toMatch(/Generate a new/);
    expect(`${error.message}${error.stack}${JSON.stringify(error)}`).not.toContain(token);
  });

  it('an Instagram Login (IG…) token on graph.facebook.com: remove host facebook', async () => {
    const fake = await fakeWith();
    const token = 'IGAAsecret-instagram-token-1234567890';
    const error = (await clientOf(fake, { token, host: 'facebook', userId: fake.profile.user_id })
      .listMedia()
      .catch((caught: unknown) => caught)) as InstagramError;
    expect(error).toMatchObject({ kind: 'auth', code: 190 });
    expect(error.message).toMatch(/This is an Instagram Login token \(IG…\).*remove host: 'facebook'/);
    expect(`${error.message}${error.stack}`).not.toContain(token);
  });
});

describe('Facebook Login advice', () => {
  it('a permission error names instagram_basic, pages_read_engagement, pages_show_list and the Business Manager case', async () => {
    const fake = await fakeWith();
    failApi(fake, 10, graphErrors.noPermission());
    const error = (await clientOf(fake, { host: 'facebook', userId: fake.profile.user_id })
      .listMedia({ fields: ['id', 'media_type', 'timestamp', 'username'] })
      .catch((caught: unknown) => caught)) as InstagramError;
    expect(error).toMatchObject({ kind: 'permission', code: 10 });
    expect(error.message).toMatch(/instagram_basic, pages_read_engagement and pages_show_list/);
    expect(error.message).toMatch(/business_management when a Business Manager owns the Page/);
  });

  it('a dead token in Facebook mode points at a Page token from a long-lived User token', async () => {
    const fake = await fakeWith();
    failApi(fake, 10, graphErrors.expiredToken());
    const error = (await clientOf(fake, { host: 'facebook', userId: fake.profile.user_id })
      .listMedia()
      .catch((caught: unknown) => caught)) as InstagramError;
    expect(error).toMatchObject({ kind: 'auth', code: 190 });
    expect(error.message).toMatch(/long-lived User token \(npx astro-loader-instagram facebook-token\)/);
  });
});
