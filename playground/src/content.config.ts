import { defineCollection } from 'astro:content';
import { instagramLoader } from 'astro-loader-instagram';

export const collections = {
  // Reads INSTAGRAM_TOKEN from the environment. See the README for every option.
  instagram: defineCollection({ loader: instagramLoader() }),
};
