import { defineCollection } from 'astro:content';
import { instagramLoader, instagramProfileLoader } from 'astro-loader-instagram';

export const collections = {
  // Both read INSTAGRAM_TOKEN from the environment or playground/.env. See the README for every option.
  instagram: defineCollection({ loader: instagramLoader() }),
  profile: defineCollection({ loader: instagramProfileLoader() }),
};
