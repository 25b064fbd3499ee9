import { AstroError } from 'astro/errors';
import type { LoaderContext } from 'astro/loaders';
import { messageOf, redact, tokenFreeCause } from 'instagram-graph';
import { recordAlert } from './alerts/conditions.js';
import { PACKAGE_NAME } from './constants.js';
import { daysOnLastGood, recordKeptLastGood } from './last-sync.js';
import type { ResolvedOptions } from './options.js';

// How a loader fails: one line that names the collection, or a warning that keeps the last good sync.

/** Why a sync gave up, token-free: what failed and why, then how to fix it (every error of ours has both). */
export interface Failure {
  what: string;
  fix?: string;
  /** The error behind an unexpected failure: a bug to report, so Astro shows its stack. */
  cause?: unknown;
  /** Instagram refused the token itself (expired, revoked): the owner needs a new one. */
  tokenDead?: boolean;
}

/**
 * Instagram could not be read. With a previous sync and `onError: 'keep'`, the stored entries and
 * their image files stay exactly as they were and the build goes on, with one warning line;
 * otherwise the build fails with Astro's `AstroError(what, fix)`: Astro prints the line, then the fix
 * as its hint, and no stack of our internals (an expected failure is the whole story).
 * With `maxStaleDays`, a last good sync that old is no longer kept: the build fails, or the
 * collection is emptied (`staleAction`). Each outcome is noted for the owner's alerts.
 */
export function giveUp(
  context: LoaderContext,
  options: Pick<ResolvedOptions, 'onError'> & Partial<Pick<ResolvedOptions, 'maxStaleDays' | 'staleAction' | 'now'>>,
  hasPreviousSync: boolean,
  failure: Failure,
): undefined {
  const what = `${PACKAGE_NAME} (${context.collection}): ${withStop(failure.what)}`;
  if (failure.tokenDead) recordAlert({ kind: 'dead', collection: context.collection, line: lineOf(failure) });
  if (hasPreviousSync && options.onError === 'keep') {
    const now = options.now?.() ?? new Date();
    const days = daysOnLastGood(context, now);
    recordKeptLastGood(context, now);
    const age = days === undefined ? '' : ` It is ${days} day${days === 1 ? '' : 's'} old.`;
    // maxStaleDays: a feed the owner can no longer update is not shown forever.
    if (options.maxStaleDays !== undefined && days !== undefined && days >= options.maxStaleDays) {
      const limit = `The last successful sync is ${days} days old, past maxStaleDays (${options.maxStaleDays})`;
      if (options.staleAction !== 'empty') return fail(`${what} ${limit}.`, failure);
      context.store.clear();
      context.logger.warn(`${lineOf({ ...failure, what })} ${limit}: the collection is empty for this build (staleAction: 'empty').`);
      recordAlert({ kind: 'kept-last-good', collection: context.collection, line: `${limit}: posts hidden. ${lineOf(failure)}` });
      return;
    }
    const kept = context.store.keys().length;
    context.logger.warn(
      `${lineOf({ ...failure, what })} Kept the ${kept} ${kept === 1 ? 'entry' : 'posts'} from the last successful sync.${age}`,
    );
    recordAlert({
      kind: 'kept-last-good',
      collection: context.collection,
      line: `showing the last good sync (${kept} ${kept === 1 ? 'entry' : 'posts'})${days === undefined ? '' : `, ${days} day${days === 1 ? '' : 's'} old`}. ${lineOf(failure)}`,
    });
    return;
  }
  fail(what, failure);
}

/** Astro prints the line, then the fix as its hint, and no stack of our internals (an expected failure is the whole story). */
function fail(what: string, failure: Failure): never {
  const error = new AstroError(what, failure.fix);
  error.stack = ''; // Astro prints a stack when there is one; ours would only show the loader's internals
  if (failure.cause !== undefined) error.cause = failure.cause; // a bug: Astro prints its stack under "Caused by"
  throw error;
}

export const MISSING_TOKEN: Failure = {
  what: 'No Instagram access token',
  fix: 'Set INSTAGRAM_TOKEN (a long-lived token from Meta App Dashboard > Instagram > API setup with Instagram login, or `npx astro-loader-instagram login`) or pass `token` to the loader.',
};

/**
 * The failure in `error`, with `secrets` scrubbed. Our errors (here or in another copy of
 * instagram-graph) carry `what` and `fix`; anything else is a bug, named as one.
 */
export function failureOf(error: unknown, secrets: string[]): Failure {
  const clean = (text: string) => redact(text, secrets);
  const { what, fix, kind } = (error ?? {}) as { what?: unknown; fix?: unknown; kind?: unknown };
  if (typeof what === 'string' && typeof fix === 'string') {
    return { what: clean(what), fix: clean(fix), ...(kind === 'auth' ? { tokenDead: true } : {}) };
  }
  return { what: `Unexpected error while reading Instagram: ${clean(messageOf(error))}`, ...tokenFreeCause(error, secrets) };
}

/** The failure as one line: `what. fix`. */
export function lineOf(failure: Failure): string {
  return failure.fix ? `${withStop(failure.what)} ${failure.fix}` : failure.what;
}

function withStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
