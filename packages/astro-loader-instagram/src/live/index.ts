import { getSecret } from 'astro:env/server';
import { createLiveLoader, type InstagramLiveLoader } from './live-loader.js';
import type { InstagramLiveLoaderOptions } from './live-options.js';

export type { InstagramLiveError } from './live-error.js';
export type { InstagramLiveLoader, InstagramLivePost } from './live-loader.js';
export type { InstagramLiveCollectionFilter, InstagramLiveEntryFilter, InstagramLiveLoaderOptions } from './live-options.js';

/**
 * Your Instagram posts read at request time, for server-rendered pages (an adapter, `output: 'server'`
 * or pages with `prerender = false`). In `src/live.config.ts`:
 *
 * ```ts
 * import { defineLiveCollection } from 'astro:content';
 * import { instagramLiveLoader } from 'astro-loader-instagram/live';
 * export const collections = { instagram: defineLiveCollection({ loader: instagramLiveLoader() }) };
 * ```
 *
 * The token comes from `getSecret('INSTAGRAM_TOKEN')` (astro:env), else `process.env.INSTAGRAM_TOKEN`,
 * read on each request. Images stay on Instagram's CDN: see the README's "Live mode (SSR)".
 */
export function instagramLiveLoader(options: InstagramLiveLoaderOptions = {}): InstagramLiveLoader {
  // astro:env's getSecret reads the adapter's environment (process.env under @astrojs/node); a value
  // set only in process.env after start is still found by the loader's fallback.
  return createLiveLoader(options, (key) => getSecret(key));
}
