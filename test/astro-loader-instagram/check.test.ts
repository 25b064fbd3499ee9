import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { checkForChanges } from 'astro-loader-instagram/check';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareCollection } from '../../packages/astro-loader-instagram/dist/check/compare.js';
import type { CollectionState, SiteStatePost } from '../../packages/astro-loader-instagram/dist/site-state/shape.js';
import { buildFixture, repoRoot, tempSiteDirs } from '../helpers/astro.js';
import { runCli } from '../helpers/cli.js';
import { serveStatic } from '../helpers/static-server.js';

/** A build hook on loopback that counts POSTs; its path stands for the secret a real hook URL holds. */
async function startHookServer() {
  let posts = 0;
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST') posts++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}/build_hooks/hook-secret-5f3a9c`,
    get posts() {
      return posts;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('check: rebuild only when Instagram changed', () => {
  let fake: FakeInstagram;
  let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
  let env: Record<string, string>;
  let site: Awaited<ReturnType<typeof serveStatic>>;
  let hook: Awaited<ReturnType<typeof startHookServer>>;

  const build = async () => {
    const result = await buildFixture('integration', dirs, env);
    expect(result.code, result.output).toBe(0);
    return result;
  };
  /** The real CLI, from a folder without a token store. */
  const check = (args: string[], extraEnv: Record<string, string> = {}) =>
    runCli(['check', ...args], { cwd: dirs.base, env: { ...env, ...extraEnv } });

  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 30, seed: 14 });
    dirs = await tempSiteDirs('ig-check');
    env = { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url };
    const first = await build();
    expect(first.output).toMatch(/Published the Instagram state file at \/_instagram\/state\.json/);
    site = await serveStatic(dirs.outDir);
    hook = await startHookServer();
  });
  afterAll(async () => {
    await site?.close();
    await hook?.close();
    await fake?.close();
  });

  it('publishes a state file with the newest post, the count and the newest page, and nothing secret', async () => {
    const text = await readFile(path.join(dirs.outDir, '_instagram/state.json'), 'utf8');
    const state = JSON.parse(text);
    expect(state.version).toBe(1);
    const collection = state.collections.instagram as CollectionState;
    expect(collection).toMatchObject({ account: 'demo.studio', posts: 30, listed: 30, newest: { id: fake.media[0]?.id } });
    expect(collection.newestPage.coversFrom).toBeUndefined(); // 30 posts: the page is the whole account
    expect(collection.newestPage.posts.map((post) => post.id)).toEqual(fake.media.map((post) => post.id));
    expect(collection.newestPage.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Leak scan: no token, no URL (signed CDN URLs, paging URLs), no caption text.
    expect(text).not.toContain(fake.token);
    expect(text).not.toMatch(/https?:|oh=|access_token/);
    const caption = fake.media.find((post) => (post.caption ?? '').length > 20)?.caption ?? '';
    expect(caption).not.toBe('');
    expect(text).not.toContain(caption.slice(0, 20));
    // The profile collection is not a feed: it has no state.
    expect(Object.keys(state.collections)).toEqual(['instagram']);
  });

  it('says unchanged right after a build, from the URL and from dist/, in at most 2 API requests, and calls no hook', async () => {
    fake.resetStats();
    const fromUrl = await check(['--site', site.url, '--hook', hook.url]);
    expect(fromUrl.code, fromUrl.stderr).toBe(0);
    expect(fromUrl.stdout.trim()).toMatch(
      new RegExp(`^unchanged: newest post ${fake.media[0]?.id} from \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC$`),
    );
    expect(fake.stats.api).toBe(2); // the newest page and media_count
    const fromDist = await check(['--site', dirs.outDir]);
    expect(fromDist.code, fromDist.stderr).toBe(0);
    expect(fromDist.stdout.trim()).toBe(fromUrl.stdout.trim());
    expect(hook.posts).toBe(0);
  });

  it('catches a new post: calls the hook exactly once, never prints its secret, then says unchanged after a rebuild', async () => {
    const post = fake.publish();
    const exitCode = await check(['--site', site.url, '--exit-code']);
    expect(exitCode.code).toBe(1);
    expect(exitCode.stdout.trim()).toBe('changed: 1 new post');
    expect(hook.posts).toBe(0);

    const hooked = await check(['--site', site.url, '--hook', hook.url]);
    expect(hooked.code, hooked.stderr).toBe(0);
    expect(hooked.stdout.trim()).toBe('changed: 1 new post; build hook called (200)');
    expect(hook.posts).toBe(1);
    expect(`${hooked.stdout}${hooked.stderr}`).not.toContain('hook-secret-5f3a9c');

    await build();
    const after = await check(['--site', site.url, '--hook', hook.url]);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout.trim()).toMatch(new RegExp(`^unchanged: newest post ${post.id} from `));
    expect(hook.posts).toBe(1);
  });

  it('catches a deleted post and an edited caption among the newest page', async () => {
    const deleted = fake.media[3]!.id;
    fake.remove(deleted);
    const afterDelete = await check(['--site', site.url]);
    expect(afterDelete.code, afterDelete.stderr).toBe(0);
    expect(afterDelete.stdout.trim()).toBe('changed: 1 deleted post');

    const edited = fake.media[5]!.id;
    fake.editCaption(edited, 'Closed on Monday for the holiday.');
    const afterEdit = await check(['--site', site.url, '--hook', hook.url]);
    expect(afterEdit.code, afterEdit.stderr).toBe(0);
    expect(afterEdit.stdout.trim()).toBe(`changed: 1 deleted post, caption edited on ${edited}; build hook called (200)`);
    expect(hook.posts).toBe(2);
  });

  it('is importable as checkForChanges(), returning what changed', async () => {
    fake.resetStats();
    const result = await checkForChanges({ site: site.url, token: fake.token, apiUrl: fake.url });
    expect(result).toMatchObject({
      changed: true,
      apiRequests: 2,
      line: expect.stringMatching(/^changed: 1 deleted post, caption edited on \d+$/),
    });
    expect(result.collections).toEqual([
      expect.objectContaining({
        collection: 'instagram',
        account: 'demo.studio',
        status: 'changed',
        newest: expect.objectContaining({ id: fake.media[0]?.id }),
      }),
    ]);
    expect(fake.stats.api).toBe(2);
  });

  it('exits 2 with one line and calls no hook when the token is dead or the state file is missing', async () => {
    const dead = await check(['--site', site.url, '--hook', hook.url], { INSTAGRAM_TOKEN: 'IGAAdead-token-0000' });
    expect(dead.code).toBe(2);
    expect(dead.stdout).toBe('');
    expect(dead.stderr.trim().split('\n')).toHaveLength(1);
    expect(dead.stderr).toMatch(/^astro-loader-instagram check: Could not read Instagram: /);
    expect(dead.stderr).not.toContain('IGAAdead-token-0000');

    // A rate limit is not waited out (the next scheduled check tries again), nor a reason to rebuild.
    const lift = fake.rateLimit({ forMs: 60_000, minutesToRegain: 5 });
    const limited = await check(['--site', site.url, '--hook', hook.url]);
    lift();
    expect(limited.code).toBe(2);
    expect(limited.stderr.trim().split('\n')).toHaveLength(1);
    expect(limited.stderr).toMatch(/^astro-loader-instagram check: Could not read Instagram: .*rate-limit/i);

    const noState = await check(['--site', dirs.base, '--hook', hook.url]);
    expect(noState.code).toBe(2);
    expect(noState.stderr).toMatch(/No Instagram state file at .*state\.json\. Add the integration/);

    const unreachable = await check(['--site', 'http://127.0.0.1:1', '--hook', hook.url]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/The site is unreachable: GET http:\/\/127\.0\.0\.1:1\/_instagram\/state\.json failed/);
    expect(hook.posts).toBe(2);
  });
  it("a build that keeps the last good feed publishes that feed's state again, so check still sees the change", async () => {
    const before = JSON.parse(await readFile(path.join(dirs.outDir, '_instagram/state.json'), 'utf8'));
    const kept = await buildFixture('integration', dirs, { ...env, INSTAGRAM_TOKEN: 'IGAAdead-token-0000' });
    expect(kept.code, kept.output).toBe(0);
    expect(kept.output).toMatch(/keep|kept/i);
    const after = JSON.parse(await readFile(path.join(dirs.outDir, '_instagram/state.json'), 'utf8'));
    expect(after.collections).toEqual(before.collections);
    const result = await check(['--site', dirs.outDir]);
    expect(result.stdout.trim()).toMatch(/^changed: 1 deleted post, caption edited on \d+$/);
  });
});

