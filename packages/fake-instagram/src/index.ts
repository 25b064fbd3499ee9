export {
  startFakeInstagram,
  DEFAULT_TOKEN,
  DEFAULT_USERNAME,
  DEFAULT_API_VERSION,
  DEFAULT_URL_TTL_SECONDS,
  DEFAULT_APP_ID,
  DEFAULT_APP_SECRET,
} from './server.js';
export { FakeTokens, facebookTime, LONG_LIVED_SECONDS, SHORT_LIVED_SECONDS, MIN_REFRESH_AGE_MS, type FakeToken } from './tokens.js';
export { sendOAuthError } from './oauth.js';
export { graphError, graphErrors, sendGraphError, businessUseCaseUsage, type GraphErrorBody } from './errors.js';
export { parseFields, FieldSyntaxError, type FieldSpec } from './fields.js';
export { formatTimestamp } from './timefmt.js';
export { renderJpeg } from './images.js';
export type {
  FakeInstagram,
  FakeInstagramOptions,
  FakeOAuthSettings,
  FakeMedia,
  FakeChild,
  FakeProfile,
  FakeStats,
  FakeMediaType,
  FakeProductType,
  InterceptHandler,
  InterceptInfo,
} from './types.js';
