export { instagramLoader, LOADER_NAME } from './loader.js';
export type { InstagramLoaderOptions } from './options.js';
export { instagramPostSchema, instagramChildSchema, IMAGE_IMPORT_PREFIX } from './schema.js';
export type { InstagramPostData, InstagramPostInput } from './schema.js';
export type { InstagramPost, InstagramChild } from 'instagram-graph';
