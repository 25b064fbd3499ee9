export type { InstagramChild, InstagramPost } from 'instagram-graph';
export type { CaptionPart } from './caption-links.js';
export { captionParts } from './caption-links.js';
export { LOADER_NAME, PROFILE_LOADER_NAME } from './constants.js';
export type { SortablePost } from './curation/sort-posts.js';
export { sortPosts } from './curation/sort-posts.js';
export type { InstagramIntegrationOptions } from './integration.js';
/** The Astro integration, as the default export so `astro add astro-loader-instagram` finds it. */
export { default } from './integration.js';
export { instagramLoader } from './loader.js';
export type { InstagramLoaderOptions } from './options.js';
export type { PostKindLabel } from './post-kind.js';
export { postKindLabel } from './post-kind.js';
export type { InstagramProfileLoaderOptions } from './profile-loader.js';
export { instagramProfileLoader } from './profile-loader.js';
export type { InstagramProfileData } from './profile-schema.js';
export { instagramProfileSchema } from './profile-schema.js';
export type { InstagramPostData, InstagramPostInput } from './schema.js';
export { IMAGE_IMPORT_PREFIX, instagramChildSchema, instagramPostSchema } from './schema.js';
