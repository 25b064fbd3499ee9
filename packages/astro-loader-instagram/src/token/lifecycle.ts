import { InstagramTokenError, messageOf, redact, refreshAccessToken, tokenFreeCause } from 'instagram-graph';
import { recordAlert } from '../alerts/conditions.js';
import { BUILD_TOKEN_CALL } from '../config-defaults.js';
import { registerTokenStore } from '../dev-guard.js';
import type { ResolvedOptions } from '../options.js';
import { expiryNotice, NEW_TOKEN_ADVICE, REFRESH_COMMAND } from './advice.js';
import { checkFacebookToken } from './facebook.js';
import type { TokenLogger } from './logger.js';
import {
  applyNewToken,
  applyRefreshFailure,
  chooseToken,
  day,
  expiryOf,
  isExpired,
  nextRefreshAt,
  pruneRecords,
  refreshDue,
} from './records.js';
import { damagedStoreLine, defaultStorePath, displayPath, TokenStoreError, updateStore } from './store.js';

export interface BuildTokenContext {
  logger: TokenLogger;
  /** Astro's config; its cacheDir is home of the default token store. */
  config: { cacheDir: URL };
  collection: string;
}

/**
 * The token this build should use, kept alive on the way:
 * 1. picks the newest token we know: the configured one, or a refresh of it from the store, or
 *    (nothing configured) the newest stored one;
 * 2. refreshes it when it is at least 24 hours old by our records (first seen, or last refreshed),
 *    and stores the result with its expiry (`tokenRefresh: false` skips this);
 * 3. warns when it expires within 14 days, louder within 3.
 * With `host: 'facebook'` it returns the configured token and only says, once per build, what kind
 * of token it is and when it expires (see facebook.ts).
 * Problems with the store or the refresh never fail the build; the sync reports a dead token.
 */
export async function tokenForBuild(
  context: BuildTokenContext,
  options: ResolvedOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const { logger } = context;
  const configured = options.token;
  const label = `Instagram token (${context.collection})`;
  // Facebook Login tokens cannot be refreshed with ig_refresh_token: only their expiry is checked (debug_token).
  if (options.host === 'facebook') {
    if (configured) await checkFacebookToken(configured, options, logger, label, env, context.collection);
    return configured;
  }
  const file = options.tokenStore ?? defaultStorePath(context.config.cacheDir);
  registerTokenStore(file); // the integration's dev server refuses to serve it, wherever it is
  const secrets = (extra: Array<string | undefined>) => (text: string) => redact(text, [configured, ...extra]);

  try {
    return await updateStore(file, async (snapshot) => {
      const now = options.now();
      if (snapshot.recovery) logger.warn(`${label}: ${damagedStoreLine(file, snapshot.recovery)}`);
      const choice = chooseToken(snapshot.data, configured, now);
      if (!choice) return undefined;
      const { record } = choice;
      let token = choice.token;
      record.lastUsedAt = now.toISOString();
      if (choice.created) {
        // Seen on every build when the cache directory is not kept between builds: then nothing can be refreshed.
        const plan = options.tokenRefresh
          ? `builds refresh it once it is 24 hours old by these records (from ${minute(nextRefreshAt(record))} UTC on)`
          : 'automatic refresh is off (tokenRefresh: false)';
        logger.info(`${label}: first seen by the token store ${displayPath(file)}; ${plan}.`);
      }

      if (options.tokenRefresh && !record.unrefreshableAt && refreshDue(record, now)) {
        try {
          const result = await refreshAccessToken(token, {
            apiUrl: options.apiUrl,
            fetch: options.fetch,
            // Quick, and never worth a long wait: the build goes on with the current token.
            timeoutMs: Math.min(options.timeoutMs, BUILD_TOKEN_CALL.timeoutMs),
            retries: BUILD_TOKEN_CALL.retries,
            now: options.now,
          });
          applyNewToken(record, result, configured);
          const changed = result.accessToken !== token;
          token = result.accessToken;
          logger.info(
            `${label}: refreshed, valid until ${day(result.expiresAt)}${changed ? `; Instagram issued a new token string, kept in ${displayPath(file)} for the next builds` : ''}.`,
          );
        } catch (caught) {
          const error = caught instanceof InstagramTokenError ? caught : unexpected(caught, token);
          applyRefreshFailure(record, error, now);
          // Refused (not a network hiccup, not "too early"): the owner has to act.
          if (error.reason === 'rejected' || error.unrefreshable) {
            const line = secrets([token])(
              `${error.what}. To fix: ${error.unrefreshable ? NEW_TOKEN_ADVICE : `run \`${REFRESH_COMMAND}\``}.`,
            );
            recordAlert({ kind: 'refresh-failed', collection: context.collection, line });
          }
          if (error.unrefreshable) {
            // Said once: the store records it, and later builds no longer ask.
            logger.warn(secrets([token])(`${label}: ${error.what}; builds stop trying to refresh it. To fix: ${NEW_TOKEN_ADVICE}.`));
          }
          // A dead token (190) is reported once, with its fix, by the sync that follows.
          if (error.reason === 'too-young' || error.reason === 'rejected' || error.reason === 'unavailable') {
            logger.info(secrets([token])(`${label}: not refreshed this time (${error.what}); a later build will try again.`));
          }
        }
      }

      const notice = expiryNotice(record, now, options.tokenRefresh);
      if (notice) logger[notice.level](secrets([token])(`${label}: ${notice.message}`));
      if (record.deadAt || isExpired(record, now)) {
        const line = `${record.deadAt ? `Instagram refused the token on ${day(new Date(record.deadAt))}` : `the token expired on ${day(expiryOf(record).at)}`}. To fix: ${NEW_TOKEN_ADVICE}.`;
        recordAlert({ kind: 'dead', collection: context.collection, line });
      } else if (notice) {
        // Neither dead nor expired, expiryNotice speaks only within WARN_DAYS of the expiry: the expiring alert.
        recordAlert({ kind: 'expiring', collection: context.collection, line: secrets([token])(notice.message) });
      }
      pruneRecords(snapshot.data, now, record);
      return token;
    });
  } catch (error) {
    if (!(error instanceof TokenStoreError)) throw error;
    logger.warn(`${label}: ${error.what}; going on with the configured token, without refreshing it.`);
    return configured;
  }
}

function unexpected(error: unknown, token: string): InstagramTokenError {
  return new InstagramTokenError(
    'unavailable',
    'transient',
    `Token refresh failed: ${redact(messageOf(error), [token]).replace(/\.\s*$/, '')}`,
    'A later build will try again.',
    undefined,
    false,
    tokenFreeCause(error, [token]),
  );
}

/** `2026-11-24 12:00` */
function minute(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}
