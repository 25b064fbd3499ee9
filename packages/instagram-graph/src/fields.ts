/** Field lists requested from the API. Children come nested so a page of 100 posts is one request. */

export const CHILD_FIELDS = ['id', 'media_type', 'media_url', 'thumbnail_url', 'alt_text'] as const;

export const MEDIA_FIELDS = [
  'id',
  'caption',
  'media_type',
  'media_product_type',
  'media_url',
  'thumbnail_url',
  'permalink',
  'shortcode',
  'timestamp',
  'username',
  'alt_text',
  'is_shared_to_feed',
  'like_count',
  'comments_count',
  `children{${CHILD_FIELDS.join(',')}}`,
] as const;

/** Only what is needed to re-sign expired CDN URLs of one media item. */
export const MEDIA_URL_FIELDS = ['id', 'media_type', 'media_url', 'thumbnail_url', `children{${CHILD_FIELDS.join(',')}}`] as const;

export const PROFILE_FIELDS = [
  'id',
  'user_id',
  'username',
  'name',
  'account_type',
  'profile_picture_url',
  'followers_count',
  'follows_count',
  'media_count',
  'biography',
  'website',
] as const;

/** The IG User node behind Facebook Login has no `user_id` or `account_type`. */
export const FACEBOOK_PROFILE_FIELDS = PROFILE_FIELDS.filter((field) => field !== 'user_id' && field !== 'account_type');
