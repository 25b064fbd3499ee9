import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, listFiles, readAllText, repoRoot, tempSiteDirs } from '../helpers/astro.js';
import { seriousViolations } from '../helpers/axe.js';
import { buildAndServe, SETUP_TIMEOUT_MS, type SiteInBrowser } from '../helpers/site-in-browser.js';

/**
 * <InstagramLightbox> in a real browser: the `lightbox` fixture (a trigger and a lightbox for a
 * photo, an album, a local video and a video Instagram gave no file for) built once against the
 * fake API, served from dist/ on 127.0.0.1 and driven in Debian's chromium without any script.
 */
const screenshots = path.join(repoRoot, 'test/output/screenshots/lightbox');
/** `HTMLMediaElement.NETWORK_IDLE`: a `preload="none"` video that has not started loading. */
const HTML_MEDIA_NETWORK_IDLE = 1;
type Kind = 'photo' | 'album' | 'video' | 'remote-video';

let fake: FakeInstagram;
let site: SiteInBrowser;
let browser: Browser;
let outDir: string;

/** The fixture page at `width`, recording every request it makes. */
async function open(width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, reducedMotion: 'reduce' });
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  await page.goto(`${site.url}/`, { waitUntil: 'load' });
  return { page, requests, problems };
}

const trigger = (kind: Kind) => `button.trigger[data-kind="${kind}"]`;
/** The lightbox a trigger opens, found through its own `commandfor`. */
async function dialogOf(page: Page, kind: Kind) {
  const id = await page.getAttribute(trigger(kind), 'commandfor');
  expect(id, `the ${kind} trigger has no commandfor`).toBeTruthy();
  return page.locator(`dialog[id="${id}"]`);
}
const isOpen = (page: Page, kind: Kind) =>
  page.$eval(trigger(kind), (button) => document.getElementById(button.getAttribute('commandfor')!)!.matches(':modal'));
const focusedKind = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.kind ?? null);

/** Every URL an image or poster in the lightbox would load, resolved against the page. */
async function lightboxImageUrls(page: Page, kind: Kind): Promise<string[]> {
  const dialog = await dialogOf(page, kind);
  return dialog.evaluate((element) => {
    const urls = new Set<string>();
    const add = (url: string | null) => url && !url.startsWith('data:') && urls.add(new URL(url, document.baseURI).href);
    for (const img of element.querySelectorAll('img')) add(img.getAttribute('src'));
    for (const video of element.querySelectorAll('video')) add(video.getAttribute('poster'));
    for (const source of element.querySelectorAll('source[srcset], img[srcset]'))
      for (const candidate of source.getAttribute('srcset')!.split(',')) add(candidate.trim().split(/\s+/)[0]!);
    return [...urls];
  });
}

/** Opens by clicking the trigger and waits until the first image of the lightbox has loaded. */
async function openByClick(page: Page, kind: Kind) {
  await page.click(trigger(kind));
  await expect.poll(() => isOpen(page, kind)).toBe(true);
  const dialog = await dialogOf(page, kind);
  await dialog.evaluate(async (element) => {
    const img = element.querySelector('img');
    if (img && !img.complete) await new Promise((resolve) => img.addEventListener('load', resolve, { once: true }));
  });
  return dialog;
}

beforeAll(async () => {
  // 20 posts hold every kind: albums, a video with its MP4 and one with licensed audio (no file).
  fake = await startFakeInstagram({ posts: 20, seed: 13 });
  const dirs = await tempSiteDirs('e2e-lightbox');
  const env = { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url };
  // Real scrollbars: opening a lightbox could shift the page.
  site = await buildAndServe('the lightbox fixture', () => buildFixture('lightbox', dirs, env), { scrollbars: true });
  ({ browser, outDir } = site);
  await mkdir(screenshots, { recursive: true });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await site?.close();
  await fake?.close();
});

