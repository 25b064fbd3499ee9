import { defineConfig } from 'astro/config';
import instagram from 'astro-loader-instagram';
import { demoFeed, startDemoFeedIfNoToken } from './demo-feed.mjs';

await startDemoFeedIfNoToken();

export default defineConfig({
  // Tests and benchmarks build into their own folders.
  ...(process.env.ASTRO_OUT_DIR ? { outDir: process.env.ASTRO_OUT_DIR } : {}),
  ...(process.env.ASTRO_CACHE_DIR ? { cacheDir: process.env.ASTRO_CACHE_DIR } : {}),
  integrations: [instagram(), demoFeed()],
});
