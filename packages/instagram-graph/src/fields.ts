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

/**
 * `GET /{ig-user-id}/tags`: other people's posts in which the account is tagged. Their author is
 * `username`; counts, `shortcode` and Reel-only fields are left out (they belong to the author's
 * insights, and Meta's tags reference lists only the IG Media basics).
 */
export const TAGGED_MEDIA_FIELDS = [
  'id',
  'caption',
  'media_type',
  'media_url',
  'thumbnail_url',
  'permalink',
  'timestamp',
  'username',
  `children{${CHILD_FIELDS.filter((field) => field !== 'alt_text').join(',')}}`,
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
 * The field list without `name`, at the top level and inside `children{...}`; naming an expansion
 * (`children`) drops the whole expansion. Used when the API refuses an optional field: Meta's docs
 * disagree on which fields graph.instagram.com serves (media_product_type, alt_text, counts), so
 * optional ones are dropped rather than failing the whole feed.
 */
export function withoutField(fields: readonly string[], name: string): string[] {
  return fields
    .filter((field) => fieldName(field) !== name)
    .map((field) => {
      const nested = /^([\w.()]+)\{(.*)\}$/.exec(field);
      if (!nested) return field;
      const inner = nested[2]!.split(',').filter((child) => child !== name);
      return `${nested[1]}{${inner.join(',')}}`;
    });
}

/** `children` for `children{id,...}` or `children.limit(20){...}`. */
export function fieldName(field: string): string {
  return /^\w+/.exec(field)?.[0] ?? field;
}

/** Every field name asked for, top level and nested. */
function namesIn(fields: readonly string[]): string[] {
  return fields.flatMap((field) => {
    const inner = /\{(.*)\}$/.exec(field)?.[1];
    return [fieldName(field), ...(inner ? inner.split(',').map(fieldName) : [])];
  });
}

/**
 * The optional field an error refuses by name, among those asked for. Known wordings:
 * code 100 "Tried accessing nonexisting field (x)", "(#100) x is not supported" / "x is unsupported",
 * and a permission refusal (code 10, 200-299) whose message names a field of the request.
 */
export function refusedField(error: { code?: number | undefined; message: string }, fields: readonly string[]): string | undefined {
  const asked = namesIn(fields).filter((name) => !REQUIRED_FIELDS.has(name));
  let named: string | undefined;
  if (error.code === 100) {
    named = (/nonexisting field \((\w+)\)/i.exec(error.message) ?? /(\w+) is (?:not supported|unsupported)/i.exec(error.message))?.[1];
  } else if (isPermissionCode(error.code)) {
    named = asked.find((name) => new RegExp(`\\b${name}\\b`).test(error.message));
  }
  return named && asked.includes(named) ? named : undefined;
}

/** Code 10 or 200-299: the app lacks a permission, for the whole call or for one field of it. */
export function isPermissionCode(code: number | undefined): boolean {
  return code === 10 || (code !== undefined && code >= 200 && code <= 299);
}
