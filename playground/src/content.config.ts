import { defineCollection } from 'astro:content';
import { instagramLoader, instagramProfileLoader } from 'astro-loader-instagram';

export const collections = {
  // Both read INSTAGRAM_TOKEN from the environment or playground/.env. See the README for every option.
  // downloadVideos: the MP4s are copied into the site, so /layouts/video/ plays them muted and looped.
  instagram: defineCollection({ loader: instagramLoader({ downloadVideos: true }) }),
  profile: defineCollection({ loader: instagramProfileLoader() }),
};
