/** The part of Astro's logger the token code writes to (a loader's `context.logger` fits). */
export interface TokenLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
