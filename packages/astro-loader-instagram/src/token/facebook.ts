import { debugToken, messageOf, redact } from 'instagram-graph';
import { recordAlert } from '../alerts/conditions.js';
import { BUILD_TOKEN_CALL } from '../config-defaults.js';
import type { ResolvedOptions } from '../options.js';
import { FACEBOOK_EXPIRY_UNCHECKED, facebookTokenNotice } from './advice.js';
import type { TokenLogger } from './logger.js';
import { hashToken } from './records.js';

/** One check per build: the collections of one build share it; a dev server checks again after this. */
const CHECK_TTL_MS = 30 * 60_000;

/** Checks done in this process, by API and token hash (never the token itself). */
const checks = new Map<string, { at: number; done: Promise<void> }>();

/**
 * Facebook Login tokens are not refreshed by builds; this says what kind the token is and when it
 * expires, from `debug_token` with the app token (INSTAGRAM_APP_ID|INSTAGRAM_APP_SECRET), once per
 * build. Without those it says once that the expiry cannot be checked. Never fails the build.
 */
export function checkFacebookToken(
  token: string,
  options: ResolvedOptions,
  logger: TokenLogger,
  label: string,
  env: NodeJS.ProcessEnv,
  /** Named in the owner's alert (the check is shared by the collections of one build). */
  collection = 'instagram',
): Promise<void> {
  const key = `${options.apiUrl}\n${hashToken(token)}`;
  const now = options.now().getTime();
  const previous = checks.get(key);
  if (previous && now - previous.at >= 0 && now - previous.at < CHECK_TTL_MS) return previous.done;
  const done = check(token, options, logger, label, env, collection);
  checks.set(key, { at: now, done });
  return done;
}

async function check(
  token: string,
  options: ResolvedOptions,
  logger: TokenLogger,
  label: string,
  env: NodeJS.ProcessEnv,
  collection: string,
) {
  const appId = env.INSTAGRAM_APP_ID?.trim();
  const appSecret = env.INSTAGRAM_APP_SECRET?.trim();
  if (!appId || !appSecret) {
    logger.info(`${label}: ${FACEBOOK_EXPIRY_UNCHECKED}`);
    return;
  }
  const clean = (text: string) => redact(text, [token, appSecret, `${appId}|${appSecret}`]);
  try {
    const info = await debugToken(
      token,
      { appId, appSecret },
      // debug_token is quick; never worth a long wait during a build, which goes on without it.
      {
        apiUrl: options.apiUrl,
        fetch: options.fetch,
        timeoutMs: Math.min(options.timeoutMs, BUILD_TOKEN_CALL.timeoutMs),
        retries: BUILD_TOKEN_CALL.retries,
      },
    );
    const notice = facebookTokenNotice(info, options.now());
    logger[notice.level](clean(`${label}: ${notice.message}`));
    // Dead, or a warning (within 14 days): the owner hears about it too.
    if (!info.isValid) recordAlert({ kind: 'dead', collection, line: clean(notice.message) });
    else if (notice.level !== 'info') recordAlert({ kind: 'expiring', collection, line: clean(notice.message) });
  } catch (error) {
    logger.warn(clean(`${label}: Facebook token expiry not checked, the build goes on: ${messageOf(error)}`));
  }
}
