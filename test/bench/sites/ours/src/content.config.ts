import { defineCollection } from 'astro:content';
import { instagramLoader } from 'astro-loader-instagram';

// INSTAGRAM_TOKEN and INSTAGRAM_API_URL come from the bench harness (the fake server).
// BENCH_LOADER_OPTIONS (`npm run bench -- --loader-options '{"maxImageSize":1440}'`) tries other
// loader options; unset, the defaults.
const options = process.env.BENCH_LOADER_OPTIONS ? JSON.parse(process.env.BENCH_LOADER_OPTIONS) : {};

export const collections = {
  instagram: defineCollection({ loader: instagramLoader(options) }),
};
