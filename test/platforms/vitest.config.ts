import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The platform proofs (`npm run test:platforms`, run by .ci/run): the hosts' own build tools, pinned in
 * test/platforms/package.json, on fixture sites. Slow and heavy to install, so not part of `npm test`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/platforms/*.test.ts'],
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
