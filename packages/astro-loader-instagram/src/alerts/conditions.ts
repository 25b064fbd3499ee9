import { ALERTS_KEY } from '../constants.js';
import { processGlobal } from '../utils/process-global.js';

/**
 * What the owner should hear about, found by the loaders and the token lifecycle during a build
 * and sent by the integration at `astro:build:done`. Like the sync reports, they cross from Vite's
 * module graph (loaders) to Astro's (integration) through a global keyed by a registered symbol.
 */
export type AlertKind = 'expiring' | 'refresh-failed' | 'kept-last-good' | 'dead';

export interface AlertCondition {
  kind: AlertKind;
  collection: string;
  /** One token-free line: what happened and how to fix it. */
  line: string;
}

const registry = () => processGlobal(ALERTS_KEY, (): AlertCondition[] => []);

export function recordAlert(condition: AlertCondition): void {
  const list = registry();
  // One line per kind and collection: the token lifecycle runs once per collection, with the same words.
  if (!list.some((seen) => seen.kind === condition.kind && seen.collection === condition.collection)) list.push(condition);
}

/** The conditions since the last call. */
export function takeAlerts(): AlertCondition[] {
  return registry().splice(0);
}
