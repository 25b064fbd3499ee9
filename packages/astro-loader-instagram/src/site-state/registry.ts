import { SITE_STATES_KEY } from '../constants.js';
import { processGlobal } from '../utils/process-global.js';
import type { CollectionState } from './shape.js';

/**
 * The loaders (Vite's module graph) hand each collection's state to the integration (Astro's) through
 * a global keyed by a registered symbol, like the sync reports.
 */
const registry = () => processGlobal(SITE_STATES_KEY, () => new Map<string, CollectionState>());

export function recordSiteState(collection: string, state: CollectionState): void {
  registry().set(collection, state);
}

/** States since the last call, by collection. */
export function takeSiteStates(): Record<string, CollectionState> {
  const states = Object.fromEntries(registry());
  registry().clear();
  return states;
}
