import { createRequire } from 'node:module';
import { defineConfig } from 'astro/config';
import instagram from 'astro-loader-instagram';
import { demoFeed, startDemoFeedIfNoToken } from './demo-feed.mjs';

await startDemoFeedIfNoToken();

// Incremental builds render only the post pages whose cacheKey (the entry's digest, see
// src/pages/p/[id].astro) changed. The flag exists from Astro 7.2; Astro 6 rejects unknown flags.
const [major, minor] = createRequire(import.meta.url)('astro/package.json')
  .version.split('.')
  .map(Number);
const hasIncrementalBuild = major === 7 && minor >= 2;

export default defineConfig({
  // Post pages' canonical link, Open Graph and JSON-LD need absolute URLs (InstagramPostMeta).
  site: process.env.SITE_URL || 'https://studio.example',
  // Tests and benchmarks build into their own folders.
  ...(process.env.ASTRO_OUT_DIR ? { outDir: process.env.ASTRO_OUT_DIR } : {}),
  ...(process.env.ASTRO_CACHE_DIR ? { cacheDir: process.env.ASTRO_CACHE_DIR } : {}),
  ...(hasIncrementalBuild ? { experimental: { incrementalBuild: true } } : {}),
  integrations: [instagram(), demoFeed()],
});
