import { PACKAGE_NAME } from '../constants.js';
import { type Failure, failureOf, lineOf } from '../failure.js';

/**
 * What a live loader returns as `{ error }`: Astro hands it to the page (`getLiveCollection()`'s
 * `error`), never throws it. `message` is one line: which collection, what failed and why, then the
 * fix; never the token. `kind` tells a page what to show: `'auth'` means the owner needs a new token.
 */
export class InstagramLiveError extends Error {
  readonly collection: string;
  readonly what: string;
  readonly fix: string | undefined;
  readonly kind: 'auth' | 'options' | 'instagram' | 'bug';
  constructor(collection: string, failure: Failure, kind: InstagramLiveError['kind']) {
    super(`${PACKAGE_NAME} (${collection}): ${lineOf(failure)}`, failure.cause === undefined ? undefined : { cause: failure.cause });
    this.name = 'InstagramLiveError';
    this.collection = collection;
    this.what = failure.what;
    this.fix = failure.fix;
    this.kind = kind;
    // A page that prints the error shows the line, not our internals; a bug keeps its (token-free) cause.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** Any failure while reading Instagram, as the error a page gets; `secrets` never reach it. */
export function liveErrorOf(collection: string, error: unknown, secrets: string[]): InstagramLiveError {
  const failure = failureOf(error, secrets);
  const kind = failure.tokenDead ? 'auth' : failure.cause === undefined ? 'instagram' : 'bug';
  return new InstagramLiveError(collection, failure, kind);
}

/** A mistake in what the page or live.config passed. */
export function optionsError(collection: string, error: unknown, fix: string): InstagramLiveError {
  const what = (error instanceof Error ? error.message : String(error)).replace(/^astro-loader-instagram: /, '');
  return new InstagramLiveError(collection, { what, fix }, 'options');
}
