import { defineCollection } from 'astro:content';
import { instagramLoader, instagramProfileLoader, instagramTaggedLoader, instagramTaggedPostSchema } from 'astro-loader-instagram';
import { isDemo } from './lib/posts';

/**
 * Customers' photos (README "Customers' photos"). The demo feed serves posts by other accounts that tag
 * the studio, and the demo approves those of two customers. With your own token, set INSTAGRAM_TAGGED=1
 * once it has instagram_business_manage_comments (`npx astro-loader-instagram login --tagged`), and list
 * the posts you approved (after asking their authors) in `approve`.
 */
const DEMO_CUSTOMERS = ['mara.makes.coffee', 'the.tiny.kitchen'];
const customers =
  isDemo || process.env.INSTAGRAM_TAGGED === '1'
    ? defineCollection({ loader: instagramTaggedLoader({ approve: isDemo ? (post) => DEMO_CUSTOMERS.includes(post.username) : [] }) })
    : defineCollection({ loader: () => [], schema: instagramTaggedPostSchema });

export const collections = {
  // Both read INSTAGRAM_TOKEN from the environment or playground/.env. See the README for every option.
  // downloadVideos: the MP4s are copied into the site, so /layouts/video/ plays them muted and looped.
  instagram: defineCollection({ loader: instagramLoader({ downloadVideos: true }) }),
  profile: defineCollection({ loader: instagramProfileLoader() }),
  customers,
};
