/** Why a check could not decide: the site, its state file, Instagram or the build hook. Never holds a token or a whole hook URL. */
export type CheckFailure = 'site' | 'state' | 'instagram' | 'hook';

/** A check that could not decide; `message` is one line: what, why, then the fix. */
export class CheckError extends Error {
  readonly failure: CheckFailure;
  readonly what: string;
  readonly fix: string;
  constructor(failure: CheckFailure, what: string, fix: string, options?: ErrorOptions) {
    super(`${what.replace(/\.\s*$/, '')}. ${fix}`, options);
    this.name = 'CheckError';
    this.failure = failure;
    this.what = what;
    this.fix = fix;
  }
}
