import { type InstagramPost, MEDIA_FIELDS, type RawMedia } from 'instagram-graph';
import type { InstagramPostInput } from './schema.js';

// The `fields` and `transform` options: more of the API when a site needs it.

/** A Graph API field name and nothing else: no `{...}` expansion, `.limit()`, `&` or `=` that could smuggle in a parameter. */
export const FIELD_NAME = /^[a-z][a-z0-9_]*$/;

/** What `transform` receives and returns: the entry data (with `extra`), before the collection's schema parses it. */
export type InstagramEntryInput = InstagramPostInput & { extra: Record<string, unknown> };

/** `transform(post, raw)`: `raw` is the media item as Instagram served it, extra fields included. */
export type InstagramTransform = (post: InstagramEntryInput, raw: RawMedia & Record<string, unknown>) => Record<string, unknown>;

/** Our field list plus the site's `fields`, each name once (a name we already ask for is not asked twice). */
export function mediaFieldsWith(fields: readonly string[] = []): string[] {
  const ours = new Set(MEDIA_FIELDS.map((field) => /^\w+/.exec(field)?.[0] ?? field));
  return [...MEDIA_FIELDS, ...new Set(fields.filter((name) => !ours.has(name)))];
}

/** The fields the site asked for, as Instagram served them (absent ones left out: refused, or not on this post). */
export function extraOf(raw: RawMedia | undefined, fields: readonly string[] = []): Record<string, unknown> {
  const source = (raw ?? {}) as Record<string, unknown>;
  return Object.fromEntries(fields.filter((name) => source[name] !== undefined).map((name) => [name, source[name]]));
}

/** The site's `transform` threw: what and fix, for `giveUp` (keeps the last good sync, or fails in one line). */
export class TransformError extends Error {
  readonly what: string;
  readonly fix = 'Fix the transform option passed to instagramLoader() in src/content.config.ts (it must not throw for any post).';
  constructor(post: InstagramPost, error: unknown) {
    const what = `transform() threw for post ${post.permalink || post.id}: ${error instanceof Error ? error.message : String(error)}`;
    super(what);
    this.name = 'TransformError';
    this.what = what;
  }
}

/** Builds each entry's data: our fields, `extra`, then the site's `transform` (a throw becomes a TransformError). */
export function entryShaper(options: { fields?: readonly string[] | undefined; transform?: InstagramTransform | undefined }) {
  const { fields, transform } = options;
  return (post: InstagramPost, raw: RawMedia | undefined, data: InstagramPostInput): Record<string, unknown> => {
    const entry: InstagramEntryInput = { ...data, extra: extraOf(raw, fields) };
    if (!transform) return entry;
    try {
      return transform(entry, (raw ?? { id: post.id }) as RawMedia & Record<string, unknown>);
    } catch (error) {
      throw new TransformError(post, error);
    }
  };
}

/**
 * What of `fields` and `transform` the digest covers: the extra values, and the transform's source,
 * so changing the function redoes every entry on the next build.
 */
export function shapeDigest(
  options: { fields?: readonly string[] | undefined; transform?: InstagramTransform | undefined },
  raw: RawMedia | undefined,
) {
  return { extra: extraOf(raw, options.fields), transform: options.transform?.toString() };
}

/** The build's warning when Instagram refused fields the site asked for in `fields` (every build: the option says to ask). */
export function refusedFieldsLine(refused: readonly string[]): string {
  const names = [...refused].sort().join(', ');
  const them = refused.length === 1 ? 'it' : 'them';
  return `Instagram refused ${names} from the fields option (no such IG Media field, or the app lacks the permission for ${them}); entry.data.extra leaves ${them} out. Check the spelling against Meta's IG Media reference, or remove ${them} from fields.`;
}
