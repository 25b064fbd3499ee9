import { defineCollection } from 'astro:content';
import { instagramLoader } from 'astro-loader-instagram';

// INSTAGRAM_TOKEN and INSTAGRAM_API_URL come from the bench harness (the fake server).
export const collections = {
  instagram: defineCollection({ loader: instagramLoader() }),
};
