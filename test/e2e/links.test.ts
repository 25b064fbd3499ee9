import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LABELS } from '../../packages/astro-loader-instagram/components/labels.js';
import { postLink } from '../../packages/astro-loader-instagram/src/post-link.js';
import { repoRoot } from '../helpers/astro.js';
import { seriousViolations } from '../helpers/axe.js';
import { loadAllImages, openPage } from '../helpers/browser.js';
import { layoutShift } from '../helpers/layout-shift.js';
import { buildPlayground } from '../helpers/playground.js';
import { buildAndServe, SETUP_TIMEOUT_MS, type SiteInBrowser } from '../helpers/site-in-browser.js';

/**
 * Issue 15's links in a real build: the playground against its demo feed (whose captions carry lines
 * like `Shop: demo-studio.example/…`), served from dist/ on 127.0.0.1 and driven in Debian's chromium.
 * A caption's link becomes the entry's `link`, a button beside its tile and in its lightbox, and a row
 * of the /links/ page.
 */
const screenshots = path.join(repoRoot, 'test/output/screenshots/links');
const WIDTHS = [390, 1280];

interface Expected {
  id: string;
  /** Place in the feed, newest first: the home page shows the first 12, the rest behind "Show more". */
  index: number;
  url: string;
  label: string;
}

let site: SiteInBrowser;
let browser: Browser;
let origin: string;
/** The demo feed's posts that have a link, newest first, as the loader should read them. */
let expected: Expected[];
/** The demo feed's posts without a link. */
let unlinked: string[];

beforeAll(async () => {
  // The demo feed's own posts (same defaults as playground/demo-feed.mjs: 24 posts, seed 1).
  const fake: FakeInstagram = await startFakeInstagram({ posts: 24 });
  expected = fake.media.flatMap((media, index) => {
    const link = postLink({ id: media.id, shortcode: media.shortcode, permalink: media.permalink, caption: media.caption ?? '' });
    return link ? [{ id: media.id, index, url: link.url, label: link.label ?? DEFAULT_LABELS.link }] : [];
  });
  unlinked = fake.media.filter((media) => !expected.some((entry) => entry.id === media.id)).map((media) => media.id);
  await fake.close();
  expect(expected.length, 'the demo feed has no caption with a link line (fake-instagram captions.ts)').toBeGreaterThan(2);

  site = await buildAndServe('the playground', () => buildPlayground('e2e-links'));
  ({ browser, url: origin } = site);
  await mkdir(screenshots, { recursive: true });
}, SETUP_TIMEOUT_MS);

afterAll(() => site?.close());

const open = (pathname: string, width = 1280) => openPage(browser, `${origin}${pathname}`, width);

describe('a caption link on the home feed', () => {
  it('each post with a link has an <a rel="noopener"> with its label right after its tile, never inside it; the others have none', async () => {
    const { page, problems } = await open('/');
    const tiles = await page.$$eval('li.ig-feed__item', (items) =>
      items.map((item) => {
        const tile = item.querySelector(':scope > .ig-feed__tile')!;
        const link = item.querySelector<HTMLAnchorElement>(':scope > a.ig-feed__link');
        return {
          id: tile.getAttribute('commandfor')?.replace('ig-lightbox-', '') ?? '',
          link: link && { url: link.href, text: link.textContent!.trim(), rel: link.rel, afterTile: link.previousElementSibling === tile },
          nested: tile.querySelectorAll('a').length,
        };
      }),
    );
    expect(tiles.length).toBe(24);
    const byId = new Map(expected.map((entry) => [entry.id, entry]));
    for (const tile of tiles) {
      expect(tile.nested, `tile ${tile.id} holds a link`).toBe(0);
      const want = byId.get(tile.id);
      if (!want) {
        expect(tile.link, `post ${tile.id} has no link in its caption but its tile shows one`).toBeNull();
        continue;
      }
      expect(tile.link, `post ${tile.id}'s caption link has no button`).not.toBeNull();
      expect(tile.link!.url).toBe(want.url);
      // The visible word, then the post's alt read aloud (hidden), so a list of links says which post.
      expect(tile.link!.text.startsWith(`${want.label}:`), tile.link!.text).toBe(true);
      expect(tile.link!.rel).toBe('noopener');
      expect(tile.link!.afterTile).toBe(true);
    }
    expect(problems).toEqual([]);
    await loadAllImages(page);
    await page.screenshot({ path: path.join(screenshots, 'home-1280.png') });
    await page.close();
  });

  it('keyboard: Tab goes from a tile to its link; its lightbox shows the link beside "View on Instagram"', async () => {
    const { page } = await open('/');
    const first = expected.find((entry) => entry.index < 12);
    expect(first, 'no post with a link among the first 12 on the home page').toBeDefined();
    const tile = page.locator(`button.ig-feed__tile[commandfor="ig-lightbox-${first!.id}"]`);
    await tile.focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLAnchorElement | null)?.href)).toBe(first!.url);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    const dialog = page.locator(`dialog[id="ig-lightbox-${first!.id}"]`);
    await expect.poll(() => dialog.evaluate((el) => (el as HTMLDialogElement).open), { timeout: 5000 }).toBe(true);
    const links = await dialog
      .locator('.ig-lightbox__links a')
      .evaluateAll((anchors) =>
        anchors.map((a) => ({ text: a.textContent!.trim(), href: (a as HTMLAnchorElement).href, rel: (a as HTMLAnchorElement).rel })),
      );
    expect(links).toContainEqual({ text: first!.label, href: first!.url, rel: 'noopener' });
    expect(links.map((link) => link.text)).toContain(DEFAULT_LABELS.viewOnInstagram);
    expect((await seriousViolations(page)).join('\n'), 'axe on / with a linked post in the lightbox').toBe('');
    await page.screenshot({ path: path.join(screenshots, 'lightbox-1280.png') });
    await page.close();
  });
});

