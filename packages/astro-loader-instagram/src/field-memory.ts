import type { LoaderContext } from 'astro/loaders';
import { MEDIA_FIELDS } from 'instagram-graph';

/**
 * The optional fields Instagram refused for this account, remembered in the collection's `meta`
 * (key `fields`, JSON) so later builds do not pay the discovery requests again.
 *
 * A remembered list is dropped, and the full field list tried again, after RECHECK_AFTER_MS, when
 * the fields this version asks for change (a new package version), when the loader's data version
 * changes or when the API host changes: Meta adds fields to graph.instagram.com over time and an
 * app may be granted a missing permission later, so a refusal is not forever.
 */
const META_KEY = 'fields';
export const RECHECK_AFTER_MS = 7 * 24 * 3600 * 1000;

interface RememberedFields {
  /** Optional fields left out of every request. */
  without: string[];
  /** When the full list was last tried (ISO). */
  checkedAt: string;
  /** What the list is valid for: fields asked, host and data version. */
  askedFor: string;
}

type Meta = LoaderContext['meta'];

/** `fields`: the site's own (the `fields` option), asked for on top of ours. */
function askedFor(host: string, dataVersion: number, fields: readonly string[] = []): string {
  return `${host}|${dataVersion}|${[...MEDIA_FIELDS, ...fields].join(',')}`;
}

function read(meta: Meta): RememberedFields | undefined {
  try {
    const parsed = JSON.parse(meta.get(META_KEY) ?? 'null') as RememberedFields | null;
    return parsed && Array.isArray(parsed.without) && typeof parsed.checkedAt === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The fields to leave out this build: the remembered ones while still valid (same host, version and `fields`), else none. */
export function rememberedWithout(
  meta: Meta,
  host: string,
  dataVersion: number,
  now = Date.now(),
  fields: readonly string[] = [],
): string[] {
  const remembered = read(meta);
  if (!remembered || remembered.askedFor !== askedFor(host, dataVersion, fields)) return [];
  const age = now - Date.parse(remembered.checkedAt);
  return age >= 0 && age < RECHECK_AFTER_MS ? remembered.without : [];
}

/**
 * Stores what this build left out. The check time moves only when the full list was tried (nothing
 * remembered was used), so the recheck comes RECHECK_AFTER_MS after a real discovery.
 */
export function rememberFields(
  meta: Meta,
  options: { host: string; dataVersion: number; used: string[]; dropped: readonly string[]; fields?: readonly string[] },
  now = Date.now(),
): void {
  const previous = read(meta);
  if (options.dropped.length === 0) {
    meta.delete(META_KEY);
    return;
  }
  const checkedAt = options.used.length > 0 && previous ? previous.checkedAt : new Date(now).toISOString();
  const value: RememberedFields = {
    without: [...options.dropped].sort(),
    checkedAt,
    askedFor: askedFor(options.host, options.dataVersion, options.fields),
  };
  meta.set(META_KEY, JSON.stringify(value));
}

/** "Instagram does not serve alt_text, is_shared_to_feed for this account; reading without them." */
export function droppedFieldsLine(dropped: readonly string[]): string {
  const them = dropped.length === 1 ? 'it' : 'them';
  return `Instagram does not serve ${[...dropped].sort().join(', ')} for this account; reading without ${them}.`;
}
