import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type FakeInstagram, type FakeMedia, startFakeInstagram } from 'fake-instagram';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { astro, copySite, listFiles, repoRoot, tempSiteDirs } from '../helpers/astro.js';
import { launchChromium } from '../helpers/browser.js';

/**
 * The playground's post pages, archive and layout pages, in one real `astro build` of a private copy
 * against a fake account of 30 posts (three archive pages of 12), one of them with a caption that
 * tries to break out of the JSON-LD `<script>`.
 */
const SITE = 'https://studio.example';
const HOSTILE_CAPTION = `</script><script>alert(1)</script> "Double" & 'single' quotes <!-- still data`;

/** The parts of the JSON-LD the tests read. */
interface PostingJsonLd {
  headline: string;
  articleBody?: string;
  image: Array<{ '@type': string; contentUrl: string }>;
  sharedContent: unknown[];
  [key: string]: unknown;
}

const GERMAN_PAGE = (id: string) => `---
import { getEntry } from 'astro:content';
import { InstagramPost } from 'astro-loader-instagram/components';
const entry = (await getEntry('instagram', '${id}'))!;
---
<html lang="de"><head><title>Beitrag</title></head><body>
<InstagramPost post={entry} locale="de" transitionName={false} labels={{
  viewOnInstagram: 'Auf Instagram ansehen',
  likes: (n) => \`\${n} „Gefällt mir“-Angaben\`,
  comments: (n) => \`\${n} Kommentare\`,
  slide: (i, total) => \`Bild \${i} von \${total}\`,
  chooseImage: 'Bild wählen',
  carouselKeys: 'Mit den Pfeiltasten blättern',
}} />
</body></html>
`;

let fake: FakeInstagram;
let dist: string;
let hostile: FakeMedia;
let album: FakeMedia;
let browser: Browser;
/** One tab for every page parsed, so 40 pages cost 40 parses and not 40 tabs. */
let tab: Page;
/** Alerts the tab raised since the last parse. */
let alerts: string[] = [];

const read = (route: string) => readFile(path.join(dist, route, 'index.html'), 'utf8');

/** What a browser's HTML parser makes of a built page (scripts run, network cut off), and the alerts it raised. */
async function parsed(route: string) {
  alerts = [];
  await tab.setContent(await read(route), { waitUntil: 'domcontentloaded' });
  const head = await tab.evaluate(() => {
    const tag = (key: string) => document.querySelector<HTMLMetaElement>(`meta[property="${key}"], meta[name="${key}"]`)?.content;
    const keys = ['og:type', 'og:title', 'og:description', 'og:url', 'og:image', 'og:image:width', 'og:image:height', 'og:image:alt'];
    const twitter = ['twitter:card', 'twitter:image', 'twitter:title'];
    return {
      meta: Object.fromEntries([...keys, ...twitter].map((key) => [key, tag(key)])),
      canonical: document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.getAttribute('href'),
      scripts: [...document.scripts].map((script) => ({ type: script.type, text: script.text })),
      prev: [...document.querySelectorAll('[rel="prev"]')].map((el) => el.getAttribute('href')),
      next: [...document.querySelectorAll('[rel="next"]')].map((el) => el.getAttribute('href')),
      current: [...document.querySelectorAll('nav[aria-label="Archive pages"] a[aria-current="page"]')].map((a) =>
        a.textContent?.replace(/\s+/g, ' ').trim(),
      ),
      postLinks: [...new Set([...document.querySelectorAll('a[href^="/p/"]')].map((a) => a.getAttribute('href')))],
      archiveLinks: document.querySelectorAll('a[href="/instagram/"]').length,
      transitionNames: [...document.querySelectorAll<HTMLElement>('[style*="view-transition-name"]')].map((el) =>
        el.style.getPropertyValue('view-transition-name'),
      ),
      text: document.body.textContent ?? '',
      labelled: [...document.querySelectorAll('[aria-label]')].map((el) => el.getAttribute('aria-label')!),
    };
  });
  const jsonLd = head.scripts.filter((script) => script.type === 'application/ld+json');
  return { ...head, alerts: [...alerts], jsonLd: jsonLd.length === 1 ? parseJson(jsonLd[0]!.text) : undefined };
}

