// Astro components, shipped as source: Astro compiles them in the user's site.
export { default as InstagramFeed } from './InstagramFeed.astro';
export { default as InstagramPost } from './InstagramPost.astro';
export { default as InstagramProfile } from './InstagramProfile.astro';
