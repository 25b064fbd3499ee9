export type { CaptionToken, ParsedCaption } from './caption.js';
export { parseCaption, tokenizeCaption } from './caption.js';
export type { InstagramClient, InstagramClientOptions, ListMediaOptions, ListTaggedOptions } from './client.js';
export { createInstagramClient, DEFAULT_API_URL, DEFAULT_API_VERSION, FACEBOOK_API_URL, MAX_PAGE_SIZE, MIN_PAGE_SIZE } from './client.js';
export { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, retryPolicy, TOKEN_RETRY } from './defaults.js';
export type { InstagramErrorKind } from './errors.js';
export { ERROR_FIXES, InstagramApiError, InstagramError, InstagramNetworkError, messageOf, tokenFreeCause } from './errors.js';
export type { AppCredentials, FacebookPage, FacebookRequestOptions, TokenDebugInfo } from './facebook-token.js';
export { debugToken, describeFacebookToken, exchangeFacebookToken, listFacebookPages } from './facebook-token.js';
export { CHILD_FIELDS, FACEBOOK_PROFILE_FIELDS, MEDIA_FIELDS, MEDIA_URL_FIELDS, PROFILE_FIELDS, TAGGED_MEDIA_FIELDS } from './fields.js';
export type { InstagramApiHost } from './host.js';
export type { RetryPolicy } from './http.js';
export type { InstagramChild, InstagramPost, InstagramProfile, MediaType } from './normalize.js';
export { InvalidMediaError, imageUrlOf, isValidMediaId, normalizeMedia, normalizeProfile } from './normalize.js';
export type { AuthorizeUrlOptions, CodeExchangeOptions, OAuthFailureReason, ShortLivedToken } from './oauth.js';
export {
  buildAuthorizeUrl,
  DEFAULT_AUTHORIZE_URL,
  DEFAULT_OAUTH_URL,
  DEFAULT_SCOPES,
  exchangeCodeForToken,
  InstagramOAuthError,
  parseAuthorizationRedirect,
} from './oauth.js';
export type { OnRateLimit, RateLimitInfo } from './rate-limit.js';
export { RATE_LIMIT_PAUSE_MS, retryAfterFromHeaders, retryOnce, usagePercent } from './rate-limit.js';
export { describeUrl, REDACTED, redact } from './redact.js';
export { TAGS_PERMISSION, tagsPermissionError } from './tags-permission.js';
export { parseInstagramTimestamp } from './timestamp.js';
export type { LongLivedToken, TokenFailureReason, TokenRequestOptions } from './token.js';
export {
  exchangeForLongLivedToken,
  InstagramTokenError,
  LONG_LIVED_TOKEN_LIFETIME_MS,
  MIN_REFRESH_AGE_MS,
  refreshAccessToken,
} from './token.js';
export type * from './types.js';
