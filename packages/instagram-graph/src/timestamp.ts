/**
 * Parses Instagram timestamps leniently. The API sends `2019-09-26T22:36:43+0000` (no colon in the
 * offset), which `Date.parse` rejects on some engines; we also accept `Z`, `+00:00`, no offset
 * (taken as UTC) and Unix seconds. Returns undefined when nothing sensible can be read.
 */
export function parseInstagramTimestamp(value: unknown): Date | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d{9,11}$/.test(text)) return new Date(Number(text) * 1000);
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?$/i.exec(text);
  if (!match) return undefined;
  const [, date, time, zone] = match;
  const offset = !zone || /^z$/i.test(zone) ? 'Z' : normaliseOffset(zone);
  const parsed = new Date(`${date}T${time}${offset}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

function normaliseOffset(zone: string): string {
  const digits = zone.slice(1).replace(':', '');
  const padded = digits.length === 2 ? `${digits}00` : digits;
  return `${zone[0]}${padded.slice(0, 2)}:${padded.slice(2, 4)}`;
}