describe('<InstagramLightbox> without script, in Chromium', () => {
  it('builds to HTML and CSS only: no <script> anywhere in dist, a dialog per trigger', async () => {
    const pages = (await listFiles(outDir)).filter((file) => file.endsWith('.html'));
    const text = await readAllText(outDir);
    expect(text.match(/<script\b/gi) ?? []).toEqual([]);
    expect((await listFiles(outDir)).filter((file) => file.endsWith('.js'))).toEqual([]);
    const html = await readFile(path.join(outDir, pages.find((file) => file === 'index.html')!), 'utf8');
    expect(html.match(/<dialog\b/g)).toHaveLength(4);
    expect(html.match(/command="show-modal"/g)).toHaveLength(4);
  });

  it('keyboard: Tab reaches the trigger, Enter opens, the large image loads, Esc closes, focus is back on the trigger', async () => {
    const { page, requests, problems } = await open();
    await page.keyboard.press('Tab');
    expect(await focusedKind(page)).toBe('photo');
    await page.keyboard.press('Enter');
    await expect.poll(() => isOpen(page, 'photo')).toBe(true);
    const dialog = await dialogOf(page, 'photo');
    // The page behind is inert: the dialog holds focus.
    expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    await page.waitForFunction(
      (id) => {
        const img = document.getElementById(id!)!.querySelector('img')!;
        return img.complete && img.naturalWidth > 0;
      },
      await dialog.getAttribute('id'),
      { timeout: 30_000 },
    );
    const image = await dialog.locator('img').evaluate((img: HTMLImageElement) => img.currentSrc);
    expect(new URL(image).origin).toBe(site.url);
    expect(requests).toContain(image);
    await page.keyboard.press('Escape');
    await expect.poll(() => isOpen(page, 'photo')).toBe(false);
    expect(await focusedKind(page)).toBe('photo');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the visible Close button closes it and focus returns to the trigger; so does a click on the backdrop', async () => {
    const { page } = await open();
    const dialog = await openByClick(page, 'photo');
    const close = dialog.getByRole('button', { name: 'Close' });
    expect(await close.isVisible()).toBe(true);
    await close.click();
    await expect.poll(() => isOpen(page, 'photo')).toBe(false);
    expect(await focusedKind(page)).toBe('photo');
    // A click on the dimmed backdrop beside it closes it too (`closedby="any"`).
    await openByClick(page, 'photo');
    await page.mouse.click(4, 450);
    await expect.poll(() => isOpen(page, 'photo')).toBe(false);
    await page.close();
  });

  it('nothing of a lightbox loads before it opens: no image, source or poster request', async () => {
    const { page, requests } = await open();
    await page.waitForLoadState('networkidle');
    const kinds: Kind[] = ['photo', 'album', 'video', 'remote-video'];
    const lightboxUrls = (await Promise.all(kinds.map((kind) => lightboxImageUrls(page, kind)))).flat();
    // Each lightbox has at least one image or poster (an album one per slide).
    expect(lightboxUrls.length).toBeGreaterThanOrEqual(kinds.length + 1);
    expect(requests.filter((url) => lightboxUrls.includes(url))).toEqual([]);
    // The check can fail: opening requests one of them.
    await openByClick(page, 'photo');
    expect(requests.filter((url) => lightboxUrls.includes(url)).length).toBeGreaterThan(0);
    await page.close();
  });

  it('an album goes to its second image by the slide link and by the arrow keys', async () => {
    const { page } = await open();
    await page.evaluate(() => window.scrollTo(0, 40));
    const dialog = await openByClick(page, 'album');
    const strip = dialog.locator('.ig-lightbox__strip');
    const slides = dialog.locator('.ig-lightbox__slide');
    expect(await slides.count()).toBeGreaterThan(1);
    expect(await slides.nth(1).getAttribute('aria-label')).toBe(`2 of ${await slides.count()}`);
    const secondInView = () =>
      strip.evaluate((element) => {
        const box = element.getBoundingClientRect();
        const second = element.children[1]!.getBoundingClientRect();
        return Math.abs(second.left - box.left) < 2;
      });
    expect(await strip.evaluate((element) => element.scrollLeft)).toBe(0);
    await dialog.getByRole('link', { name: `2 of ${await slides.count()}` }).click();
    await expect.poll(secondInView).toBe(true);
    expect(await isOpen(page, 'album')).toBe(true);
    // Following the slide link moved the strip, not the page behind.
    expect(await page.evaluate(() => window.scrollY)).toBe(40);

    // By keyboard: back to the start, then one arrow press to the right.
    await strip.evaluate((element) => element.scrollTo({ left: 0, behavior: 'instant' }));
    await strip.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => strip.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
    await expect.poll(secondInView).toBe(true);
    await page.close();
  });

  it('the page behind neither scrolls nor shifts while a lightbox is open', async () => {
    const { page } = await open();
    // Scrolled a little, the trigger still whole in view (so the click itself scrolls nothing).
    await page.evaluate(() => window.scrollTo(0, 40));
    // A classic scrollbar takes room, which hiding it would give back to the page.
    expect(await page.evaluate(() => window.innerWidth - document.documentElement.clientWidth)).toBeGreaterThan(0);
    const before = await page.$eval(trigger('album'), (element) => element.getBoundingClientRect().toJSON());
    await openByClick(page, 'album');
    const after = await page.$eval(trigger('album'), (element) => element.getBoundingClientRect().toJSON());
    // Hiding the scrollbar moves nothing: its gutter stays reserved.
    expect(after).toEqual(before);
    // The wheel over the backdrop and over the lightbox, and the page keys, leave the page where it was.
    await page.mouse.move(4, 450);
    await page.mouse.wheel(0, 600);
    await page.mouse.move(640, 450);
    await page.mouse.wheel(0, 600);
    await page.keyboard.press('PageDown');
    await page.keyboard.press('End');
    // A scroll that did happen shows by the next frame; wait two.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await page.evaluate(() => window.scrollY)).toBe(40);
    await page.keyboard.press('Escape');
    await expect.poll(() => isOpen(page, 'album')).toBe(false);
    expect(await page.evaluate(() => window.scrollY)).toBe(40);
    await page.close();
  });

  it('shows a local video unloaded, its poster frame loaded on opening; a video without a file as its poster and a link to Instagram', async () => {
    const { page } = await open();
    const dialog = await openByClick(page, 'video');
    const video = dialog.locator('video');
    expect(await video.count()).toBe(1);
    const attributes = await video.evaluate((element: HTMLVideoElement) => ({
      src: element.getAttribute('src'),
      preload: element.getAttribute('preload'),
      controls: element.controls,
      playsInline: element.playsInline,
      label: element.getAttribute('aria-label'),
      poster: element.getAttribute('poster'),
      // Nothing of the MP4 is fetched until it plays.
      networkState: element.networkState,
    }));
    expect(attributes).toMatchObject({ preload: 'none', controls: true, playsInline: true, networkState: HTML_MEDIA_NETWORK_IDLE });
    expect(attributes.src).toMatch(/^\/_instagram\/videos\/instagram\/\d+\.mp4$/);
    expect(attributes.label?.length).toBeGreaterThan(0);
    // Its own poster is inlined (no request); the real frame is the lazy image under it.
    expect(attributes.poster).toMatch(/^data:image\//);
    // The poster frame: a lazy image in the video's own box, loaded now that the lightbox is open.
    const poster = await dialog.locator('img').evaluate((img: HTMLImageElement) => ({
      width: img.naturalWidth,
      box: img.getBoundingClientRect().toJSON(),
    }));
    const videoBox = await video.evaluate((element) => element.getBoundingClientRect().toJSON());
    expect(poster.width).toBeGreaterThan(0);
    expect(poster.box).toEqual(videoBox);
    await page.keyboard.press('Escape');
    await expect.poll(() => isOpen(page, 'video')).toBe(false);
    const remote = await openByClick(page, 'remote-video');
    expect(await remote.locator('video').count()).toBe(0);
    expect(await remote.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    const play = remote.getByRole('link', { name: 'Play on Instagram' });
    expect(await play.isVisible()).toBe(true);
    expect(await play.getAttribute('href')).toMatch(/^https:\/\/www\.instagram\.com\/(p|reel)\//);
    await page.close();
  });

  it('says what the post is: name, date, caption links, counts, post page and Instagram links', async () => {
    const { page } = await open();
    const dialog = await openByClick(page, 'photo');
    const id = await dialog.getAttribute('id');
    const post = fake.media.find((media) => `ig-lightbox-${media.id}` === id)!;
    expect(post?.media_type, `no IMAGE post behind ${id}`).toBe('IMAGE');
    // Its accessible name is the image's alt text, through its heading.
    const name = await page.evaluate((dialogId) => {
      const element = document.getElementById(dialogId!)!;
      return document.getElementById(element.getAttribute('aria-labelledby')!)!.textContent;
    }, id);
    expect(name).toBe(await dialog.locator('img').getAttribute('alt'));
    expect(await dialog.locator('time').getAttribute('datetime')).toBe(new Date(post.timestamp).toISOString());
    expect(await dialog.getByRole('link', { name: 'Open post page' }).getAttribute('href')).toBe(`/p/${post.id}/`);
    expect(await dialog.getByRole('link', { name: 'View on Instagram' }).getAttribute('href')).toBe(post.permalink);
    for (const tag of post.caption?.match(/#\w+/g) ?? [])
      expect(await dialog.locator(`.ig-lightbox__caption a[href$="/explore/tags/${tag.slice(1)}/"]`).count()).toBeGreaterThan(0);
    if (post.comments_count !== undefined)
      expect(await dialog.textContent()).toContain(`${post.comments_count.toLocaleString('en')} comments`);
    await page.close();
  });

  it('axe finds no serious or critical violation in an open photo, album or video lightbox', async () => {
    for (const kind of ['photo', 'album', 'video'] as const) {
      const { page } = await open();
      const dialog = await openByClick(page, kind);
      expect(await seriousViolations(page, dialog), kind).toEqual([]);
      await page.close();
    }
  });

  it('fits the viewport: caption beside the image at 1280 px, under it at 390 px; screenshots', async () => {
    for (const width of [390, 1280]) {
      for (const kind of ['photo', 'album', 'video'] as const) {
        const { page } = await open(width);
        const dialog = await openByClick(page, kind);
        const layout = await dialog.evaluate((element) => {
          const media = element.querySelector('.ig-lightbox__media')!.getBoundingClientRect();
          const body = element.querySelector('.ig-lightbox__body')!.getBoundingClientRect();
          const visual = element.querySelector('img, video')!.getBoundingClientRect();
          return { media: media.toJSON(), body: body.toJSON(), visual: visual.toJSON(), box: element.getBoundingClientRect().toJSON() };
        });
        expect(layout.box.width, `${kind} at ${width}`).toBeLessThanOrEqual(width);
        expect(layout.visual.height, `${kind} at ${width}`).toBeLessThanOrEqual(900);
        expect(layout.visual.width, `${kind} at ${width}`).toBeGreaterThan(0);
        if (width >= 1280) expect(layout.body.left, `${kind} at ${width}`).toBeGreaterThanOrEqual(layout.media.right - 1);
        else expect(layout.body.top, `${kind} at ${width}`).toBeGreaterThanOrEqual(layout.media.bottom - 1);
        await page.screenshot({ path: path.join(screenshots, `${kind}-${width}.png`) });
        await page.close();
      }
    }
  });
});
