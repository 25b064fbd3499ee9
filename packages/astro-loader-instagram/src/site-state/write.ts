import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../utils/atomic-write.js';
import { type CollectionState, SITE_STATE_VERSION, type SiteState } from './shape.js';

/**
 * Writes the state file into the built site (`dir`: the static or client output folder Astro
 * gives `astro:build:done`). Returns its path, or undefined when no collection synced this build.
 */
export async function writeSiteState(
  dir: string,
  file: string,
  collections: Record<string, CollectionState>,
  now = new Date(),
): Promise<string | undefined> {
  if (Object.keys(collections).length === 0) return undefined;
  const state: SiteState = { version: SITE_STATE_VERSION, builtAt: now.toISOString(), collections };
  const target = path.join(dir, ...file.split('/').filter(Boolean));
  await mkdir(path.dirname(target), { recursive: true });
  await writeAtomic(target, `${JSON.stringify(state)}\n`);
  return target;
}
