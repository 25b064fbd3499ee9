export { instagramLoader, LOADER_NAME } from './loader.js';
export type { InstagramLoaderOptions } from './options.js';
export { instagramProfileLoader, PROFILE_LOADER_NAME } from './profile-loader.js';
export type { InstagramProfileLoaderOptions } from './profile-loader.js';
export { instagramPostSchema, instagramChildSchema, IMAGE_IMPORT_PREFIX } from './schema.js';
export type { InstagramPostData, InstagramPostInput } from './schema.js';
export { instagramProfileSchema } from './profile-schema.js';
export type { InstagramProfileData } from './profile-schema.js';
export type { InstagramPost, InstagramChild } from 'instagram-graph';
/** The Astro integration, as the default export so `astro add astro-loader-instagram` finds it. */
export { default } from './integration.js';
export type { InstagramIntegrationOptions } from './integration.js';
export { captionParts } from './caption-links.js';
export type { CaptionPart } from './caption-links.js';