describe('compareCollection on full pages', () => {
  const post = (n: number): SiteStatePost => ({
    id: String(1000 + n),
    time: new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString(),
    digest: `d${n}`,
  });
  /** Posts n..m, newest first. */
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => post(to - i));
  const built = (posts: SiteStatePost[], listed?: number): CollectionState => ({
    account: 'a',
    posts: listed ?? posts.length,
    newest: null,
    ...(listed === undefined ? {} : { listed }),
    newestPage: { digest: '', coversFrom: posts.at(-1)?.time ?? '', posts },
  });

  it('does not count the post a new one pushed off a full page as deleted', () => {
    const changes = compareCollection(built(range(1, 100), 150), { posts: range(2, 101), truncated: true, mediaCount: 151 });
    expect(changes).toEqual({ added: ['1101'], deleted: [], edited: [] });
  });

  it('sees a deletion beyond the newest page only in media_count', () => {
    const changes = compareCollection(built(range(51, 150), 150), { posts: range(51, 150), truncated: true, mediaCount: 149 });
    expect(changes).toEqual({ added: [], deleted: [], edited: [], count: { before: 150, now: 149 } });
  });
});

describe('astro-loader-instagram/check for scheduled functions', () => {
  /** Bare imports reachable from a built module, following its relative imports. */
  async function bareImports(file: string, seen = new Set<string>(), bare = new Set<string>()): Promise<Set<string>> {
    if (seen.has(file)) return bare;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(['"]([^'"]+)['"]\)/g)) {
      const specifier = match[1] ?? match[2];
      if (!specifier) continue;
      if (specifier.startsWith('.')) await bareImports(path.resolve(path.dirname(file), specifier), seen, bare);
      else bare.add(specifier);
    }
    return bare;
  }

  it('imports neither Astro nor sharp', async () => {
    const entry = path.join(repoRoot, 'packages/astro-loader-instagram/dist/check/index.js');
    const imports = [...(await bareImports(entry))];
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((name) => !name.startsWith('node:') && name !== 'instagram-graph')).toEqual([]);
  });
});
