/**
 * What `<InstagramPostMeta>` puts in a post page's `<head>`: the words (headline, description) and the
 * schema.org `SocialMediaPosting` JSON-LD, as plain functions so they are tested without a build.
 */
import type { InstagramPostData } from 'astro-loader-instagram';

/** One image as the page's own copy: absolute URL and its real size. */
export interface MetaImage {
  url: string;
  width: number;
  height: number;
  alt: string;
  /** The site's copy of the video this image is the poster of (loader option `downloadVideos`), absolute. */
  video?: string;
}

/** Google shows at most about 110 characters of a headline. */
const HEADLINE_MAX = 110;
/** Search results and link previews cut descriptions near 160-200 characters. */
const DESCRIPTION_MAX = 200;

/** `text` on one line, cut at a word boundary to at most `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > max / 2 ? cut.slice(0, atWord) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}

/** The caption's first line without its hashtag block, or "Photo by @user" when there is none. */
export function postHeadline(post: Pick<InstagramPostData, 'prunedCaption' | 'username'>, kind: string): string {
  const firstLine = post.prunedCaption.split('\n').find((line) => line.trim() !== '') ?? '';
  return firstLine ? shorten(firstLine, HEADLINE_MAX) : `${kind} by @${post.username}`;
}

/** The caption without its hashtag block, on one line; the headline when there is no caption. */
export function postDescription(post: Pick<InstagramPostData, 'prunedCaption' | 'username'>, kind: string): string {
  return post.prunedCaption.trim() ? shorten(post.prunedCaption, DESCRIPTION_MAX) : postHeadline(post, kind);
}

export interface StructuredDataInput {
  post: InstagramPostData;
  headline: string;
  description: string;
  /** The page's absolute URL; undefined without `site`. */
  url?: string;
  /** The site's copies of the images (every slide of an album, a video's poster), absolute; empty without `site`. */
  images: MetaImage[];
}

/** schema.org `SocialMediaPosting` for a post page (https://schema.org/SocialMediaPosting). */
export function postStructuredData({ post, headline, description, url, images }: StructuredDataInput): Record<string, unknown> {
  const profile = `https://www.instagram.com/${post.username}/`;
  const imageObjects = images.map((image) => ({
    '@type': 'ImageObject',
    contentUrl: image.url,
    url: image.url,
    width: image.width,
    height: image.height,
    caption: image.alt,
  }));
  // What the post shares: each photo, or each video with its poster (a video Instagram gave no file for stays its poster).
  const shared = images.map((image, index) =>
    image.video
      ? {
          '@type': 'VideoObject',
          contentUrl: image.video,
          thumbnailUrl: image.url,
          name: headline,
          description: image.alt,
          uploadDate: post.timestamp.toISOString(),
        }
      : imageObjects[index],
  );
  const interactions = [
    post.likeCount !== undefined && { type: 'https://schema.org/LikeAction', count: post.likeCount },
    post.commentsCount !== undefined && { type: 'https://schema.org/CommentAction', count: post.commentsCount },
  ]
    .filter((item) => item !== false)
    .map((item) => ({ '@type': 'InteractionCounter', interactionType: item.type, userInteractionCount: item.count }));
  return {
    '@context': 'https://schema.org',
    '@type': 'SocialMediaPosting',
    ...(url ? { '@id': url, url, mainEntityOfPage: url } : {}),
    headline,
    ...(post.caption ? { articleBody: post.caption } : {}),
    description,
    datePublished: post.timestamp.toISOString(),
    author: {
      '@type': 'Person',
      name: `@${post.username}`,
      alternateName: post.username,
      url: profile,
      sameAs: [profile],
    },
    // The same post on Instagram: the original this page copies.
    sameAs: [post.permalink],
    ...(imageObjects.length > 0 ? { image: imageObjects, sharedContent: shared } : {}),
    ...(post.hashtags.length > 0 ? { keywords: post.hashtags.join(', ') } : {}),
    ...(interactions.length > 0 ? { interactionStatistic: interactions } : {}),
  };
}

/**
 * JSON for inside `<script type="application/ld+json">`: `<`, `>` and `&` as `\u` escapes, so a
 * caption holding `</script>` or `<!--` cannot end the element or change how HTML parses it, and
 * U+2028/U+2029 escaped for old JavaScript parsers. JSON.parse gives back the same value.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
