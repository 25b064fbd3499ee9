/**
 * How long Instagram asks us to wait, from the headers of a throttled answer.
 * `Retry-After` is seconds or an HTTP date; `X-Business-Use-Case-Usage` is JSON keyed by
 * business id with `estimated_time_to_regain_access` in minutes.
 */
export function retryAfterFromHeaders(headers: Headers, now = Date.now()): number | undefined {
  const waits: number[] = [];

  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) waits.push(Math.max(0, seconds * 1000));
    else {
      const date = Date.parse(retryAfter);
      if (Number.isFinite(date)) waits.push(Math.max(0, date - now));
    }
  }

  for (const name of ['x-business-use-case-usage', 'x-app-usage', 'x-ad-account-usage']) {
    const minutes = regainMinutes(headers.get(name));
    if (minutes !== undefined) waits.push(minutes * 60_000);
  }

  return waits.length > 0 ? Math.max(...waits) : undefined;
}

/** Highest usage percentage reported by the usage headers (0-100), for "close to the limit" warnings. */
export function usagePercent(headers: Headers): number | undefined {
  const values: number[] = [];
  for (const name of ['x-business-use-case-usage', 'x-app-usage']) {
    for (const entry of usageEntries(headers.get(name))) {
      for (const key of ['call_count', 'total_cputime', 'total_time']) {
        const value = entry[key];
        if (typeof value === 'number') values.push(value);
      }
    }
  }
  return values.length > 0 ? Math.max(...values) : undefined;
}

function regainMinutes(header: string | null): number | undefined {
  const minutes = usageEntries(header)
    .map((entry) => entry.estimated_time_to_regain_access)
    .filter((value): value is number => typeof value === 'number' && value > 0);
  return minutes.length > 0 ? Math.max(...minutes) : undefined;
}

/** Usage headers come flat (`X-App-Usage`) or as `{ id: [entries] }` (`X-Business-Use-Case-Usage`). */
function usageEntries(header: string | null): Array<Record<string, unknown>> {
  if (!header) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    return [];
  }
  if (!parsed || typeof parsed !== 'object') return [];
  const values = Object.values(parsed as Record<string, unknown>);
  const nested = values.flatMap((value) => (Array.isArray(value) ? value : []));
  const entries = nested.length > 0 ? nested : [parsed];
  return entries.filter((entry): entry is Record<string, unknown> => !!entry && typeof entry === 'object');
}
