export { startFakeInstagram, DEFAULT_TOKEN, DEFAULT_USERNAME, DEFAULT_API_VERSION, DEFAULT_URL_TTL_SECONDS } from './server.js';
export { graphError, graphErrors, sendGraphError, businessUseCaseUsage, type GraphErrorBody } from './errors.js';
export { parseFields, FieldSyntaxError, type FieldSpec } from './fields.js';
export { formatTimestamp } from './timefmt.js';
export { renderJpeg } from './images.js';
export type {
  FakeInstagram,
  FakeInstagramOptions,
  FakeMedia,
  FakeChild,
  FakeProfile,
  FakeStats,
  FakeMediaType,
  FakeProductType,
  InterceptHandler,
  InterceptInfo,
} from './types.js';
