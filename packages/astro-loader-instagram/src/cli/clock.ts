import { CliError } from './cli-error.js';

/** The clock: `ASTRO_LOADER_INSTAGRAM_NOW` (ISO date) pins it for tests, as in builds. */
export function clockFrom(env: NodeJS.ProcessEnv): () => Date {
  const pinned = env.ASTRO_LOADER_INSTAGRAM_NOW?.trim();
  if (!pinned) return () => new Date();
  const fixed = new Date(pinned);
  if (Number.isNaN(fixed.getTime()))
    throw new CliError(`ASTRO_LOADER_INSTAGRAM_NOW is not a date: ${pinned.slice(0, 40)}`, 'Use an ISO date or unset it.', 2);
  return () => new Date(fixed);
}