/** The JSON-LD, or undefined when it does not parse (a test then fails on what it expected, not here). */
function parseJson(text: string): PostingJsonLd | undefined {
  try {
    return JSON.parse(text) as PostingJsonLd;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  // First, so a missing chromium fails (with launchChromium()'s one line) before the build.
  browser = await launchChromium();
  fake = await startFakeInstagram({ posts: 30, seed: 3 });
  hostile = fake.media.find((media) => media.media_type === 'IMAGE')!;
  fake.editCaption(hostile.id, HOSTILE_CAPTION);
  // An album with a video among its images: the video is shared as a VideoObject.
  album = fake.media.find((media) => media.children?.some((child) => child.media_type === 'VIDEO'))!;
  album.like_count = 1234;
  album.comments_count = 5;
  const dirs = await tempSiteDirs('post-pages');
  const root = await copySite(path.join(repoRoot, 'playground'), dirs.site, { withoutEnvFiles: true });
  // A page of a German site: <InstagramPost> with its own words, a locale, and no transition name.
  await writeFile(path.join(root, 'src/pages/de.astro'), GERMAN_PAGE(album.id));
  const build = await astro(['build'], {
    root,
    env: { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url, ASTRO_OUT_DIR: dirs.outDir, ASTRO_CACHE_DIR: dirs.cacheDir },
  }).done;
  expect(build.code, `the playground build failed:\n${build.output}`).toBe(0);
  dist = dirs.outDir;
  tab = await browser.newPage();
  tab.on('dialog', async (dialog) => {
    alerts.push(dialog.message());
    await dialog.dismiss();
  });
  // The built pages' own files are not needed to parse them; nothing may leave the machine.
  await tab.route('**/*', (request) => request.abort());
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await fake?.close();
});

describe('post pages: <InstagramPostMeta> in the head', () => {
  it("canonical, Open Graph and Twitter card point at the site's own JPEG, absolute under `site`, with its real size", async () => {
    const { meta, canonical } = await parsed(`p/${album.id}`);
    const url = `${SITE}/p/${album.id}/`;
    expect(canonical).toBe(url);
    expect(meta['og:type']).toBe('article');
    expect(meta['og:url']).toBe(url);
    expect(meta['og:title']?.length).toBeGreaterThan(0);
    expect(meta['twitter:card']).toBe('summary_large_image');
    const image = meta['og:image']!;
    expect(image.startsWith(`${SITE}/_astro/`), image).toBe(true);
    expect(meta['twitter:image']).toBe(image);
    const file = path.join(dist, new URL(image).pathname);
    expect(existsSync(file), `${image} is not in dist/`).toBe(true);
    const { width, height, format } = await sharp(file).metadata();
    expect(format).toBe('jpeg');
    expect(meta['og:image:width']).toBe(String(width));
    expect(meta['og:image:height']).toBe(String(height));
    expect(width).toBeLessThanOrEqual(1200);
    expect(meta['og:image:alt']?.length).toBeGreaterThan(0);
  });

  it('SocialMediaPosting JSON-LD: author, date, one ImageObject per album image, the video as a VideoObject, each file in dist/', async () => {
    const { jsonLd } = await parsed(`p/${album.id}`);
    expect(jsonLd).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'SocialMediaPosting',
      url: `${SITE}/p/${album.id}/`,
      datePublished: new Date(album.timestamp).toISOString(),
      author: { '@type': 'Person', url: `https://www.instagram.com/${album.username}/` },
      sameAs: [album.permalink],
    });
    expect(jsonLd!.headline.length).toBeGreaterThan(0);
    expect(jsonLd!.image).toHaveLength(album.children!.length);
    for (const image of jsonLd!.image) {
      expect(image['@type']).toBe('ImageObject');
      expect(existsSync(path.join(dist, new URL(image.contentUrl).pathname)), image.contentUrl).toBe(true);
    }
    const shared = jsonLd!.sharedContent as Array<Record<string, string>>;
    for (const [index, child] of album.children!.entries()) {
      if (child.media_type === 'IMAGE') {
        expect(shared[index]).toEqual(jsonLd!.image[index]);
        continue;
      }
      expect(shared[index]).toMatchObject({ '@type': 'VideoObject', thumbnailUrl: jsonLd!.image[index]!.contentUrl });
      const video = new URL(shared[index]!.contentUrl!);
      expect(video.origin).toBe(SITE);
      expect(existsSync(path.join(dist, video.pathname)), `${video} is not in dist/`).toBe(true);
    }
  });

  it('a caption holding </script> and quotes stays data: nothing runs, and the JSON-LD and tags give it back whole', async () => {
    const { scripts, alerts, jsonLd, meta } = await parsed(`p/${hostile.id}`);
    expect(alerts).toEqual([]);
    expect(scripts.map((script) => script.type)).toEqual(['application/ld+json']);
    expect(jsonLd?.articleBody, 'the JSON-LD parses and holds the caption').toBe(HOSTILE_CAPTION);
    expect(meta['og:title']).toBe(jsonLd!.headline);
    expect(meta['og:description']).toBe(HOSTILE_CAPTION);
  });

  it('the main image carries view-transition-name ig-<id>, and the site turns on cross-document view transitions', async () => {
    const { transitionNames } = await parsed(`p/${hostile.id}`);
    expect(transitionNames).toEqual([`ig-${hostile.id}`]);
    const files = (await listFiles(dist)).filter((file) => file.endsWith('.css') || file === 'index.html');
    const css = (await Promise.all(files.map((file) => readFile(path.join(dist, file), 'utf8')))).join('\n');
    expect(css).toMatch(/@view-transition\s*\{\s*navigation:\s*auto/);
  });
});

