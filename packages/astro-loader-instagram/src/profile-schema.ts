import { z } from 'astro/zod';
import { localImage } from './schema.js';

export const instagramProfileSchema = z.object({
  /** Instagram professional account id. */
  id: z.string(),
  username: z.string(),
  name: z.string().optional(),
  biography: z.string().optional(),
  website: z.string().optional(),
  accountType: z.string().optional(),
  followersCount: z.number().optional(),
  followsCount: z.number().optional(),
  mediaCount: z.number().optional(),
  /** The profile picture, downloaded and local. Absent when the account has none. */
  picture: localImage.optional(),
  /** Alt text for the picture. */
  alt: z.string(),
  placeholder: z.string().optional(),
  color: z.string().optional(),
});

/** `entry.data` of an Instagram profile collection. */
export type InstagramProfileData = z.output<typeof instagramProfileSchema>;
