/** Graph timestamp format: 2026-11-20T09:12:00+0000 (UTC, no colon in the offset). */
export function formatTimestamp(value: Date | number): string {
  return `${new Date(toMs(value)).toISOString().slice(0, 19)}+0000`;
}

export function toMs(value: Date | number): number {
  return typeof value === 'number' ? value : value.getTime();
}
