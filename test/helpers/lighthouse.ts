import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import { CHROMIUM, CHROMIUM_FLAGS } from './browser.js';

/** The four categories Lighthouse scores, 0 to 100. */
export interface LighthouseScores {
  performance: number;
  accessibility: number;
  'best-practices': number;
  seo: number;
}

export interface LighthouseReport {
  url: string;
  scores: LighthouseScores;
  /** Audits that cost points outside performance, one line each: category, audit, title, where. */
  failedAudits: string[];
  /** Performance metrics behind the score (Lighthouse's simulated mobile throttling). */
  metrics: { firstContentfulPaintMs: number; largestContentfulPaintMs: number; totalBlockingTimeMs: number; cumulativeLayoutShift: number };
  /** How long Lighthouse took for this page. */
  durationMs: number;
  /** Lighthouse's version and the browser it drove. */
  lighthouseVersion: string;
  userAgent: string;
}

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

/**
 * Lighthouse (Node API, its default mobile profile with simulated throttling) on each URL in turn,
 * in one Debian chromium started for it with a DevTools port and a throwaway profile.
 */
export async function runLighthouse(urls: string[]): Promise<LighthouseReport[]> {
  const profile = await mkdtemp(path.join(tmpdir(), 'lighthouse-chromium-'));
  const chrome = spawn(
    CHROMIUM,
    ['--headless=new', ...CHROMIUM_FLAGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  try {
    const port = await devToolsPort(chrome);
    const reports: LighthouseReport[] = [];
    for (const url of urls) {
      const started = Date.now();
      const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] });
      const lhr = result?.lhr;
      if (!lhr) throw new Error(`Lighthouse returned no report for ${url}`);
      if (lhr.runtimeError) throw new Error(`Lighthouse could not audit ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      const scores = Object.fromEntries(
        CATEGORIES.map((id) => [id, Math.round((lhr.categories[id]?.score ?? 0) * 100)]),
      ) as unknown as LighthouseScores;
      const failedAudits: string[] = [];
      for (const id of CATEGORIES.filter((category) => category !== 'performance')) {
        for (const ref of lhr.categories[id]?.auditRefs ?? []) {
          const audit = lhr.audits[ref.id];
          if (!audit || ref.weight === 0 || audit.score === null || audit.score >= 1) continue;
          failedAudits.push(`${id}: ${ref.id} (${audit.title})${where(audit.details)}`);
        }
      }
      const metric = (id: string) => Math.round((lhr.audits[id]?.numericValue ?? Number.NaN) * 1000) / 1000;
      const metrics = {
        firstContentfulPaintMs: metric('first-contentful-paint'),
        largestContentfulPaintMs: metric('largest-contentful-paint'),
        totalBlockingTimeMs: metric('total-blocking-time'),
        cumulativeLayoutShift: metric('cumulative-layout-shift'),
      };
      const { lighthouseVersion, environment } = lhr;
      reports.push({
        url,
        scores,
        failedAudits,
        metrics,
        durationMs: Date.now() - started,
        lighthouseVersion,
        userAgent: environment.hostUserAgent,
      });
    }
    return reports;
  } finally {
    chrome.kill();
    await new Promise((resolve) => (chrome.exitCode === null ? chrome.once('exit', resolve) : resolve(undefined)));
    await rm(profile, { recursive: true, force: true });
  }
}

/** The port from chromium's "DevTools listening on ws://127.0.0.1:PORT/..." line. */
function devToolsPort(chrome: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((resolve, reject) => {
    let printed = '';
    const timer = setTimeout(
      () => reject(new Error(`chromium (${CHROMIUM}) did not open a DevTools port within 60 s:\n${printed}`)),
      60_000,
    );
    chrome.stderr?.on('data', (chunk) => {
      printed += chunk;
      const port = /DevTools listening on ws:\/\/[^\s/]+:(\d+)\//.exec(printed)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(Number(port));
      }
    });
    chrome.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chromium (${CHROMIUM}) exited with ${code} before opening a DevTools port:\n${printed}`));
    });
  });
}

/** The first elements an audit names, e.g. ` at <a href="...">: contrast 3.34`. */
function where(details: unknown): string {
  const items = (details as { items?: Array<{ node?: { snippet?: string; explanation?: string } }> } | undefined)?.items ?? [];
  const nodes = items.flatMap((item) => (item.node?.snippet ? [item.node] : [])).slice(0, 3);
  if (nodes.length === 0) return '';
  return ` at ${nodes.map((node) => `${node.snippet}${node.explanation ? ` (${node.explanation.split('\n').at(-1)?.trim()})` : ''}`).join(', ')}`;
}
