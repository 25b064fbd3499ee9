import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, listFiles, repoRoot, tempSiteDirs } from '../helpers/astro.js';
import { buildAndServe, SETUP_TIMEOUT_MS, type SiteInBrowser } from '../helpers/site-in-browser.js';

/**
 * <InstagramFeed> as a visitor gets it: one real `astro build` of test/fixtures/gallery (a page per
 * layout) against the fake Instagram, served from dist/ on 127.0.0.1 and measured in Debian's chromium.
 * Screenshots of every layout at 390 and 1280 px land in test/output/screenshots/gallery/.
 */
const screenshots = path.join(repoRoot, 'test/output/screenshots/gallery');
const PAGES = ['', 'masonry', 'justified', 'carousel', 'video', 'links'];

let fake: FakeInstagram;
let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
let site: SiteInBrowser;
let browser: Browser;

/** A fresh page (its own context, so emulation never leaks) that records every request. */
async function open(pathname: string, width = 1280, options: BrowserContextOptions & { withoutImages?: boolean } = {}) {
  const { withoutImages, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width, height: 900 }, ...contextOptions });
  const page = await context.newPage();
  // No image ever arrives: what a visitor sees before the images load.
  if (withoutImages) await page.route(/\.(webp|avif|jpe?g|png)$/, (route) => route.abort());
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`${site.url}/${pathname}`, { waitUntil: 'load' });
  return { page, requests, close: () => context.close() };
}

/** Scrolls through the page so lazy tile images start, then waits until every one that should load is done. */
async function loadVisibleImages(page: Page) {
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 500) {
      window.scrollTo(0, y);
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    window.scrollTo(0, 0);
  });
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll<HTMLImageElement>('.ig-feed__tile img')].every((img) => {
        // Off to the side in a carousel, or behind a closed "Show more": lazy, and rightly not loading.
        const box = img.getBoundingClientRect();
        return img.complete || img.closest('details:not([open])') || box.left >= innerWidth || box.right <= 0;
      }),
    null,
    { timeout: 30_000 },
  );
}

/** Rendered box and natural size of every feed image on the page, in order. */
function measureImages(page: Page, selector = '.ig-feed__tile img') {
  return page.$$eval(selector, (imgs) =>
    (imgs as HTMLImageElement[]).map((img) => {
      const box = img.getBoundingClientRect();
      return {
        left: box.left,
        top: box.top,
        width: box.width,
        height: box.height,
        naturalWidth: img.naturalWidth,
        naturalHeight: img.naturalHeight,
      };
    }),
  );
}

/** Names of the buttons in the page's accessibility tree (scroll buttons are pseudo-elements: the DOM has no element for them). */
async function buttonNames(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  return nodes.filter((node) => node.role?.value === 'button').map((node) => String(node.name?.value ?? ''));
}

beforeAll(async () => {
  // 16 posts: squares, portraits and a landscape, albums, videos (three published), Reels.
  fake = await startFakeInstagram({ posts: 16, seed: 13 });
  dirs = await tempSiteDirs('gallery');
  const env = { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url };
  site = await buildAndServe('the gallery fixture', () => buildFixture('gallery', dirs, env));
  browser = site.browser;
  await mkdir(screenshots, { recursive: true });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await site?.close();
  await fake?.close();
});

const html = (page: string) => readFile(path.join(dirs.outDir, page, 'index.html'), 'utf8');

