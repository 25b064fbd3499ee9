// Astro components, shipped as source: Astro compiles them in the user's site.
export { default as InstagramFeed } from './InstagramFeed.astro';
export { default as InstagramLightbox } from './InstagramLightbox.astro';
export { default as InstagramPost } from './InstagramPost.astro';
export { default as InstagramPostMeta } from './InstagramPostMeta.astro';
export { default as InstagramProfile } from './InstagramProfile.astro';
export { default as InstagramTagged } from './InstagramTagged.astro';
export { DEFAULT_LABELS, type InstagramLabels, labelsWith } from './labels.js';
export { lightboxId, lightboxInvoker } from './lightbox.js';
export { DEFAULT_POST_LABELS, type InstagramPostLabels, postLabelsWith } from './post-labels.js';
