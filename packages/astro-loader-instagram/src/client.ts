import { createInstagramClient, type InstagramClient, usagePercent } from 'instagram-graph';
import type { ResolvedOptions } from './options.js';

/** Instagram's usage headers report percentages of the rate limit; warn before it bites. */
const USAGE_WARNING_PERCENT = 80;

/** The Graph API client a loader reads with, from its options; retries and high usage go to the given log lines. */
export function createClient(
  options: ResolvedOptions & { token: string; withoutFields?: readonly string[] },
  log: { retry?: (line: string) => void; usage?: (line: string) => void } = {},
): InstagramClient {
  let warnedUsage = false;
  return createInstagramClient({
    token: options.token,
    host: options.host,
    ...(options.userId ? { userId: options.userId } : {}),
    apiUrl: options.apiUrl,
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
    timeoutMs: options.timeoutMs,
    retry: { retries: options.retries, maxRetryTimeMs: options.maxRetryTimeMs },
    fetch: options.fetch,
    ...(options.withoutFields ? { withoutFields: options.withoutFields } : {}),
    ...(log.retry
      ? {
          onRetry: ({ attempt, delayMs, error }) => log.retry?.(`retry ${attempt} in ${Math.round(delayMs / 100) / 10}s: ${error.message}`),
        }
      : {}),
    onResponse: ({ headers }) => {
      const percent = usagePercent(headers);
      if (warnedUsage || percent === undefined || percent < USAGE_WARNING_PERCENT) return;
      warnedUsage = true;
      log.usage?.(`this app has used ${percent}% of its Instagram rate limit; frequent rebuilds or previews may be throttled soon.`);
    },
  });
}
