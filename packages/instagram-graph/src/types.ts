/**
 * Raw shapes of the Instagram API with Instagram Login (graph.instagram.com), as documented by Meta.
 * Every field is optional because the API omits what it does not have (no nulls), and fields
 * such as `media_url` disappear for licensed-audio reels.
 */

export type RawMediaType = 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
export type RawMediaProductType = 'AD' | 'FEED' | 'STORY' | 'REELS';

export interface RawChild {
  id: string;
  media_type?: RawMediaType;
  media_url?: string;
  thumbnail_url?: string;
  alt_text?: string;
}

export interface RawMedia {
  id: string;
  caption?: string;
  media_type?: RawMediaType;
  media_product_type?: RawMediaProductType;
  media_url?: string;
  thumbnail_url?: string;
  permalink?: string;
  shortcode?: string;
  /** ISO-8601 with a colon-less offset: `2019-09-26T22:36:43+0000`. */
  timestamp?: string;
  username?: string;
  alt_text?: string;
  is_shared_to_feed?: boolean;
  like_count?: number;
  comments_count?: number;
  children?: { data?: RawChild[] };
}

export interface RawProfile {
  id?: string;
  user_id?: string;
  username?: string;
  name?: string;
  account_type?: string;
  profile_picture_url?: string;
  followers_count?: number;
  follows_count?: number;
  media_count?: number;
  biography?: string;
  website?: string;
}

export interface RawPaging {
  cursors?: { before?: string; after?: string };
  /** Absolute URL of the next page. It embeds the access token: never log or store it. */
  next?: string;
  previous?: string;
}

export interface RawPage<T> {
  data?: T[];
  paging?: RawPaging;
}

/** Graph API error body: `{"error":{...}}`. */
export interface RawGraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** Legacy OAuth error body used by api.instagram.com/oauth/access_token. */
export interface RawOAuthError {
  error_type?: string;
  code?: number;
  error_message?: string;
}