describe('<InstagramPost> on a German page', () => {
  it('shows its labels and locale-formatted counts, and no view-transition-name with transitionName={false}', async () => {
    const { text, transitionNames, labelled } = await parsed('de');
    expect(text).toContain('Auf Instagram ansehen');
    expect(text).toContain('1.234 „Gefällt mir“-Angaben');
    expect(text).toContain('5 Kommentare');
    expect(text).not.toMatch(/View on Instagram|\d likes|\d comments/);
    expect(labelled).toEqual(
      expect.arrayContaining(['Bild wählen', 'Mit den Pfeiltasten blättern', `Bild 1 von ${album.children!.length}`]),
    );
    expect(labelled.join('\n')).not.toMatch(/Choose an image|arrow keys|^\d+ of \d+$/m);
    expect(transitionNames).toEqual([]);
  });
});

describe('the archive and the other pages', () => {
  it('paginates 30 posts as /instagram/, /instagram/2/, /instagram/3/ with rel prev/next and aria-current', async () => {
    expect(existsSync(path.join(dist, 'instagram/4/index.html'))).toBe(false);
    const expected = [
      { route: 'instagram', prev: undefined, next: '/instagram/2/', posts: 12 },
      { route: 'instagram/2', prev: '/instagram/', next: '/instagram/3/', posts: 12 },
      { route: 'instagram/3', prev: '/instagram/2/', next: undefined, posts: 6 },
    ];
    for (const [index, { route, prev, next, posts }] of expected.entries()) {
      const archive = await parsed(route);
      // Once as <link> in the head, once as the visible link.
      expect(archive.prev, `${route} prev`).toEqual(prev ? [prev, prev] : []);
      expect(archive.next, `${route} next`).toEqual(next ? [next, next] : []);
      expect(archive.current, route).toEqual([`Page ${index + 1}`]);
      expect(archive.postLinks, `${route}: links to post pages`).toHaveLength(posts);
    }
  });

  it('the home page links to the archive; each layout page exists and shows the props it uses', async () => {
    expect((await parsed('.')).archiveLinks).toBeGreaterThan(0);
    for (const layout of ['grid', 'masonry', 'justified', 'carousel', 'video']) {
      const { text } = await parsed(`layouts/${layout}`);
      expect(text, layout).toContain(layout === 'video' ? 'video="autoplay"' : `layout="${layout}"`);
    }
  });

  it('no page has an executable <script>: only JSON-LD data', async () => {
    const pages = (await listFiles(dist)).filter((file) => file.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(30);
    for (const file of pages) {
      const { scripts } = await parsed(path.dirname(file));
      expect(
        scripts.filter((script) => script.type !== 'application/ld+json'),
        file,
      ).toEqual([]);
    }
  });
});
