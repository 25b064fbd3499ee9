import type { ImageMetadata } from 'astro';
import { z } from 'astro/zod';

/**
 * Astro turns strings that start with this marker into image imports, and the runtime hands
 * `ImageMetadata` to the page (astro/dist/content/consts.js `IMAGE_IMPORT_PREFIX`, unchanged
 * from Astro 5.0 to 7.3). A loader's own schema cannot call `image()`, so we add the marker here.
 */
export const IMAGE_IMPORT_PREFIX = '__ASTRO_IMAGE_';

/** An absolute path to a local file that reaches pages as `ImageMetadata`. */
export const localImage = z.string().transform((file) => `${IMAGE_IMPORT_PREFIX}${file}` as unknown as ImageMetadata);

const imageFields = {
  image: localImage,
  /** Alt text: Instagram's `alt_text` when given, else derived from the caption. Never empty. */
  alt: z.string().min(1),
  /** Tiny blurred WebP data URI to show while the image loads. */
  placeholder: z.string(),
  /** Dominant colour as `#rrggbb`. */
  color: z.string(),
  /**
   * Where the subject is, in percent of the width and height (sharp's attention strategy, at build
   * time): a cropped tile uses it as `object-position: x% y%` so the crop keeps the face, the dish
   * or the product. Absent on entries stored before it existed.
   */
  focus: z.object({ x: z.number().min(0).max(100), y: z.number().min(0).max(100) }).optional(),
};

/** URL of the downloaded MP4 inside the site (only with the loader's `downloadVideos` option). */
const video = z.string().optional();

export const instagramChildSchema = z.object({
  id: z.string(),
  type: z.enum(['image', 'video']),
  ...imageFields,
  video,
});

export const instagramPostSchema = z.object({
  /** Instagram media id: a numeric string larger than 2^53. */
  id: z.string(),
  type: z.enum(['image', 'video', 'carousel']),
  isReel: z.boolean(),
  /** Reels only: `false` when the owner kept the Reel off the main grid; absent when Instagram did not say. */
  sharedToFeed: z.boolean().optional(),
  caption: z.string(),
  /** Caption without the trailing block of hashtags and mentions. */
  prunedCaption: z.string(),
  hashtags: z.array(z.string()),
  mentions: z.array(z.string()),
  permalink: z.string(),
  shortcode: z.string().optional(),
  timestamp: z.coerce.date(),
  username: z.string(),
  /** The photo, the video's poster frame, or the album's first child. */
  ...imageFields,
  video,
  children: z.array(instagramChildSchema),
  likeCount: z.number().optional(),
  commentsCount: z.number().optional(),
  /**
   * The post's call to action: the loader's `links` map, else a caption line like `Shop:
   * example.com/mug` (its word is the `label`), else the caption's first http(s) address.
   * Always an absolute http(s) URL. Absent when the post has none.
   */
  link: z.object({ url: z.url({ protocol: /^https?$/ }), label: z.string().optional() }).optional(),
  /** Place in the loader's `pin` option (1, 2, ...): `sortPosts()` shows pinned posts first. Absent when not pinned. */
  pinned: z.number().int().positive().optional(),
  /** The loader's `fields` option: each field asked for, as Instagram served it (absent when refused or not on this post). */
  extra: z.record(z.string(), z.unknown()).default({}),
});

/** `entry.data` of an Instagram collection. */
export type InstagramPostData = z.output<typeof instagramPostSchema>;
/** What the loader hands to `parseData`, before image paths become `ImageMetadata`. */
export type InstagramPostInput = z.input<typeof instagramPostSchema>;
