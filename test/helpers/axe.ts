import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource: Promise<string> | undefined;

/**
 * axe-core's serious and critical violations on the page as it is now (open lightboxes included),
 * one line each: rule, impact, what to fix, where, and axe's help page.
 * Runs axe's default rules (WCAG 2.x A and AA plus best practices), like the axe browser extension.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  axeSource ??= readFile(axePath, 'utf8');
  // Injected as a page script, not through the page's own <script>s: the pages under test have none.
  await page.evaluate(await axeSource);
  const results = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  )) as AxeResults;
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
