import type { z } from 'astro/zod';
import { instagramPostSchema } from './schema.js';

/**
 * `entry.data` of an `instagramTaggedLoader()` collection: a post like the account's own, but by
 * someone else. `username` is its author and `permalink` their post: show both as credit
 * ("Photo by @username", linked to the post). Counts are absent: they belong to the author; so is
 * `link`: a URL in someone else's caption is theirs, not a button for the owner's site.
 */
export const instagramTaggedPostSchema = instagramPostSchema;

/** `entry.data` of a tagged collection. */
export type InstagramTaggedPostData = z.output<typeof instagramTaggedPostSchema>;
