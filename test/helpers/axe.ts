import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Locator, Page } from 'playwright-core';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource: Promise<string> | undefined;

type WithAxe = { axe: { run: (context: Node, options: object) => Promise<AxeResults> } };

/**
 * axe-core's serious and critical violations on the page as it is now (open lightboxes included), or
 * only in the element `within` locates, one line each: rule, impact, what to fix, where, and axe's help page.
 * Runs axe's default rules (WCAG 2.x A and AA plus best practices), like the axe browser extension.
 */
export async function seriousViolations(page: Page, within?: Locator): Promise<string[]> {
  axeSource ??= readFile(axePath, 'utf8');
  // Injected as a page script, not through the page's own <script>s: the pages under test have none.
  await page.evaluate(await axeSource);
  const options = { resultTypes: ['violations'] };
  const results = (
    within
      ? await within.evaluate((element, options) => (window as unknown as WithAxe).axe.run(element, options), options)
      : await page.evaluate((options) => (window as unknown as WithAxe).axe.run(document, options), options)
  ) as AxeResults;
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => {
      const where = violation.nodes
        .slice(0, 3)
        .map((node) => node.target.join(' '))
        .join(', ');
      const more = violation.nodes.length > 3 ? ` and ${violation.nodes.length - 3} more` : '';
      return `${violation.id} (${violation.impact}): ${violation.help} at ${where}${more}; see ${violation.helpUrl}`;
    });
}
