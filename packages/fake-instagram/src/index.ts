export { businessUseCaseUsage, type GraphErrorBody, graphError, graphErrors, sendGraphError } from './errors.js';
export { TAGGING_USERNAMES } from './feed.js';
export { type FieldSpec, FieldSyntaxError, parseFields } from './fields.js';
export { renderJpeg, type Subject, type SubjectPlace, subjectOf } from './images.js';
export { sendOAuthError } from './oauth.js';
export {
  DEFAULT_API_VERSION,
  DEFAULT_APP_ID,
  DEFAULT_APP_SECRET,
  DEFAULT_FACEBOOK_PAGE,
  DEFAULT_TOKEN,
  DEFAULT_URL_TTL_SECONDS,
  DEFAULT_USERNAME,
  DEFAULT_VIDEO_URL_TTL_SECONDS,
  startFakeInstagram,
} from './server.js';
export { formatTimestamp } from './timefmt.js';
export {
  FACEBOOK_SHORT_LIVED_SECONDS,
  type FacebookTokenType,
  type FakeToken,
  FakeTokens,
  facebookTime,
  LONG_LIVED_SECONDS,
  MIN_REFRESH_AGE_MS,
  SHORT_LIVED_SECONDS,
  UNREFRESHABLE_PREFIX,
} from './tokens.js';
export type {
  FakeChild,
  FakeFacebookPage,
  FakeInstagram,
  FakeInstagramOptions,
  FakeMedia,
  FakeMediaType,
  FakeOAuthSettings,
  FakeProductType,
  FakeProfile,
  FakeRateLimit,
  FakeRequest,
  FakeScenario,
  FakeStats,
  InterceptHandler,
  InterceptInfo,
} from './types.js';
