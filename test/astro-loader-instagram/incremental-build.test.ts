import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { astro, copySite, listFiles, type RunResult, repoRoot, tempSiteDirs } from '../helpers/astro.js';

/**
 * What Astro rendered and what it reused, from its own build log: with `experimental.incrementalBuild`
 * each page line of "generating static routes" ends in "(+12ms)" when rendered and "(cached)" or
 * "(restored)" when the previous output was kept.
 */
function pagesOf(output: string) {
  const start = output.indexOf('generating static routes');
  const end = output.indexOf('Completed in', start);
  const lines = output.slice(start, end).split('\n');
  const rendered: string[] = [];
  const reused: string[] = [];
  for (const line of lines) {
    const match = /├─ (\S+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const page = match[1]!.replace(/^\//, '');
    (/\((cached|restored)\)/.test(match[2]!) ? reused : rendered).push(page);
  }
  return { rendered: rendered.sort(), reused: reused.sort() };
}

/** Post pages (`p/<id>/index.html`) only: the pages that list posts (home, layouts, archive) have no cacheKey and always render. */
const postPagesIn = (pages: string[]) => pages.filter((page) => page.startsWith('p/'));

describe('the playground rebuilds only what changed (experimental.incrementalBuild, cacheKey = entry digest)', () => {
  let fake: FakeInstagram;
  let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
  let site: string;
  let first: RunResult;
  const build = () =>
    astro(['build'], {
      root: site,
      env: { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url, ASTRO_OUT_DIR: dirs.outDir, ASTRO_CACHE_DIR: dirs.cacheDir },
    }).done;
  const postPages = async () => (await listFiles(dirs.outDir)).filter((file) => /^p\/.+\/index\.html$/.test(file)).sort();
  /** Every picture a page links to (src and srcset) that is not in dist/: a kept page must keep its images. */
  const missingImages = async () => {
    const files = new Set(await listFiles(dirs.outDir));
    const missing: string[] = [];
    for (const page of [...files].filter((file) => file.endsWith('.html'))) {
      const html = await readFile(path.join(dirs.outDir, page), 'utf8');
      for (const [, url] of html.matchAll(/\ssrc="\/(_astro\/[^"]+)"/g)) {
        if (!files.has(url!)) missing.push(`${page}: ${url}`);
      }
      for (const [, set] of html.matchAll(/srcset="([^"]+)"/g)) {
        for (const candidate of set!.split(',')) {
          const url = candidate.trim().split(/\s+/)[0]!.replace(/^\//, '');
          if (url.startsWith('_astro/') && !files.has(url)) missing.push(`${page}: ${url}`);
        }
      }
    }
    return missing;
  };

  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 12, seed: 14 });
    dirs = await tempSiteDirs('ig-incremental');
    site = await copySite(path.join(repoRoot, 'playground'), dirs.site, { withoutEnvFiles: true });
    first = await build();
  });
  afterAll(() => fake?.close());

  it('renders every page on the first build', async () => {
    expect(first.code, first.output).toBe(0);
    const { rendered, reused } = pagesOf(first.output);
    expect(reused).toEqual([]);
    expect(postPagesIn(rendered)).toHaveLength(12);
    expect(rendered).toContain('index.html');
    expect(await postPages()).toHaveLength(12);
  });

  it('after one new post, renders only its page and the pages that list posts', async () => {
    const [added] = fake.addPosts(1);
    const result = await build();
    expect(result.code, result.output).toBe(0);
    const { rendered, reused } = pagesOf(result.output);
    expect(postPagesIn(rendered)).toEqual([`p/${added!.id}/index.html`]);
    expect(rendered).toContain('index.html');
    expect(reused).toEqual(postPagesIn(reused));
    expect(reused).toHaveLength(12);
    // The kept pages are still in dist/, next to the new one, and the grid links to it.
    const pages = await postPages();
    expect(pages).toHaveLength(13);
    expect(pages).toContain(`p/${added!.id}/index.html`);
    expect(await readFile(path.join(dirs.outDir, 'index.html'), 'utf8')).toContain(`/p/${added!.id}/`);
    expect(await missingImages()).toEqual([]);
  });

  it('re-renders a post whose caption was edited, and nothing else but the pages that list posts', async () => {
    const edited = fake.media.at(-1)!;
    edited.caption = 'Edited after posting: now with opening hours #incremental';
    const result = await build();
    expect(result.code, result.output).toBe(0);
    const { rendered, reused } = pagesOf(result.output);
    expect(postPagesIn(rendered)).toEqual([`p/${edited.id}/index.html`]);
    expect(reused).toEqual(postPagesIn(reused));
    expect(reused).toHaveLength(12);
    expect(await readFile(path.join(dirs.outDir, `p/${edited.id}/index.html`), 'utf8')).toContain(
      'Edited after posting: now with opening hours',
    );
  });

  it('drops the page of a deleted post and renders only the pages that list posts', async () => {
    const deleted = fake.media.at(-2)!;
    fake.removePost(deleted.id);
    const result = await build();
    expect(result.code, result.output).toBe(0);
    const { rendered, reused } = pagesOf(result.output);
    expect(postPagesIn(rendered)).toEqual([]);
    expect(rendered).toContain('index.html');
    expect(reused).toEqual(postPagesIn(reused));
    expect(reused).toHaveLength(12);
    const pages = await postPages();
    expect(pages).toHaveLength(12);
    expect(pages).not.toContain(`p/${deleted.id}/index.html`);
  });
});
