import { type FakeInstagram, startFakeInstagram, TAGGING_USERNAMES } from 'fake-instagram';
import { createInstagramClient, InstagramError } from 'instagram-graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failApi, json } from '../helpers/faults.js';

// GET /{ig-user-id}/tags: other accounts' posts in which the account is tagged.
let fake: FakeInstagram;
beforeAll(async () => {
  fake = await startFakeInstagram({ tagged: 130, seed: 3 });
});
afterAll(() => fake.close());

const fastRetry = { minDelayMs: 5, maxDelayMs: 20 };

describe('listTagged', () => {
  it("reads every tagged post, by other accounts, with each author's username and permalink", async () => {
    const ig = createInstagramClient({ token: fake.token, apiUrl: fake.url, retry: fastRetry });
    fake.resetStats();
    const posts = await ig.listTagged();
    expect(posts.map((post) => post.id)).toEqual(fake.tagged.map((post) => post.id));
    for (const post of posts) {
      expect(TAGGING_USERNAMES).toContain(post.username);
      expect(post.permalink).toMatch(/^https:\/\/www\.instagram\.com\/(p|reel)\/[\w-]+\/$/);
    }
    expect(posts.some((post) => post.username === fake.profile.username)).toBe(false);
    // The documented path: the account id from /me once, then the edge by cursors (100, 30, then an empty page ends it).
    expect(fake.requests.map((request) => request.path)).toEqual([
      '/me',
      `/${fake.profile.user_id}/tags`,
      `/${fake.profile.user_id}/tags`,
      `/${fake.profile.user_id}/tags`,
    ]);
  });

  it('pages by cursors alone, as the edge answers without next links', async () => {
    const response = await fetch(`${fake.url}/v25.0/${fake.profile.user_id}/tags?fields=id&limit=5&access_token=${fake.token}`);
    const body = (await response.json()) as { data: unknown[]; paging: Record<string, unknown> };
    expect(body.data).toHaveLength(5);
    expect(body.paging).toEqual({ cursors: { before: expect.any(String), after: expect.any(String) } });
  });

  it('stops at `limit`', async () => {
    const ig = createInstagramClient({ token: fake.token, apiUrl: fake.url, userId: fake.profile.user_id, retry: fastRetry });
    expect(await ig.listTagged({ limit: 7 })).toHaveLength(7);
    expect(ig.requestCount).toBe(1);
  });

  it('a next link without a cursor to follow fails naming the tags edge, not the media list', async () => {
    const ig = createInstagramClient({ token: fake.token, apiUrl: fake.url, userId: fake.profile.user_id, retry: fastRetry });
    const body = { data: [fake.tagged[0]], paging: { next: `${fake.url}/v25.0/${fake.profile.user_id}/tags?limit=100` } };
    const stop = failApi(fake, 1, json(200, body), /\/tags$/);
    try {
      await expect(ig.listTagged()).rejects.toThrow(
        /^Instagram API GET \/\{ig-user-id\}\/tags gave a next page without a cursor to follow/,
      );
    } finally {
      stop();
    }
  });

  it('works on graph.facebook.com with a Page token and the account id', async () => {
    const page = fake.tokens.issueFacebook('page');
    const ig = createInstagramClient({
      token: page.token,
      host: 'facebook',
      userId: fake.profile.user_id,
      apiUrl: fake.url,
      retry: fastRetry,
    });
    expect(await ig.listTagged()).toHaveLength(130);
  });
});

describe('a token without the comments permission', () => {
  it('fails with one line naming instagram_business_manage_comments and how to log in with it', async () => {
    const basicOnly = fake.tokens.issue('long', ['instagram_business_basic']);
    const ig = createInstagramClient({ token: basicOnly.token, apiUrl: fake.url, retry: fastRetry });
    const error = await ig.listTagged().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstagramError);
    expect((error as InstagramError).kind).toBe('permission');
    const message = (error as Error).message;
    expect(message).toMatch(
      /^Instagram API GET \/\{ig-user-id\}\/tags failed \(code 10\): .*needs the instagram_business_manage_comments permission, which this token was not granted\. Log in again granting instagram_business_manage_comments \(npx astro-loader-instagram login --tagged/,
    );
    expect(message).not.toContain('\n');
    expect(message).not.toContain(basicOnly.token);
    // Its own posts still load: only the tags edge needs the permission.
    expect(await ig.listMedia({ limit: 1 })).toHaveLength(1);
  });

  it('names instagram_manage_comments with Facebook Login', async () => {
    const page = fake.tokens.add('EAAnoCommentsPermission0000', { type: 'PAGE', scopes: ['instagram_basic'] });
    const ig = createInstagramClient({
      token: page.token,
      host: 'facebook',
      userId: fake.profile.user_id,
      apiUrl: fake.url,
      retry: fastRetry,
    });
    await expect(ig.listTagged()).rejects.toThrow(/needs the instagram_manage_comments permission.*Grant instagram_manage_comments/);
  });
});
