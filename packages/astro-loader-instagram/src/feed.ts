import {
  createInstagramClient,
  type InstagramClient,
  type InstagramPost,
  InvalidMediaError,
  normalizeMedia,
  usagePercent,
} from 'instagram-graph';
import type { ResolvedOptions } from './options.js';

export interface Feed {
  /** Posts that passed validation and the user's filters, newest first. */
  posts: InstagramPost[];
  /** One line per item that could not be read (bad id, type or timestamp). */
  skipped: string[];
}

/** Instagram's usage headers report percentages of the rate limit; warn before it bites. */
const USAGE_WARNING_PERCENT = 80;

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

/** Reads every page of the account's media and applies `mediaTypes`, `since`, `limit` and `filter`. */
export async function fetchFeed(client: InstagramClient, options: ResolvedOptions): Promise<Feed> {
  const posts: InstagramPost[] = [];
  const skipped: string[] = [];
  // `limit` counts kept posts, so with type filters we may need to read beyond `limit` items.
  const filtering = Boolean(options.mediaTypes || options.filter);
  for await (const page of client.listMediaPages({
    ...(options.limit && !filtering ? { limit: options.limit } : {}),
    ...(options.since ? { since: options.since } : {}),
  })) {
    for (const raw of page) {
      let post: InstagramPost;
      try {
        post = normalizeMedia(raw);
      } catch (error) {
        if (!(error instanceof InvalidMediaError)) throw error;
        skipped.push(error.message);
        continue;
      }
      if (options.since && post.timestamp < options.since) continue;
      if (!matchesType(post, options.mediaTypes)) continue;
      if (options.filter && !options.filter(post)) continue;
      posts.push(post);
      if (options.limit && posts.length >= options.limit) return { posts, skipped };
    }
  }
  return { posts, skipped };
}

function matchesType(post: InstagramPost, types: ResolvedOptions['mediaTypes']): boolean {
  if (!types) return true;
  return types.includes(post.type) || (post.isReel && types.includes('reel'));
}
