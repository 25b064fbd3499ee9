import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { astro, listFiles, repoRoot } from '../helpers/astro.js';
import { codeBlockAfter, createStandaloneSite, packPackages } from '../helpers/pack.js';

/**
 * What a stranger does: `npm install` our packed tarballs into a brand-new Astro site outside the
 * workspace, paste the README's quick start, build and type-check. Run on the Astro 7 the workspace
 * uses and on the lowest version we claim (`peerDependencies.astro: ^6.1.3 || ^7.0.0`).
 */
const workspaceAstro = (JSON.parse(await readFile(path.join(repoRoot, 'node_modules/astro/package.json'), 'utf8')) as { version: string })
  .version;
const LOWEST_ASTRO = '6.1.3';

const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
const quickStart = {
  'src/content.config.ts': codeBlockAfter(readme, '`src/content.config.ts`:'),
  'src/pages/index.astro': codeBlockAfter(readme, 'A page (`src/pages/index.astro`):'),
  // The components, from the installed package.
  'src/pages/components.astro': [
    '---',
    "import { getCollection } from 'astro:content';",
    "import { InstagramFeed, InstagramPost } from 'astro-loader-instagram/components';",
    "const posts = await getCollection('instagram');",
    '---',
    '<InstagramFeed posts={posts} columns={4} />',
    '{posts[0] && <InstagramPost post={posts[0]} />}',
    '',
  ].join('\n'),
  // What `npm create astro` writes.
  'astro.config.mjs': "import { defineConfig } from 'astro/config';\n\nexport default defineConfig({});\n",
  'tsconfig.json': JSON.stringify({ extends: 'astro/tsconfigs/strict', include: ['.astro/types.d.ts', '**/*'], exclude: ['dist'] }),
};

let tarballs: Promise<Record<string, string>> | undefined;
let fake: FakeInstagram;
beforeAll(async () => {
  fake = await startFakeInstagram({ posts: 8, seed: 41 });
});
afterAll(() => fake?.close());

describe.each([workspaceAstro, LOWEST_ASTRO])("a stranger's new Astro %s site with the README quick start", (astroVersion) => {
  let site: { root: string; astroBin: string };
  let env: Record<string, string>;

  beforeAll(async () => {
    const base = await mkdtemp(path.join(tmpdir(), `ig-standalone-${astroVersion}-`));
    tarballs ??= packPackages(path.join(tmpdir(), `ig-tarballs-${process.pid}`));
    const root = path.join(base, 'site');
    const { astroBin } = await createStandaloneSite(root, {
      dependencies: { astro: astroVersion, '@astrojs/check': '^0.9.10', typescript: '^6.0.3' },
      tarballs: await tarballs,
      files: quickStart,
    });
    site = { root, astroBin };
    env = { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url };
  }, 300_000);

  it('installs that exact astro and nothing from the workspace', async () => {
    const installed = JSON.parse(await readFile(path.join(site.root, 'node_modules/astro/package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(astroVersion);
    expect(site.root.startsWith(repoRoot)).toBe(false);
  });

  it('builds with only local images, and rebuilds without touching the CDN', async () => {
    const first = await astro(['build'], { root: site.root, bin: site.astroBin, env }).done;
    expect(first.code, first.output).toBe(0);
    const html = await readFile(path.join(site.root, 'dist/index.html'), 'utf8');
    expect(html.match(/<picture>/g)).toHaveLength(8);
    expect(html).not.toMatch(/cdninstagram|fbcdn|127\.0\.0\.1/);
    const components = await readFile(path.join(site.root, 'dist/components/index.html'), 'utf8');
    expect(components.match(/class="ig-feed__item/g)).toHaveLength(8);
    expect(components).toContain('ig-post__permalink');
    const files = new Set(await listFiles(path.join(site.root, 'dist')));
    for (const [, src] of html.matchAll(/<img[^>]+src="([^"]+)"/g)) expect(files.has(src!.slice(1)), src).toBe(true);

    fake.resetStats();
    const second = await astro(['build'], { root: site.root, bin: site.astroBin, env }).done;
    expect(second.code, second.output).toBe(0);
    expect(fake.stats.cdn).toBe(0);
    expect(second.output).toMatch(/8 unchanged/);
  });

  it('type-checks with astro check', async () => {
    const result = await astro(['check'], { root: site.root, bin: site.astroBin, env }).done;
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/0 errors/);
  });

  it('fails a build it cannot read as our line with the fix as Astro’s hint, and no stack', async () => {
    // A second site on the same install that never synced: no last good feed to keep, so the build fails.
    const fresh = path.join(site.root, 'never-synced');
    for (const [file, text] of Object.entries(quickStart)) {
      await mkdir(path.dirname(path.join(fresh, file)), { recursive: true });
      await writeFile(path.join(fresh, file), text);
    }
    const result = await astro(['build'], {
      root: fresh,
      bin: site.astroBin,
      env: { ...env, INSTAGRAM_TOKEN: 'IGAAdead-token-0000000000000' },
    }).done;
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toMatch(
      /\[AstroUserError\] astro-loader-instagram \(instagram\): Instagram API GET \/me\/media failed \(code 190\): .*\n\s+Hint:\n\s+Generate a new long-lived token/,
    );
    expect(result.output).not.toMatch(/Stack trace|^\s+at /m);
  });
});
