import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page, type Response } from 'playwright-core';

/** Debian's chromium (.ci/run installs it); playwright-core never downloads a browser of its own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags every browser the tests start gets: no sandbox (root in CI), no calls home. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Starts headless chromium, or fails with one line saying how to install it. `scrollbars`: real ones
 * (Playwright hides them by default), for tests where a scrollbar appearing could shift the page.
 */
export async function launchChromium(options: { scrollbars?: boolean } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`chromium not found at ${CHROMIUM}: apt-get install chromium (as .ci/run does), or set CHROMIUM_PATH`);
  // Bounded with its own message, so a slow start on a loaded machine names itself instead of a hook timeout.
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: 120_000,
    args: [...CHROMIUM_FLAGS, '--disable-gpu'],
    ...(options.scrollbars ? { ignoreDefaultArgs: ['--hide-scrollbars'] } : {}),
  });
}

export interface OpenedPage {
  page: Page;
  /** The navigation's response (null for same-document navigations). */
  response: Response | null;
  /** Every URL the page requested. */
  requests: string[];
  /** Console errors and uncaught page errors. */
  problems: string[];
}

/** Opens `url` in a new page `width` px wide and records every request, console error and page error. */
export async function openPage(browser: Browser, url: string, width = 1280, height = 900): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width, height } });
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  const response = await page.goto(url, { waitUntil: 'load' });
  return { page, response, requests, problems };
}

/** Scrolls to the bottom in steps so lazy images load, back to the top, then waits for every image. */
export async function loadAllImages(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 600) {
      window.scrollTo(0, y);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // A lazy image scrolled past before Chromium started it may never start: ask for it now.
    for (const img of document.images) if (!img.complete && img.checkVisibility()) img.loading = 'eager';
    window.scrollTo(0, 0);
  });
  // Only rendered images: a closed lightbox's lazy image rightly never loads.
  // Bounded, so a stuck image fails the test with a message instead of hanging it.
  await page.waitForFunction(() => [...document.images].every((img) => img.complete || !img.checkVisibility()), null, {
    timeout: 30_000,
  });
}
