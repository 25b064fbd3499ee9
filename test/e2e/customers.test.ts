import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TAGGING_USERNAMES } from 'fake-instagram';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LABELS } from '../../packages/astro-loader-instagram/components/labels.js';
import { seriousViolations } from '../helpers/axe.js';
import { loadAllImages, openPage } from '../helpers/browser.js';
import { layoutShift } from '../helpers/layout-shift.js';
import { buildPlayground } from '../helpers/playground.js';
import { scriptsIn } from '../helpers/scripts.js';
import { buildAndServe, SETUP_TIMEOUT_MS, type SiteInBrowser } from '../helpers/site-in-browser.js';

/**
 * The playground's customers' photos page (issue 15), built against its demo feed, in chromium: each
 * approved tagged post with its author's credit, read by role and name, with no script, no axe
 * violation and no layout shift.
 */
/** The demo approves these two customers (playground/src/content.config.ts). */
const APPROVED = ['mara.makes.coffee', 'the.tiny.kitchen'];

let site: SiteInBrowser;
let browser: Browser;
let distDir: string;

beforeAll(async () => {
  site = await buildAndServe('the playground', () => buildPlayground('e2e-customers'));
  ({ browser, outDir: distDir } = site);
}, SETUP_TIMEOUT_MS);

afterAll(() => site?.close());

describe('/customers/', () => {
  it("credits each approved photo to its author, linked to their post on Instagram, and shows no other author's", async () => {
    const { page, problems } = await openPage(browser, `${site.url}/customers/`);
    const list = page.getByRole('list', { name: DEFAULT_LABELS.taggedFeed });
    const credits = list.getByRole('link', { name: /^Photo by @/ });
    const names = await credits.allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(APPROVED.map((user) => DEFAULT_LABELS.photoBy(user))).toContain(name.trim());
    for (const href of await credits.evaluateAll((links) => links.map((link) => link.getAttribute('href')))) {
      expect(href).toMatch(/^https:\/\/www\.instagram\.com\/(p|reel)\/[\w-]+\/$/);
    }
    const html = await readFile(path.join(distDir, 'customers/index.html'), 'utf8');
    for (const user of TAGGING_USERNAMES.filter((name) => !APPROVED.includes(name))) expect(html).not.toContain(`@${user}`);
    expect(await list.getByRole('img').count()).toBe(names.length);
    expect(scriptsIn(html)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('has no serious axe violation and no layout shift once every image loaded', async () => {
    const { page } = await openPage(browser, `${site.url}/customers/`, 390);
    await loadAllImages(page);
    expect((await seriousViolations(page)).join('\n'), 'axe on /customers/').toBe('');
    expect((await layoutShift(page)).total).toBeLessThan(0.01);
    await page.close();
  });
});
