/**
 * Names and routes the loaders, the integration and the CLI share. This module imports nothing, so
 * the integration (loaded by Astro's config, not by content collections) gets the loader names
 * without loading sharp and the media pipeline.
 */

export const PACKAGE_NAME = 'astro-loader-instagram';
/** `name` of `instagramLoader()`: `refreshContent({ loaders })` and Astro's logs use it. */
export const LOADER_NAME = PACKAGE_NAME;
/** `name` of `instagramProfileLoader()`. */
export const PROFILE_LOADER_NAME = `${PACKAGE_NAME}/profile`;
/** `name` of `instagramTaggedLoader()`. */
export const TAGGED_LOADER_NAME = `${PACKAGE_NAME}/tagged`;

/** Where downloaded videos are served, in dev and in the built site: `<base>/_instagram/videos/<collection>/<id>.mp4`. */
export const VIDEO_ROUTE = '_instagram/videos';
/** The integration's default `refreshEndpoint`. */
export const DEFAULT_REFRESH_ENDPOINT = '/_instagram/refresh';

/**
 * Keys of the process-wide state the loaders (in Vite's module graph) share with the integration
 * (in Astro's): two copies of our modules, one process, so they meet on globals keyed by registered symbols.
 */
export const SYNC_REPORTS_KEY = `${PACKAGE_NAME}.sync-reports`;
export const TOKEN_STORES_KEY = `${PACKAGE_NAME}.token-stores`;
export const SITE_STATES_KEY = `${PACKAGE_NAME}.site-states`;
/** The integration's default `stateFile`: where the built site publishes what `check` compares with. */
export const DEFAULT_STATE_FILE = '/_instagram/state.json';

export const ALERTS_KEY = `${PACKAGE_NAME}.alerts`;

/** In `<cacheDir>/astro-loader-instagram/`, beside the token store. Per collection: the last successful sync and the last build that kept it (the CLI's `status` reads it). */
export const SYNC_LOG_FILE = 'syncs.json';
/** Which alert went out on which day, so each condition is sent at most once a day. */
export const ALERTS_SENT_FILE = 'alerts-sent.json';
/** The integration's default `alerts.timeoutMs`. */
export const DEFAULT_ALERT_TIMEOUT_MS = 5000;