describe('a caption link on the post page', () => {
  it('<InstagramPost> shows the link beside "View on Instagram"; a post without one shows none', async () => {
    const linked = expected[0]!;
    const { page } = await open(`/p/${linked.id}/`);
    const links = await page
      .locator('.ig-post__links a')
      .evaluateAll((anchors) =>
        anchors.map((a) => ({ text: a.textContent!.trim(), href: (a as HTMLAnchorElement).href, rel: (a as HTMLAnchorElement).rel })),
      );
    expect(links).toContainEqual({ text: linked.label, href: linked.url, rel: 'noopener' });
    expect(links.map((link) => link.text)).toContain(DEFAULT_LABELS.viewOnInstagram);
    expect((await seriousViolations(page)).join('\n'), 'axe on a post page with a link').toBe('');
    await page.close();

    // The first post without a link that has a page (an off-grid Reel has none).
    for (const id of unlinked) {
      const other = await open(`/p/${id}/`);
      const shown = other.response?.status() === 200;
      if (shown) expect(await other.page.locator('.ig-post__link').count()).toBe(0);
      await other.page.close();
      if (shown) return;
    }
    throw new Error('no post without a link has a page');
  });
});

describe('the /links/ page', () => {
  it('lists exactly the posts that have a link, newest first: image, label, link; reachable from the nav', async () => {
    const home = await open('/');
    const nav = home.page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Links' });
    expect(await nav.getAttribute('href')).toBe('/links/');
    await home.page.close();

    const { page, response, requests, problems } = await open('/links/');
    expect(response?.status()).toBe(200);
    await loadAllImages(page);
    const rows = await page.$$eval('.link-card', (cards) =>
      cards.map((card) => {
        const button = card.querySelector<HTMLAnchorElement>('a.link-card__button')!;
        const img = card.querySelector('img')!;
        return {
          url: button.href,
          text: button.textContent!.trim(),
          rel: button.rel,
          post: card.querySelector<HTMLAnchorElement>('.link-card__meta a')!.pathname,
          image: { alt: img.alt, width: img.naturalWidth, local: new URL(img.currentSrc).origin === location.origin },
        };
      }),
    );
    expect(rows.map((row) => row.url)).toEqual(expected.map((entry) => entry.url));
    expect(rows.map((row) => row.post)).toEqual(expected.map((entry) => `/p/${entry.id}/`));
    expect(await page.locator('nav[aria-label="Site"] a[aria-current="page"]').textContent()).toBe('Links');
    for (const [index, row] of rows.entries()) {
      expect(row.text.startsWith(expected[index]!.label), row.text).toBe(true);
      expect(row.rel).toBe('noopener');
      expect(row.image.alt.length).toBeGreaterThan(0);
      expect(row.image.width).toBeGreaterThan(0);
      expect(row.image.local).toBe(true);
    }
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each(WIDTHS)(
    'at %i px: no axe violation, no layout shift, no sideways scroll (screenshot under test/output/screenshots/links/)',
    async (width) => {
      const { page } = await open('/links/', width);
      await loadAllImages(page);
      expect((await seriousViolations(page)).join('\n'), `axe on /links/ at ${width} px`).toBe('');
      const shift = await layoutShift(page);
      expect(shift.total, `layout shifts: ${shift.shifts.map((entry) => entry.sources.join(', ')).join('; ')}`).toBeLessThan(0.01);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(screenshots, `links-${width}.png`), fullPage: true });
      await page.close();
    },
  );
});
