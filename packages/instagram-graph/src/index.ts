export { createInstagramClient, DEFAULT_API_URL, DEFAULT_API_VERSION, FACEBOOK_API_URL, MAX_PAGE_SIZE } from './client.js';
export type { InstagramApiHost, InstagramClient, InstagramClientOptions, ListMediaOptions } from './client.js';
export type { RetryPolicy } from './http.js';
export { InstagramError, InstagramApiError, InstagramNetworkError, ERROR_FIXES } from './errors.js';
export type { InstagramErrorKind } from './errors.js';
export { normalizeMedia, normalizeProfile, imageUrlOf, isValidMediaId, InvalidMediaError } from './normalize.js';
export type { InstagramPost, InstagramChild, InstagramProfile, MediaType } from './normalize.js';
export { parseCaption } from './caption.js';
export type { ParsedCaption } from './caption.js';
export { parseInstagramTimestamp } from './timestamp.js';
export { redact, describeUrl, REDACTED } from './redact.js';
export { retryAfterFromHeaders, usagePercent } from './rate-limit.js';
export { MEDIA_FIELDS, MEDIA_URL_FIELDS, PROFILE_FIELDS, FACEBOOK_PROFILE_FIELDS, CHILD_FIELDS } from './fields.js';
export type * from './types.js';
export {
  refreshAccessToken,
  exchangeForLongLivedToken,
  InstagramTokenError,
  LONG_LIVED_TOKEN_LIFETIME_MS,
  MIN_REFRESH_AGE_MS,
} from './token.js';
export type { LongLivedToken, TokenFailureReason, TokenRequestOptions } from './token.js';
export {
  buildAuthorizeUrl,
  parseAuthorizationRedirect,
  exchangeCodeForToken,
  InstagramOAuthError,
  DEFAULT_AUTHORIZE_URL,
  DEFAULT_OAUTH_URL,
  DEFAULT_SCOPES,
} from './oauth.js';
export type { AuthorizeUrlOptions, CodeExchangeOptions, ShortLivedToken, OAuthFailureReason } from './oauth.js';
