import { defineConfig } from 'astro/config';

// Benchmark site built the way a user would without astro-loader-instagram: the pages hand
// Instagram's signed CDN URLs to <Image inferSize>, so Astro must be allowed to fetch them.
const api = new URL(process.env.INSTAGRAM_API_URL || 'https://graph.instagram.com');

export default defineConfig({
  outDir: process.env.ASTRO_OUT_DIR || './dist',
  cacheDir: process.env.ASTRO_CACHE_DIR || './node_modules/.astro',
  logLevel: 'info',
  image: {
    remotePatterns: [
      { protocol: 'https', hostname: '**.cdninstagram.com' },
      { protocol: 'https', hostname: '**.fbcdn.net' },
      // The bench's fake Instagram serves its CDN from the API's origin (http://127.0.0.1:<port>/cdn/...).
      { protocol: api.protocol.slice(0, -1), hostname: api.hostname, ...(api.port ? { port: api.port } : {}), pathname: '/cdn/**' },
    ],
  },
});
