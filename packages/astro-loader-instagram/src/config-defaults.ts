import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS } from 'instagram-graph';
import { DEFAULT_ALERT_TIMEOUT_MS, DEFAULT_REFRESH_ENDPOINT, DEFAULT_STATE_FILE } from './constants.js';

/**
 * Every default of the loaders and the integration, in one place (the option docs' `@default`s and
 * the README tables state these). Retries and timeouts come from instagram-graph's shared defaults.
 * Options read from the environment at load time (`token`, `apiUrl`, `now`) default there.
 */
export const LOADER_DEFAULTS = {
  host: 'instagram',
  // Above every size Instagram serves (1080 wide, up to 1080x1920 Reel covers), so those are kept as
  // they came; only larger sources (another CDN, a proxy) are scaled down.
  maxImageSize: 1920,
  maxInputPixels: 40_000_000,
  concurrency: 16,
  downloadVideos: false,
  onError: 'keep',
  staleAction: 'fail',
  timeoutMs: DEFAULT_TIMEOUT_MS,
  retries: DEFAULT_RETRY.retries,
  maxRetryTimeMs: DEFAULT_RETRY.maxRetryTimeMs,
  tokenRefresh: true,
  // Curation (README "Curation"): the owner hides a post from the app by adding #nosite to its
  // caption; Reels kept off the profile grid stay off the site's grid too.
  hideTag: '#nosite',
  offFeedReels: 'hide',
} as const;

/** `instagramTaggedLoader()` adds to the shared defaults: nothing is shown until the owner approves it. */
export const TAGGED_LOADER_DEFAULTS = {
  approve: [] as readonly string[],
} as const;

export const INTEGRATION_DEFAULTS = {
  refreshEndpoint: DEFAULT_REFRESH_ENDPOINT,
  stateFile: DEFAULT_STATE_FILE,
  alerts: { timeoutMs: DEFAULT_ALERT_TIMEOUT_MS },
} as const;

/**
 * Token calls a build makes on the way (refresh, Facebook debug_token): the build goes on without
 * their answer, so one retry and half the usual timeout, never a long wait.
 */
export const BUILD_TOKEN_CALL = {
  retries: 1,
  timeoutMs: DEFAULT_TIMEOUT_MS / 2,
} as const;

/**
 * `instagramLiveLoader()` reads Instagram while a visitor waits for the page: one quick retry and a
 * short timeout, so a slow Instagram turns into the page's fallback in seconds, not minutes.
 */
export const LIVE_LOADER_DEFAULTS = {
  retries: 1,
  timeoutMs: 10_000,
  maxRetryTimeMs: 15_000,
} as const;
