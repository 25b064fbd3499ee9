import { parseCaption } from './caption.js';
import { parseInstagramTimestamp } from './timestamp.js';
import type { RawChild, RawMedia, RawMediaType, RawProfile } from './types.js';

export type MediaType = 'image' | 'video' | 'carousel';

/** One picture or video inside a carousel. */
export interface InstagramChild {
  id: string;
  type: 'image' | 'video';
  /** Signed CDN URL of the image or MP4; absent for licensed content. Expires within days. */
  mediaUrl?: string;
  /** Signed CDN URL of a video's poster frame. */
  thumbnailUrl?: string;
  altText?: string;
}

/** A post in our own camelCase model. Ids stay strings: they exceed 2^53. */
export interface InstagramPost {
  id: string;
  type: MediaType;
  /** Published as a Reel (`media_product_type: REELS` or a /reel/ permalink). */
  isReel: boolean;
  /**
   * Reels only (`is_shared_to_feed`): `false` when the owner kept the Reel off the main grid (it shows
   * only in the Reels tab). Undefined when Instagram did not say (other posts, or the field was refused).
   */
  sharedToFeed?: boolean;
  caption: string;
  prunedCaption: string;
  hashtags: string[];
  mentions: string[];
  permalink: string;
  shortcode?: string;
  timestamp: Date;
  username: string;
  altText?: string;
  likeCount?: number;
  commentsCount?: number;
  mediaUrl?: string;
  thumbnailUrl?: string;
  children: InstagramChild[];
}

export interface InstagramProfile {
  id: string;
  userId?: string;
  username: string;
  name?: string;
  accountType?: string;
  biography?: string;
  website?: string;
  profilePictureUrl?: string;
  followersCount?: number;
  followsCount?: number;
  mediaCount?: number;
}

/** Thrown for an item that cannot become a post; callers skip it and go on. */
export class InvalidMediaError extends Error {
  readonly mediaId: string | undefined;
  constructor(mediaId: string | undefined, reason: string) {
    super(`Instagram media ${mediaId ?? '(no id)'} skipped: ${reason}`);
    this.name = 'InvalidMediaError';
    this.mediaId = mediaId;
  }
}

const MEDIA_TYPES: Record<RawMediaType, MediaType> = { IMAGE: 'image', VIDEO: 'video', CAROUSEL_ALBUM: 'carousel' };

/** Instagram ids are decimal strings; anything else is refused before it names a file. */
export function isValidMediaId(id: unknown): id is string {
  return typeof id === 'string' && /^\d{1,30}$/.test(id);
}

export function normalizeMedia(raw: unknown): InstagramPost {
  if (!raw || typeof raw !== 'object') throw new InvalidMediaError(undefined, 'not an object');
  const media = raw as RawMedia;
  const id = typeof media.id === 'number' ? String(media.id) : media.id;
  if (!isValidMediaId(id)) throw new InvalidMediaError(printable(id), 'the id is not a numeric string');
  const type = media.media_type && MEDIA_TYPES[media.media_type];
  if (!type) throw new InvalidMediaError(id, `unknown media_type ${printable(media.media_type)}`);
  const timestamp = parseInstagramTimestamp(media.timestamp);
  if (!timestamp) throw new InvalidMediaError(id, `unreadable timestamp ${printable(media.timestamp)}`);

  const caption = typeof media.caption === 'string' ? media.caption : '';
  const permalink = typeof media.permalink === 'string' ? media.permalink : '';
  const rawChildren = Array.isArray(media.children?.data) ? media.children.data : [];

  return {
    id,
    type,
    isReel: media.media_product_type === 'REELS' || /\/reels?\//.test(permalink),
    ...optional('sharedToFeed', typeof media.is_shared_to_feed === 'boolean' ? media.is_shared_to_feed : undefined),
    caption,
    ...parseCaption(caption),
    permalink,
    ...optional('shortcode', stringOrUndefined(media.shortcode)),
    timestamp,
    username: typeof media.username === 'string' ? media.username : '',
    ...optional('altText', nonEmpty(media.alt_text)),
    ...optional('likeCount', countOrUndefined(media.like_count)),
    ...optional('commentsCount', countOrUndefined(media.comments_count)),
    ...optional('mediaUrl', stringOrUndefined(media.media_url)),
    ...optional('thumbnailUrl', stringOrUndefined(media.thumbnail_url)),
    children: type === 'carousel' ? rawChildren.flatMap((child) => normalizeChild(child)) : [],
  };
}

/** Children with a bad id or type are dropped rather than failing the whole post. */
function normalizeChild(raw: RawChild): InstagramChild[] {
  if (!raw || !isValidMediaId(raw.id)) return [];
  const type = raw.media_type === 'VIDEO' ? 'video' : raw.media_type === 'IMAGE' || !raw.media_type ? 'image' : undefined;
  if (!type) return [];
  return [
    {
      id: raw.id,
      type,
      ...optional('mediaUrl', stringOrUndefined(raw.media_url)),
      ...optional('thumbnailUrl', stringOrUndefined(raw.thumbnail_url)),
      ...optional('altText', nonEmpty(raw.alt_text)),
    },
  ];
}

/** The still image that represents a post or child: the photo itself or a video's poster. */
export function imageUrlOf(media: { type: string; mediaUrl?: string; thumbnailUrl?: string }): string | undefined {
  return media.type === 'video' ? media.thumbnailUrl : (media.mediaUrl ?? media.thumbnailUrl);
}

export function normalizeProfile(raw: RawProfile): InstagramProfile {
  const id = stringOrUndefined(raw.user_id) ?? stringOrUndefined(raw.id);
  if (!id) throw new InvalidMediaError(undefined, 'profile without id');
  return {
    id,
    ...optional('userId', stringOrUndefined(raw.user_id)),
    username: raw.username ?? '',
    ...optional('name', nonEmpty(raw.name)),
    ...optional('accountType', nonEmpty(raw.account_type)),
    ...optional('biography', nonEmpty(raw.biography)),
    ...optional('website', nonEmpty(raw.website)),
    ...optional('profilePictureUrl', stringOrUndefined(raw.profile_picture_url)),
    ...optional('followersCount', countOrUndefined(raw.followers_count)),
    ...optional('followsCount', countOrUndefined(raw.follows_count)),
    ...optional('mediaCount', countOrUndefined(raw.media_count)),
  };
}

/** `{ key: value }` when value is defined, else `{}`: keeps absent fields absent (not `undefined`). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function countOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function printable(value: unknown): string {
  return JSON.stringify(value)?.slice(0, 40) ?? 'undefined';
}
