import { redact } from 'instagram-graph';
import type { AlertCondition, AlertKind } from './conditions.js';

/** The JSON body of one alert: `text` for Slack and Mattermost, `content` for Discord; the rest for scripts. */
export interface AlertMessage {
  text: string;
  content: string;
  condition: AlertKind;
  collections: string[];
  site?: string;
}

const TITLES: Record<AlertKind, string> = {
  dead: 'the Instagram token is dead: the feed no longer updates',
  'refresh-failed': 'Instagram refused to refresh the token',
  expiring: 'the Instagram token expires soon',
  'kept-last-good': 'Instagram could not be read: the site shows the last good feed',
};

/** Most urgent first: the order messages go out in. */
export const ALERT_ORDER: AlertKind[] = ['dead', 'refresh-failed', 'kept-last-good', 'expiring'];

/**
 * One message for one kind of condition, all collections that saw it; `secrets` are scrubbed from
 * the text once more (the lines are token-free already). Discord refuses `content` over 2,000
 * characters, so the text is cut there.
 */
export function alertMessage(
  kind: AlertKind,
  conditions: AlertCondition[],
  secrets: Array<string | undefined>,
  site?: string,
): AlertMessage {
  // Collections load concurrently: sorted, so the same conditions always read the same.
  const mine = conditions.filter((condition) => condition.kind === kind).sort((a, b) => a.collection.localeCompare(b.collection));
  const where = site ? ` (${site})` : '';
  const lines = [...new Set(mine.map((condition) => `${condition.collection}: ${condition.line}`))];
  const text = redact(`astro-loader-instagram${where}: ${TITLES[kind]}.\n${lines.join('\n')}`, secrets).slice(0, 2000);
  return {
    text,
    content: text,
    condition: kind,
    collections: [...new Set(mine.map((condition) => condition.collection))],
    ...(site ? { site } : {}),
  };
}
