import type { InstagramPost } from 'instagram-graph';
import type { CachedImage } from './media/image-cache.js';
import { postKindLabel } from './post-kind.js';
import type { PostLink } from './post-link.js';
import type { InstagramPostInput } from './schema.js';

/** A post's media once on disk: what `toEntryData` turns into entry fields. */
export interface LocalMedia {
  cover: CachedImage;
  /** Site URL of the downloaded MP4. */
  video?: string;
  children: Array<{ id: string; type: 'image' | 'video'; altText?: string; image: CachedImage; video?: string }>;
}

const ALT_MAX = 125; // screen readers cut long alt text; keep the start of the caption

/** Entry data for one post, once its images are local files. `link`: from `postLink()`. */
export function toEntryData(
  post: InstagramPost & { pinned?: number },
  { cover, video, children }: LocalMedia,
  link?: PostLink,
): InstagramPostInput {
  const alt = postAlt(post);
  return {
    id: post.id,
    type: post.type,
    isReel: post.isReel,
    ...(post.sharedToFeed === undefined ? {} : { sharedToFeed: post.sharedToFeed }),
    caption: post.caption,
    prunedCaption: post.prunedCaption,
    hashtags: post.hashtags,
    mentions: post.mentions,
    permalink: post.permalink,
    ...(post.shortcode ? { shortcode: post.shortcode } : {}),
    timestamp: post.timestamp,
    username: post.username,
    ...imageData(cover, alt),
    ...(video ? { video } : {}),
    children: children.map((child, index) => ({
      id: child.id,
      type: child.type,
      ...imageData(child.image, child.altText ?? `${alt} (${index + 1} of ${children.length})`),
      ...(child.video ? { video: child.video } : {}),
    })),
    ...(post.likeCount === undefined ? {} : { likeCount: post.likeCount }),
    ...(post.commentsCount === undefined ? {} : { commentsCount: post.commentsCount }),
    ...(link ? { link } : {}),
    ...(post.pinned === undefined ? {} : { pinned: post.pinned }),
  };
}

function imageData(image: CachedImage, alt: string) {
  return { image: image.file, alt, placeholder: image.placeholder, color: image.color, ...(image.focus ? { focus: image.focus } : {}) };
}

/** Instagram's alt text when the owner wrote one; else the caption's opening words; else a description. */
export function postAlt(post: Pick<InstagramPost, 'altText' | 'prunedCaption' | 'type' | 'isReel' | 'username' | 'timestamp'>): string {
  if (post.altText) return post.altText;
  const words = post.prunedCaption
    .replace(/[#@]([\p{L}\p{N}_.]+)/gu, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  if (words) return truncate(words, ALT_MAX);
  const label = postKindLabel(post);
  const kind = label === 'Album' ? 'Photo album' : label; // read aloud, "Album" alone says too little
  const by = post.username ? ` by @${post.username}` : '';
  return `${kind}${by} on Instagram, ${post.timestamp.toISOString().slice(0, 10)}`;
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,.;:!-]+$/, '')}…`;
}

/**
 * What the digest covers: everything shown on the site, minus the signed CDN URLs, whose query
 * string changes on every API call and would make every post look changed.
 */
export function digestInput(post: InstagramPost, settings: Record<string, unknown>): Record<string, unknown> {
  const { mediaUrl: _m, thumbnailUrl: _t, children, ...stable } = post;
  return {
    post: stable,
    children: children.map(({ mediaUrl: _cm, thumbnailUrl: _ct, ...child }) => child),
    settings,
  };
}
