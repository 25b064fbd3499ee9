import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type FakeInstagram, type FakeMedia, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, listFiles, readAllText, tempSiteDirs } from '../helpers/astro.js';

/** Every media id of a post: its own and its album children's (each names an image on the CDN). */
const idsOf = (post: FakeMedia) => [post.id, ...(post.children ?? []).map((child) => child.id)];

describe('instagramTaggedLoader in a real astro build', () => {
  let fake: FakeInstagram;
  let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
  let env: Record<string, string>;
  let build: { code: number | null; output: string };
  let approved: FakeMedia[];
  let unapproved: FakeMedia[];
  const cdnPaths: string[] = [];

  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 3, tagged: 6, seed: 11 });
    fake.intercept((_req, _res, info) => {
      if (info.kind === 'cdn') cdnPaths.push(info.path);
      return false;
    });
    // Approved one by shortcode, one by permalink, as the owner copies them from the app.
    approved = [fake.tagged[1]!, fake.tagged[3]!];
    unapproved = fake.tagged.filter((post) => !approved.includes(post));
    dirs = await tempSiteDirs('ig-tagged');
    env = {
      INSTAGRAM_TOKEN: fake.token,
      INSTAGRAM_API_URL: fake.url,
      FIXTURE_APPROVE: JSON.stringify([approved[0]!.shortcode, approved[1]!.permalink]),
    };
    build = await buildFixture('tagged', dirs, env);
  });
  afterAll(() => fake?.close());

  it("shows each approved post with its author's credit, linked to their post, and no other", async () => {
    expect(build.code, build.output).toBe(0);
    expect(build.output).toMatch(/tagged: 2 posts \(2 new, 0 updated, 0 unchanged, 0 removed\);.*; 4 awaiting approval/);
    const html = await readFile(path.join(dirs.outDir, 'index.html'), 'utf8');
    for (const post of approved) {
      expect(post.username).not.toBe(fake.profile.username);
      expect(html).toMatch(new RegExp(`<a href="${post.permalink}"[^>]*>\\s*Photo by @${post.username.replaceAll('.', '\\.')}\\s*</a>`));
    }
    for (const post of unapproved) expect(html).not.toContain(post.permalink);
    expect(html.match(/<img /g)).toHaveLength(2);
  });

  it("never downloads an unapproved post's images, and keeps no secret in the site", async () => {
    const approvedIds = approved.flatMap(idsOf);
    const downloaded = cdnPaths.map((cdnPath) => /\/(\d+)_n\.jpg$/.exec(cdnPath)?.[1]).filter(Boolean);
    expect(downloaded.length).toBeGreaterThan(0);
    for (const id of downloaded) expect(approvedIds).toContain(id);
    const cached = await listFiles(path.join(dirs.cacheDir, 'astro-loader-instagram/customers/images'));
    for (const id of unapproved.flatMap(idsOf)) expect(cached.join('\n')).not.toContain(id);
    const site = await readAllText(dirs.outDir);
    expect(site).not.toContain(fake.token);
  });

  it('keeps the last approved posts when the token loses the comments permission, with one line saying which permission', async () => {
    fake.tokens.get(fake.token)!.scopes = ['instagram_business_basic'];
    try {
      const again = await buildFixture('tagged', dirs, env);
      expect(again.code, again.output).toBe(0);
      expect(again.output).toMatch(
        /astro-loader-instagram \(customers\): Instagram API GET \/\{ig-user-id\}\/tags failed \(code 10\): .*needs the instagram_business_manage_comments permission.*login --tagged.* Kept the 2 posts from the last successful sync\./,
      );
      expect(again.output).not.toContain(fake.token);
      const html = await readFile(path.join(dirs.outDir, 'index.html'), 'utf8');
      for (const post of approved) expect(html).toContain(post.permalink);
    } finally {
      delete fake.tokens.get(fake.token)!.scopes;
    }
  });
});

describe('instagramTaggedLoader without the comments permission and no earlier sync', () => {
  let fake: FakeInstagram;
  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 2, tagged: 2, scopes: ['instagram_business_basic'] });
  });
  afterAll(() => fake?.close());

  it('fails the build with the missing-scope line and its fix', async () => {
    const dirs = await tempSiteDirs('ig-tagged-scope');
    const result = await buildFixture('tagged', dirs, {
      INSTAGRAM_TOKEN: fake.token,
      INSTAGRAM_API_URL: fake.url,
      FIXTURE_APPROVE: '[]',
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      'astro-loader-instagram (customers): Instagram API GET /{ig-user-id}/tags failed (code 10): (#10) Application does not have permission for this action: reading tagged posts needs the instagram_business_manage_comments permission, which this token was not granted.',
    );
    expect(result.output).toContain(
      'Log in again granting instagram_business_manage_comments (npx astro-loader-instagram login --tagged, or add the permission in Meta App Dashboard > Instagram > API setup with Instagram login and generate a new token), then set INSTAGRAM_TOKEN.',
    );
    expect(result.output).not.toContain(fake.token);
  });
});
