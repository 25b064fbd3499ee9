import { defineConfig } from 'astro/config';

// Benchmark site built with astro-loader-instagram: images are local files, no remote config needed.
// The bench harness gives every run its own output and cache folders.
export default defineConfig({
  outDir: process.env.ASTRO_OUT_DIR || './dist',
  cacheDir: process.env.ASTRO_CACHE_DIR || './node_modules/.astro',
  logLevel: 'info',
  // BENCH_INCREMENTAL=1: render only the post pages whose cacheKey (the entry digest) changed.
  ...(process.env.BENCH_INCREMENTAL === '1' ? { experimental: { incrementalBuild: true } } : {}),
});
