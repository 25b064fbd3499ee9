import type { Page } from 'playwright-core';

export interface LayoutShift {
  /**
   * Sum of every shift: stricter than CLS, which keeps the worst 5 s window and drops shifts flagged
   * `hadRecentInput`. Chromium flags those of the first 500 ms after the test browser sizes its
   * viewport, and the tests give no input before measuring, so none is dropped.
   */
  total: number;
  /** Each shift: its score and the elements that moved. */
  shifts: Array<{ value: number; sources: string[] }>;
}

/**
 * Layout shifts the page has had since it started loading (`buffered: true`), read from a
 * PerformanceObserver for `layout-shift`. Call after scrolling through the page and loading its images.
 */
export async function layoutShift(page: Page): Promise<LayoutShift> {
  return page.evaluate(
    () =>
      new Promise<LayoutShift>((resolve) => {
        type Shift = PerformanceEntry & { value: number; sources?: Array<{ node?: Node | null }> };
        const describe = (node: Node | null | undefined) => {
          if (!(node instanceof Element)) return node?.nodeName ?? '(gone)';
          const classes = [...node.classList]
            .slice(0, 2)
            .map((name) => `.${name}`)
            .join('');
          return `${node.localName}${node.id ? `#${node.id}` : ''}${classes}`;
        };
        const entries = new Set<Shift>();
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) entries.add(entry as Shift);
        });
        observer.observe({ type: 'layout-shift', buffered: true });
        // The buffered entries are queued at observe(); takeRecords() collects any the callback has not had yet.
        setTimeout(() => {
          for (const entry of observer.takeRecords()) entries.add(entry as Shift);
          observer.disconnect();
          const shifts = [...entries].map((entry) => ({
            value: entry.value,
            sources: (entry.sources ?? []).map((source) => describe(source.node)),
          }));
          resolve({ total: shifts.reduce((sum, shift) => sum + shift.value, 0), shifts });
        }, 100);
      }),
  );
}
