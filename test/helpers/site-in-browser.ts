import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import type { RunResult } from './astro.js';
import { launchChromium } from './browser.js';
import { serveStatic } from './static-server.js';

/** A build (minutes on a loaded machine) plus the browser's own launch timeout: the e2e files' beforeAll. */
export const SETUP_TIMEOUT_MS = 600_000;

export interface SiteInBrowser {
  browser: Browser;
  /** Where the build's dist/ is served: `http://127.0.0.1:<port>`. */
  url: string;
  outDir: string;
  /** What the build printed. */
  output: string;
  /** Closes the browser and the server. */
  close: () => Promise<void>;
}

/**
 * For an e2e file's beforeAll: chromium first (so a missing one fails before a build of minutes), then
 * `build()`, which must exit 0 (else "<what> build failed:" and its output), then its dist/ served on
 * 127.0.0.1. When a step fails, the browser is closed before the error is thrown; otherwise the file's
 * afterAll calls `close()`. Whatever `build` itself starts (a fake Instagram) stays the caller's to close.
 */
export async function buildAndServe(
  what: string,
  build: () => Promise<RunResult & { outDir: string }>,
  options: { scrollbars?: boolean } = {},
): Promise<SiteInBrowser> {
  const browser = await launchChromium(options);
  try {
    const { code, output, outDir } = await build();
    expect(code, `${what} build failed:\n${output}`).toBe(0);
    const site = await serveStatic(outDir);
    return {
      browser,
      url: site.url,
      outDir,
      output,
      close: async () => {
        await browser.close();
        await site.close();
      },
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
