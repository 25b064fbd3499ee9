import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Two projects, chosen by path, so a new test file lands in one without editing this file:
 *
 * - `unit`: in-process, seconds. Files under `test/instagram-graph/` or `test/unit/`, and any file named
 *   `*.unit.test.ts` (e.g. `test/astro-loader-instagram/loader.unit.test.ts`). Allowed: the fake Graph API
 *   and CDN on 127.0.0.1, real sharp, temp folders, the loader through `test/helpers/loader-context.ts`.
 *   Not allowed: child processes (astro, the CLI, npm) or a browser. `npm run test:unit` runs only these.
 * - `build`: every other `test/**\/*.test.ts`: real `astro build` / `astro dev` / `astro check`, the CLI,
 *   packed tarballs, the browser. Minutes, not milliseconds.
 *
 * `npm test` runs both in one vitest run, so one JSON report (.ci/run) counts every test.
 */
const UNIT = ['test/instagram-graph/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/**/*.unit.test.ts'];

export default defineConfig({
  // Paths below are relative to the repository root, wherever vitest is started from.
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT,
          // Generous for a loaded machine; a unit test that needs this long belongs in `build`.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'build',
          include: ['test/**/*.test.ts'],
          // test/platforms/ has its own config and install (`npm run test:platforms`).
          exclude: ['**/node_modules/**', 'test/platforms/**', ...UNIT],
          // Fixture builds run real `astro build`s.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
