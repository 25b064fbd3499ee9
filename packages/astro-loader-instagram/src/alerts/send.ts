import { messageOf } from 'instagram-graph';
import { urlOrigin } from '../utils/secret-url.js';
import type { AlertCondition } from './conditions.js';
import { ALERT_ORDER, alertMessage } from './message.js';
import { dueToday, readSentLog, sentLogPath, utcDay, writeSentLog } from './sent-log.js';

export interface SendAlertsOptions {
  webhook: string;
  cacheDir: string;
  now: Date;
  timeoutMs: number;
  /** Scrubbed from every message (token, app secret), though the lines hold none. */
  secrets: Array<string | undefined>;
  site?: string | undefined;
  logger: { info(message: string): void; warn(message: string): void };
  fetch?: typeof fetch;
}

/**
 * POSTs one JSON message per kind of condition not yet sent today, most urgent first, and
 * remembers the ones the webhook took (2xx). A webhook that is down, slow or refuses costs one
 * warning line and never the build; the alert goes out with a later build.
 */
export async function sendAlerts(conditions: AlertCondition[], options: SendAlertsOptions): Promise<number> {
  const kinds = ALERT_ORDER.filter((kind) => conditions.some((condition) => condition.kind === kind));
  if (kinds.length === 0) return 0;
  const file = sentLogPath(options.cacheDir);
  const log = await readSentLog(file);
  const where = hiddenUrl(options.webhook);
  let sent = 0;
  for (const kind of dueToday(kinds, log, options.now)) {
    const body = alertMessage(kind, conditions, options.secrets, options.site);
    try {
      const response = await (options.fetch ?? fetch)(options.webhook, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error', // a redirect would carry the message somewhere the owner did not configure
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`it answered HTTP ${response.status}`);
    } catch (error) {
      options.logger.warn(
        `Instagram alert "${kind}" not sent to ${where}: ${reason(error, options.timeoutMs)}. The build goes on; a later build sends it again. Check the alerts webhook (INSTAGRAM_ALERT_WEBHOOK).`,
      );
      continue;
    }
    log[kind] = utcDay(options.now);
    sent++;
    options.logger.info(`Instagram alert "${kind}" sent to ${where}.`);
  }
  if (sent > 0) {
    await writeSentLog(file, log).catch((error: unknown) =>
      options.logger.warn(`Could not remember the alerts sent today (${messageOf(error)}); a later build may send them again.`),
    );
  }
  return sent;
}

/** The webhook URL is a secret (its path is the credential): only its origin is ever printed. */
export function hiddenUrl(url: string): string {
  return urlOrigin(url, 'the alerts webhook (not a valid URL)');
}

function reason(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  if (typeof code === 'string') return `could not connect (${code})`;
  // Never the URL: fetch's messages may quote it.
  return messageOf(error).replaceAll(/https?:\/\/\S+/g, '…');
}
