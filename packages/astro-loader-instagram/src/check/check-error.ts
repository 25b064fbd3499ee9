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

/**
 * Why a request got no answer, for the one-line failure: `ECONNREFUSED`, `ENOTFOUND`... (undici puts
 * it on `cause`, or on the first of `cause.errors` when several addresses were tried), else its short
 * reason ("bad port"), else `timeout` or `network error`. The cause never holds the URL.
 */
export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown; errors?: Array<{ code?: unknown }> } } | undefined)?.cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  if (typeof code === 'string') return code;
  if (typeof cause?.message === 'string' && cause.message.length <= 60 && !cause.message.includes('/')) return cause.message;
  return (error as Error).name === 'TimeoutError' ? 'timeout' : 'network error';
}
