import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/astro.js';
import { loadAllImages, openPage } from '../helpers/browser.js';
import { buildPlayground } from '../helpers/playground.js';
import { buildAndServe, SETUP_TIMEOUT_MS, type SiteInBrowser } from '../helpers/site-in-browser.js';

/**
 * What a visitor sees: the playground built against the demo feed, served from dist/ on
 * 127.0.0.1, driven in Debian's chromium. Screenshots land in test/output/screenshots/.
 */
const outputDir = path.join(repoRoot, 'test/output');
const screenshots = path.join(outputDir, 'screenshots');

let site: SiteInBrowser;
let browser: Browser;
let origin: string;

/** Opens a page of the demo site `width` px wide, recording requests and errors. */
const open = (url: string, width = 1280) => openPage(browser, url, width);

beforeAll(async () => {
  site = await buildAndServe('the playground', () => buildPlayground('e2e-playground'));
  ({ browser, url: origin } = site);
  expect(site.output).toMatch(/DEMO feed/);
  await mkdir(screenshots, { recursive: true });
}, SETUP_TIMEOUT_MS);

afterAll(() => site?.close());

describe('the demo site in a real browser', () => {
  it('home: every grid image loads from the site itself; nothing leaves 127.0.0.1; no console errors', async () => {
    const { page, requests, problems } = await open(`${origin}/`);
    // The home page shows 12 tiles and the rest behind "Show more": open it as a visitor would.
    await page.getByText('Show more', { exact: true }).click();
    await loadAllImages(page);
    // The tiles' own images (each tile's lightbox holds more, loaded only when opened).
    const images = await page.$$eval('.ig-feed__tile img', (imgs) =>
      imgs.map((img) => ({ src: img.currentSrc, width: img.naturalWidth, name: img.closest('button, a')?.textContent?.trim() ?? '' })),
    );
    expect(images.length).toBe(24);
    for (const image of images) {
      expect(image.width, image.src).toBeGreaterThan(0);
      expect(new URL(image.src).origin).toBe(origin);
      expect(image.name.length, `tile of ${image.src} has no name`).toBeGreaterThan(0);
    }
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a post page shows its caption and permalink', async () => {
    const home = await open(`${origin}/`);
    const firstPost = await home.page.$eval('.ig-feed a[href^="/p/"]', (a) => (a as HTMLAnchorElement).href);
    await home.page.close();
    const { page, problems, requests } = await open(firstPost);
    const caption = await page.textContent('.ig-post__caption');
    expect(caption?.trim().length).toBeGreaterThan(0);
    expect(await page.getAttribute('.ig-post__permalink', 'href')).toMatch(/^https:\/\/www\.instagram\.com\/(p|reel)\//);
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a carousel scrolls to its second image by keyboard', async () => {
    // The archive's tiles are links (no lightbox); the demo feed has an album among its first 8 posts.
    const archive = await open(`${origin}/instagram/`);
    const albumHref = await archive.page.$eval('.ig-feed a[href^="/p/"]:has(.ig-feed__badge)', (a) => (a as HTMLAnchorElement).href);
    await archive.page.close();
    const { page } = await open(albumHref);
    const track = page.locator('.ig-carousel__track');
    await expect.poll(() => track.count()).toBe(1);
    await track.focus();
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const el = document.querySelector('.ig-carousel__track')!;
            const [first, second] = [...el.children] as HTMLElement[];
            return Math.abs(el.scrollLeft - (second!.offsetLeft - first!.offsetLeft)) < 2;
          }),
        { timeout: 5000 },
      )
      .toBe(true);
    await page.close();
  });

  it('accessibility basics: images have alt, headings in order, links have names', async () => {
    const home = await open(`${origin}/`);
    const postHref = await home.page.$eval('.ig-feed a[href^="/p/"]', (a) => (a as HTMLAnchorElement).href);
    for (const page of [home.page, (await open(postHref)).page]) {
      const report = await page.evaluate(() => {
        const missingAlt = [...document.images].filter((img) => !img.hasAttribute('alt')).map((img) => img.src);
        const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1]));
        const skipped = levels.filter((level, i) => i > 0 && level > levels[i - 1]! + 1);
        const unnamedLinks = [...document.querySelectorAll('a')]
          .filter((a) => !(a.textContent?.trim() || a.getAttribute('aria-label') || a.querySelector('img[alt]:not([alt=""])')))
          .map((a) => a.outerHTML.slice(0, 80));
        return { missingAlt, levels, skipped, unnamedLinks };
      });
      expect(report.missingAlt).toEqual([]);
      expect(report.levels[0]).toBe(1);
      expect(report.skipped).toEqual([]);
      expect(report.unnamedLinks).toEqual([]);
      await page.close();
    }
  });

  it('looks right on a phone and on a desktop (screenshots kept under test/output/screenshots)', async () => {
    for (const width of [390, 1280]) {
      const { page } = await open(`${origin}/`, width);
      await loadAllImages(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(screenshots, `home-${width}.png`), fullPage: false });
      const postHref = await page.$eval('.ig-feed a[href^="/p/"]', (a) => (a as HTMLAnchorElement).href);
      await page.goto(postHref);
      await page.screenshot({ path: path.join(screenshots, `post-${width}.png`) });
      await page.close();
    }
  });
});
