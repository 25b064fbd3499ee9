import { AstroError } from 'astro/errors';
import type { LoaderContext } from 'astro/loaders';
import { messageOf, redact, tokenFreeCause } from 'instagram-graph';
import { PACKAGE_NAME } from './constants.js';
import type { ResolvedOptions } from './options.js';

// How a loader fails: one line that names the collection, or a warning that keeps the last good sync.

/** Why a sync gave up, token-free: what failed and why, then how to fix it (every error of ours has both). */
export interface Failure {
  what: string;
  fix?: string;
  /** The error behind an unexpected failure: a bug to report, so Astro shows its stack. */
  cause?: unknown;
}

/**
 * Instagram could not be read. With a previous sync and `onError: 'keep'`, the stored entries and
 * their image files stay exactly as they were and the build goes on, with one warning line;
 * otherwise the build fails with Astro's `AstroError(what, fix)`: Astro prints the line, then the fix
 * as its hint, and no stack of our internals (an expected failure is the whole story).
 */
export function giveUp(
  context: LoaderContext,
  options: Pick<ResolvedOptions, 'onError'>,
  hasPreviousSync: boolean,
  failure: Failure,
): void {
  const what = `${PACKAGE_NAME} (${context.collection}): ${withStop(failure.what)}`;
  if (hasPreviousSync && options.onError === 'keep') {
    const kept = context.store.keys().length;
    context.logger.warn(
      `${lineOf({ ...failure, what })} Kept the ${kept} ${kept === 1 ? 'entry' : 'posts'} from the last successful sync.`,
    );
    return;
  }
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
  const { what, fix } = (error ?? {}) as { what?: unknown; fix?: unknown };
  if (typeof what === 'string' && typeof fix === 'string') return { what: clean(what), fix: clean(fix) };
  return { what: `Unexpected error while reading Instagram: ${clean(messageOf(error))}`, ...tokenFreeCause(error, secrets) };
}

/** The failure as one line: `what. fix`. */
export function lineOf(failure: Failure): string {
  return failure.fix ? `${withStop(failure.what)} ${failure.fix}` : failure.what;
}

function withStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
