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

/** Fields without which a media item or profile means nothing; never dropped by the fallback below. */
export const REQUIRED_FIELDS = new Set(['id', 'media_type', 'timestamp', 'username']);

/**
 * The field list without `name`, at the top level and inside `children{...}`. Used when the API
 * answers code 100 "Tried accessing nonexisting field (name)": Meta's docs disagree on which fields
 * graph.instagram.com serves (media_product_type, alt_text, counts), so optional ones are dropped
 * rather than failing the whole feed.
 */
export function withoutField(fields: readonly string[], name: string): string[] {
  return fields
    .filter((field) => field !== name)
    .map((field) => {
      const nested = /^(\w+)\{(.*)\}$/.exec(field);
      if (!nested) return field;
      const inner = nested[2]!.split(',').filter((child) => child !== name);
      return `${nested[1]}{${inner.join(',')}}`;
    });
}

/** The field named in a code-100 "nonexisting field (x)" error, if any. */
export function nonexistingField(message: string): string | undefined {
  return /nonexisting field \((\w+)\)/i.exec(message)?.[1];
}