describe('<InstagramFeed> built and in a real browser', () => {
  it('renders every layout with no script at all in dist/', async () => {
    for (const page of PAGES) expect(await html(page), `/${page}`).toMatch(/<ul class="ig-feed /);
    const files = await listFiles(dirs.outDir);
    expect(files.filter((file) => file.endsWith('.js'))).toEqual([]);
    for (const file of files.filter((name) => name.endsWith('.html'))) {
      expect(await readFile(path.join(dirs.outDir, file), 'utf8'), file).not.toMatch(/<script/i);
    }
  });

  it('grid: 3:4 tiles cropped at the focal point, two columns on a phone and three from 480 px', async () => {
    for (const width of [390, 1280]) {
      const { page, close } = await open('', width);
      await loadVisibleImages(page);
      const tiles = await page.$$eval('ul.ig-feed:not(details *) .ig-feed__media', (spans) =>
        spans.map((span) => {
          const box = span.getBoundingClientRect();
          const img = span.querySelector('img')!;
          return {
            left: Math.round(box.left),
            ratio: box.width / box.height,
            height: box.height,
            position: getComputedStyle(img).objectPosition,
            fit: getComputedStyle(img).objectFit,
          };
        }),
      );
      expect(tiles).toHaveLength(6);
      for (const tile of tiles) {
        expect(tile.ratio).toBeCloseTo(3 / 4, 2);
        expect(tile.fit).toBe('cover');
      }
      expect(tiles[0]!.position).toBe('20% 80%');
      expect(tiles[1]!.position).toBe('50% 50%');
      expect(new Set(tiles.map((tile) => tile.left)).size).toBe(width === 390 ? 2 : 3);
      // Scroll buttons belong to the carousel only, not to a grid or its "Show more".
      expect((await buttonNames(page)).filter((name) => name.endsWith(' posts'))).toEqual([]);
      await close();
    }
  });

  it('no layout shift: every layout reserves each tile its final box before any image arrives', async () => {
    const boxes = (page: Page) =>
      page.$$eval('.ig-feed__tile', (tiles) =>
        tiles.map((tile) => {
          const box = tile.getBoundingClientRect();
          return [Math.round(box.left), Math.round(box.top + scrollY), Math.round(box.width), Math.round(box.height)].join(',');
        }),
      );
    for (const name of ['', 'masonry', 'justified', 'carousel', 'links']) {
      const empty = await open(name, 390, { withoutImages: true });
      const reserved = await boxes(empty.page);
      await empty.close();
      const full = await open(name, 390);
      await loadVisibleImages(full.page);
      expect(await boxes(full.page), `/${name}`).toEqual(reserved);
      await full.close();
    }
  });

  it('grid: the first row is eager with high priority, the rest lazy', async () => {
    const { page, close } = await open('');
    const images = await page.$$eval('.ig-feed__item > .ig-feed__tile img', (imgs) =>
      (imgs as HTMLImageElement[]).map((img) => ({ loading: img.loading, priority: img.getAttribute('fetchpriority') })),
    );
    expect(images.slice(0, 3)).toEqual(Array(3).fill({ loading: 'eager', priority: 'high' }));
    for (const image of images.slice(3)) expect(image).toEqual({ loading: 'lazy', priority: null });
    await close();
  });

  it('initial: the tiles after the first six load only once "Show more" is opened', async () => {
    const { page, requests, close } = await open('', 1280);
    await loadVisibleImages(page);
    const hidden = await page.$$eval('details.ig-feed__more .ig-feed__tile img', (imgs) =>
      (imgs as HTMLImageElement[]).map((img) => new URL(img.getAttribute('src')!, location.href).pathname.replace(/_[^_.]+\.webp$/, '')),
    );
    expect(hidden).toHaveLength(10);
    const loadedOf = (prefix: string) => requests.some((url) => new URL(url).pathname.startsWith(prefix));
    expect(hidden.filter(loadedOf)).toEqual([]);
    await page.getByText('Show more', { exact: true }).click();
    await loadVisibleImages(page);
    expect(
      await page.$$eval('details.ig-feed__more .ig-feed__tile img', (imgs) =>
        (imgs as HTMLImageElement[]).every((img) => img.naturalWidth > 0),
      ),
    ).toBe(true);
    // The rest continues the same grid: three columns, tiles as wide as the first ones.
    const widths = await page.$$eval('.ig-feed__tile', (tiles) => [
      ...new Set(tiles.map((tile) => Math.round(tile.getBoundingClientRect().width))),
    ]);
    expect(widths).toHaveLength(1);
    await close();
  });

  it('caption below: under the tile, clamped to two lines, with the counts', async () => {
    const { page, close } = await open('', 1280);
    const captions = await page.$$eval('ul.ig-feed:not(details *) .ig-feed__item', (items) =>
      items
        .filter((item) => item.querySelector('.ig-feed__text'))
        .map((item) => {
          const text = item.querySelector('.ig-feed__text')!;
          const style = getComputedStyle(text);
          return {
            below: text.getBoundingClientRect().top >= item.querySelector('.ig-feed__media')!.getBoundingClientRect().bottom - 1,
            lines: text.getBoundingClientRect().height / Number.parseFloat(style.lineHeight),
            clamp: style.webkitLineClamp,
            opacity: style.opacity,
            counts: item.querySelector('.ig-feed__counts')?.textContent ?? '',
          };
        }),
    );
    expect(captions.length).toBeGreaterThan(0);
    for (const caption of captions) {
      expect(caption).toMatchObject({ below: true, clamp: '2', opacity: '1' });
      expect(caption.lines).toBeLessThanOrEqual(2.05);
      expect(caption.counts).toMatch(/^\d+ likes\d+ comments$/);
    }
    await close();
  });

  it('caption hover: hidden until the tile is hovered or focused by keyboard; under the tile on touch screens', async () => {
    const opacity = (page: Page, index: number) =>
      page.$$eval('.ig-feed__caption', (captions, at) => getComputedStyle(captions[at]!).opacity, index);
    // Reduced motion turns the fade off, so the opacity read is the end state, not a frame of it.
    const { page, close } = await open('masonry', 1280, { reducedMotion: 'reduce' });
    const withCaption = await page.$$eval('.ig-feed__item', (items) => items.findIndex((item) => item.querySelector('.ig-feed__caption')));
    expect(await opacity(page, 0)).toBe('0');
    await page.locator('.ig-feed__item').nth(withCaption).hover();
    expect(await opacity(page, 0)).toBe('1');
    await page.mouse.move(0, 0);
    expect(await opacity(page, 0)).toBe('0');
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(() => document.activeElement?.closest('.ig-feed__item') === document.querySelectorAll('.ig-feed__item')[0]),
    ).toBe(true);
    expect(await opacity(page, 0)).toBe('1');
    // One line (captionLines={1}).
    expect(await page.$eval('.ig-feed__text', (text) => getComputedStyle(text).webkitLineClamp)).toBe('1');
    await close();

    const touch = await open('masonry', 390, { hasTouch: true, isMobile: true });
    const shown = await touch.page.$eval('.ig-feed__item:has(.ig-feed__caption)', (item) => {
      const caption = item.querySelector('.ig-feed__caption')!;
      return {
        opacity: getComputedStyle(caption).opacity,
        below: caption.getBoundingClientRect().top >= item.querySelector('.ig-feed__media')!.getBoundingClientRect().bottom - 1,
      };
    });
    expect(shown).toEqual({ opacity: '1', below: true });
    await touch.close();
  });

  it('caption hover: white text keeps a 4.5:1 contrast over a white photo (WCAG AA)', async () => {
    const { page, close } = await open('masonry', 1280, { reducedMotion: 'reduce' });
    // The worst photo: pure white behind the caption. The text itself transparent, to read the backdrop it sits on.
    await page.addStyleTag({
      content:
        '.ig-feed__media { background: #fff !important } .ig-feed__media img { opacity: 0 } .ig-feed__caption { color: transparent !important }',
    });
    const item = page.locator('.ig-feed__item:has(.ig-feed__text)').first();
    await item.hover();
    const box = (await item.locator('.ig-feed__text').boundingBox())!;
    const png = await page.screenshot({ clip: box });
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const luminance = (value: number) => {
      const channel = value / 255;
      return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    };
    let lightest = 0;
    for (let index = 0; index < data.length; index += info.channels)
      lightest = Math.max(
        lightest,
        0.2126 * luminance(data[index]!) + 0.7152 * luminance(data[index + 1]!) + 0.0722 * luminance(data[index + 2]!),
      );
    // White text (luminance 1) against the lightest backdrop pixel under it.
    expect(1.05 / (lightest + 0.05)).toBeGreaterThanOrEqual(4.5);
    await close();
  });

  it('masonry: uncropped tiles in four columns on a desktop', async () => {
    const { page, close } = await open('masonry', 1280);
    await loadVisibleImages(page);
    const images = await measureImages(page);
    expect(images).toHaveLength(16);
    for (const image of images)
      expect(Math.abs(image.width / image.height / (image.naturalWidth / image.naturalHeight) - 1)).toBeLessThan(0.01);
    expect(new Set(images.map((image) => Math.round(image.left))).size).toBe(4);
    await close();
  });

  it('justified: rows of equal height that fill the width, every image uncropped, the last row not stretched', async () => {
    for (const width of [390, 1280]) {
      const { page, close } = await open('justified', width);
      await loadVisibleImages(page);
      const images = await measureImages(page);
      expect(images).toHaveLength(16);
      for (const image of images) {
        expect(Math.abs(image.width / image.height / (image.naturalWidth / image.naturalHeight) - 1), JSON.stringify(image)).toBeLessThan(
          0.01,
        );
      }
      const rows = Map.groupBy(images, (image) => Math.round(image.top));
      expect(rows.size).toBeGreaterThan(1);
      const list = await page.$eval('.ig-feed', (ul) => ul.getBoundingClientRect().width);
      const all = [...rows.values()];
      for (const [index, row] of all.entries()) {
        const heights = row.map((image) => image.height);
        expect(Math.max(...heights) - Math.min(...heights), `row ${index} at ${width}px`).toBeLessThan(1);
        const used = row.reduce((sum, image) => sum + image.width, 0) + 6 * (row.length - 1);
        if (index < all.length - 1) expect(Math.abs(used - list), `row ${index} at ${width}px fills the list`).toBeLessThan(2);
      }
      // rowHeight={180}: the last row keeps it (or less, when one image is wider than the screen).
      expect(all.at(-1)![0]!.height).toBeLessThanOrEqual(180.5);
      await close();
    }
  });

  it('carousel: one row of square tiles; the next control and the arrow keys move it', async () => {
    const { page, close } = await open('carousel', 1280);
    const row = await page.$eval('.ig-feed--carousel', (ul) => {
      const box = ul.getBoundingClientRect();
      const tiles = [...ul.querySelectorAll('.ig-feed__media')].map((span) => span.getBoundingClientRect());
      return {
        top: box.top,
        right: box.right,
        height: box.height,
        scrollLeft: ul.scrollLeft,
        tops: new Set(tiles.map((tile) => Math.round(tile.top))).size,
        ratio: tiles[0]!.width / tiles[0]!.height,
      };
    });
    expect(row).toMatchObject({ scrollLeft: 0, tops: 1 });
    expect(row.ratio).toBeCloseTo(1, 2);
    expect((await buttonNames(page)).filter((name) => name.endsWith(' posts'))).toEqual(['Previous posts', 'Next posts']);
    const scrollLeft = () => page.$eval('.ig-feed--carousel', (ul) => ul.scrollLeft);
    // The next button is a ::scroll-button(right): no element to click, so click where it is painted.
    await page.mouse.click(row.right - 8 - 22, row.top + row.height / 2);
    await expect.poll(scrollLeft, { timeout: 5000 }).toBeGreaterThan(0);
    await close();

    const keyboard = await open('carousel', 1280);
    await keyboard.page.focus('.ig-feed--carousel');
    await keyboard.page.keyboard.press('ArrowRight');
    await expect.poll(() => keyboard.page.$eval('.ig-feed--carousel', (ul) => ul.scrollLeft), { timeout: 5000 }).toBeGreaterThan(0);
    await keyboard.close();
  });

  it('video autoplay: the local MP4 for visitors who allow motion; only the poster for reduced motion; one tab stop per tile', async () => {
    const moving = await open('video', 1280, { reducedMotion: 'no-preference' });
    const played = await moving.page.$$eval('.ig-feed__tile video', (videos) =>
      (videos as HTMLVideoElement[]).map((video) => ({
        src: video.currentSrc,
        muted: video.muted,
        loop: video.loop,
        autoplay: video.autoplay,
        playsInline: video.playsInline,
        hidden: video.getAttribute('aria-hidden'),
        tileName: video.closest('button')?.querySelector('.ig-feed__name')?.textContent ?? '',
        tabIndex: video.tabIndex,
        inTile: video.closest('button.ig-feed__tile') !== null,
      })),
    );
    expect(played.length).toBeGreaterThan(0);
    for (const video of played) {
      expect(video).toMatchObject({ muted: true, loop: true, autoplay: true, playsInline: true, tabIndex: -1, inTile: true });
      expect(video.src).toMatch(/\/_instagram\/videos\/instagram\/\d+\.mp4$/);
      // The tile's text names it; the video inside is decorative, so nothing is read twice.
      expect(video.hidden).toBe('true');
      expect(video.tileName).toMatch(/^Open post: ./);
    }
    await moving.close();

    const still = await open('video', 1280, { reducedMotion: 'reduce' });
    const posters = await still.page.$$eval('.ig-feed__tile video', (videos) =>
      (videos as HTMLVideoElement[]).map((video) => ({
        src: video.currentSrc,
        noSource: video.networkState === HTMLMediaElement.NETWORK_NO_SOURCE,
        paused: video.paused,
        poster: new URL(video.poster).pathname,
      })),
    );
    // The same page as above, with reduced motion: every video is there, holding still on its poster.
    expect(posters).toHaveLength(played.length);
    for (const video of posters) {
      expect(video).toMatchObject({ src: '', noSource: true, paused: true });
      expect(video.poster).toMatch(/^\/_astro\/.+\.webp$/);
    }
    expect(still.requests.filter((url) => url.endsWith('.mp4'))).toEqual([]);
    await still.close();
  });

  it('video autoplay behind "Show more": nothing downloads until it is opened, then the tiles show their posters; no empty list', async () => {
    const { page, requests, close } = await open('video-more', 1280, { reducedMotion: 'no-preference' });
    await loadVisibleImages(page);
    const media = (url: string) => /\.(mp4|webp)$/.test(new URL(url).pathname);
    expect(requests.filter(media)).toEqual([]);
    // initial={0} and posts={[]}: no empty list (unnamed content, an empty tab stop for a carousel).
    expect(await page.locator('ul.ig-feed:not(:has(li))').count()).toBe(0);
    expect(await page.locator('ul.ig-feed').count()).toBe(1);
    await page.getByText('Show more', { exact: true }).click();
    await loadVisibleImages(page);
    const tiles = await page.$$eval('details.ig-feed__more .ig-feed__tile', (buttons) =>
      buttons.map((button) => ({
        video: button.querySelector('video') !== null,
        loaded: (button.querySelector('img')?.naturalWidth ?? 0) > 0,
      })),
    );
    expect(tiles.length).toBeGreaterThan(0);
    for (const tile of tiles) expect(tile).toEqual({ video: false, loaded: true });
    expect(requests.filter((url) => url.endsWith('.mp4'))).toEqual([]);
    await close();
  });

  it('lightbox (default): a tile is a named button that opens its post in place; Esc closes it', async () => {
    const { page, close } = await open('', 1280);
    const tile = page.getByRole('button', { name: /^Open post: / }).first();
    expect(await tile.evaluate((element) => element.classList.contains('ig-feed__tile'))).toBe(true);
    const target = (await tile.getAttribute('commandfor'))!;
    expect(await page.locator(`dialog[id="${target}"]`).count()).toBe(1);
    await tile.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.$eval(`[id="${target}"]`, (box) => box.matches(':modal'))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.$eval(`[id="${target}"]`, (box) => box.matches(':modal'))).toBe(false);
    // Each tile's image has its own view-transition-name.
    const names = await page.$$eval('.ig-feed__media', (spans) => spans.map((span) => getComputedStyle(span).viewTransitionName));
    expect(new Set(names).size).toBe(16);
    for (const name of names) expect(name).toMatch(/^ig-\d+$/);
    await close();
  });

  it('the same post in two feeds on one page: unique ids, each tile opens its own lightbox, one transition name per post', async () => {
    const page = await html('twice');
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
    expect(ids.length).toBeGreaterThan(16);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    const names = [...page.matchAll(/view-transition-name: ([\w-]+)/g)].map((match) => match[1]);
    expect(names).toHaveLength(16);
    expect(new Set(names).size).toBe(16);

    const { page: tab, close } = await open('twice', 1280);
    // The grid's first tile shows the carousel's first post again: its own dialog, inside its own list.
    const tile = tab.locator('ul.ig-feed--grid .ig-feed__tile').first();
    const target = (await tile.getAttribute('commandfor'))!;
    expect(target).toBe(
      await tab
        .locator('ul.ig-feed--carousel .ig-feed__tile')
        .first()
        .getAttribute('commandfor')
        .then((id) => `${id}-2`),
    );
    await tile.focus();
    await tab.keyboard.press('Enter');
    await expect.poll(() => tab.$eval('dialog:modal', (dialog) => dialog.closest('ul')!.classList.contains('ig-feed--grid'))).toBe(true);
    await tab.keyboard.press('Escape');
    await expect.poll(() => tab.evaluate(() => document.querySelector('dialog:modal') === null)).toBe(true);
    expect(await tile.evaluate((element) => element === document.activeElement)).toBe(true);
    await close();
  });

  it('a pinned album with a link in a feed of several accounts: badges, account and link button never cover each other', async () => {
    for (const width of [390, 1280]) {
      const { page, close } = await open('marks', width);
      const boxes = await page.$eval('.ig-feed__item', (item) => {
        const box = (selector: string) =>
          [...item.querySelectorAll(selector)].map((element) => {
            const { left, top, right, bottom } = element.getBoundingClientRect();
            return { selector, text: element.textContent, left, top, right, bottom };
          });
        return {
          media: box('.ig-feed__media')[0]!,
          marks: [...box('.ig-feed__badge'), ...box('.ig-feed__account'), ...box('.ig-feed__link')],
        };
      });
      expect(boxes.marks.map((mark) => mark.selector)).toEqual([
        '.ig-feed__badge',
        '.ig-feed__badge',
        '.ig-feed__account',
        '.ig-feed__link',
      ]);
      for (const [index, mark] of boxes.marks.entries()) {
        expect(mark.left >= boxes.media.left && mark.right <= boxes.media.right, `${mark.text} inside the tile at ${width}px`).toBe(true);
        for (const other of boxes.marks.slice(index + 1)) {
          const overlap = mark.left < other.right && other.left < mark.right && mark.top < other.bottom && other.top < mark.bottom;
          expect(overlap, `"${mark.text}" covers "${other.text}" at ${width}px`).toBe(false);
        }
      }
      await close();
    }
  });

  it('lightbox={false}: tiles are links to href; counts in the locale with the labels given; no transition names', async () => {
    const page = await html('links');
    expect(page).not.toMatch(/<dialog|commandfor/);
    const links = [...page.matchAll(/<a class="ig-feed__tile" href="([^"]+)"/g)].map((match) => match[1]);
    expect(links).toHaveLength(16);
    for (const link of links) expect(link).toMatch(/^\/p\/\d+\/$/);
    expect(page).toMatch(/<span[^>]*>[\d.]+ Likes<\/span>/);
    expect(page).toMatch(/<span[^>]*>\d+ comments<\/span>/);
    expect(page).not.toMatch(/view-transition-name/);
    // 'original': each tile keeps its image's shape.
    expect(page).toMatch(/aspect-ratio: 1080 \/ 566/);
  });

  it('looks right at 390 and 1280 px (screenshots under test/output/screenshots/gallery/)', async () => {
    for (const name of PAGES) {
      for (const width of [390, 1280]) {
        const { page, close } = await open(name, width, { reducedMotion: 'reduce' });
        await loadVisibleImages(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `/${name} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(screenshots, `${name || 'grid'}-${width}.png`), fullPage: true });
        await close();
      }
    }
  });
});
