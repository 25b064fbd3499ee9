import { getCollection } from 'astro:content';

/** All posts, newest first. */
export async function getPosts() {
  const posts = await getCollection('instagram');
  return posts.sort((a, b) => b.data.timestamp.getTime() - a.data.timestamp.getTime());
}

/** The account's profile (one entry), if it could be read. */
export async function getProfile() {
  const [profile] = await getCollection('profile');
  return profile;
}

/** True when the site was built against the built-in demo feed (no INSTAGRAM_TOKEN). */
export const isDemo = process.env.INSTAGRAM_DEMO === '1';
