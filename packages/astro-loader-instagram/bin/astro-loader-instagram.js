#!/usr/bin/env node
// The package's bin. It is a committed file, not dist/cli/main.js itself: npm links a bin at
// install time only if its file exists, and in a fresh checkout of this repository dist/ is built
// after `npm install`, so a bin pointing into dist/ would never be linked.
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist')) throw error;
  process.stderr.write('astro-loader-instagram: the package is not built (dist/ is missing). To fix: run `npm run build`.\n');
  process.exit(1);
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`astro-loader-instagram: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
