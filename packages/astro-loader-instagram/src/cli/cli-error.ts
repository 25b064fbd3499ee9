import type { InstagramError } from 'instagram-graph';

/**
 * A failure with a one-line message and an exit code; no stack trace is shown. `message` is `what`
 * then `fix`: after a colon when the fix goes on with the sentence ("No app id: pass --client-id …"),
 * else as a sentence of its own.
 */
export class CliError extends Error {
  /** What failed and why. */
  readonly what: string;
  /** What to do about it; empty when there is nothing to fix (the user cancelled). */
  readonly fix: string;
  readonly exitCode: number;
  constructor(what: string, fix: string, exitCode = 1, options?: ErrorOptions) {
    super(!fix ? what : /^[a-z-]/.test(fix) ? `${what}: ${fix}` : `${what}${/[.!?]$/.test(what) ? '' : '.'} ${fix}`, options);
    this.name = 'CliError';
    this.what = what;
    this.fix = fix;
    this.exitCode = exitCode;
  }

  /** One of the client's errors (what and fix already token-free), with `clean` scrubbing what else this command knows. */
  static from(error: InstagramError, clean: (text: string) => string = (text) => text, whatBefore = ''): CliError {
    // The cause is kept only when `clean` finds nothing to scrub in it (it may hold a secret of this command).
    const text = `${error.message}\n${error.stack ?? ''}`;
    return new CliError(clean(`${whatBefore}${error.what}`), clean(error.fix), 1, clean(text) === text ? { cause: error } : undefined);
  }
}
