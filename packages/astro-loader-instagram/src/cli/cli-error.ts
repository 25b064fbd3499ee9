/** A failure with a one-line message (what, why, fix) and an exit code; no stack trace is shown. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
