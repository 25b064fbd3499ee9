import { AstroError } from 'astro/errors';
import type { z } from 'astro/zod';
import { closestName } from './closest-name.js';

/**
 * A mistake in the options a site passes, thrown when the loader or integration is created. An
 * AstroError, so Astro prints our hint (where to fix it) instead of its generic one.
 */
export class OptionsError extends AstroError {
  constructor(message: string, hint: string) {
    super(message, hint);
    this.name = 'OptionsError';
    this.stack = message; // the line is the whole story; a stack of zod's internals helps nobody
  }
}

export interface OptionsSource {
  /** How the user calls it, e.g. `instagramLoader()`. */
  factory: string;
  /** The file it is usually called in, for the hint. */
  file: string;
  /** Options of a sibling that do not apply here, with why: named instead of guessed at. */
  notHere?: Readonly<Record<string, string>>;
}

/**
 * Checks `options` against a strict schema and returns them with defaults applied, or throws one
 * line naming the option, what was expected and what was given (or, for an unknown key, the
 * closest known one), like @astrojs/sitemap's validate-options.ts, without zod's dump.
 */
export function validateOptions<Schema extends z.ZodObject>(schema: Schema, options: unknown, source: OptionsSource): z.output<Schema> {
  const result = schema.safeParse(options ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describeIssue(issue, options, knownAt(schema, issue.path), source));
  const shown = problems.slice(0, 3).join('; ') + (problems.length > 3 ? ` (and ${problems.length - 3} more)` : '');
  // No closing period: Astro adds one when it wraps the message (GenerateContentTypesError).
  throw new OptionsError(
    `astro-loader-instagram: invalid ${source.factory} options: ${shown}`,
    `Fix the options passed to ${source.factory} in ${source.file}; the README's Options section lists each option with its type and default.`,
  );
}

function describeIssue(issue: z.core.$ZodIssue, options: unknown, known: string[], source: OptionsSource): string {
  if (issue.code === 'unrecognized_keys') {
    // A key inside a nested option (`alerts: { webhok }`) is named with its path.
    const prefix = issue.path.length > 0 ? `${pathOf(issue.path)}.` : '';
    return issue.keys.map((key) => unknownKey(key, known, source, prefix)).join('; ');
  }
  if (issue.path.length === 0) return `the options must be an object, got ${preview(options)}`;
  // A schema may say how to show the value it refused (`params.shown`), e.g. a post link by its path.
  const shown = issue.code === 'custom' && typeof issue.params?.shown === 'string' ? issue.params.shown : undefined;
  return `option \`${pathOf(issue.path)}\` must be ${issue.message}, got ${shown ?? preview(valueAt(options, issue.path))}`;
}

function unknownKey(key: string, known: string[], source: OptionsSource, prefix = ''): string {
  const why = prefix ? undefined : source.notHere?.[key];
  if (why) return `option \`${key}\` does not apply to ${source.factory}: ${why}`;
  const guess = closestName(key, known);
  return guess
    ? `unknown option \`${prefix}${key}\`; did you mean \`${prefix}${guess}\`?`
    : `unknown option \`${prefix}${key}\`; known options: ${known.map((name) => `\`${prefix}${name}\``).join(', ')}`;
}

/** The keys of the object schema at `path` (through `.default()` / `.optional()` wrappers). */
function knownAt(schema: z.ZodObject, path: ReadonlyArray<PropertyKey>): string[] {
  type Node = { shape?: Record<string, unknown>; unwrap?: () => unknown } | undefined;
  const unwrap = (node: Node): Node => (node?.unwrap && !node.shape ? unwrap(node.unwrap() as Node) : node);
  let node: Node = schema as Node;
  for (const part of path) node = unwrap(unwrap(node)?.shape?.[String(part)] as Node);
  return Object.keys(unwrap(node)?.shape ?? {});
}

function pathOf(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${String(part)}`)).join('');
}

function valueAt(value: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = value;
  for (const part of path) current = current && typeof current === 'object' ? (current as Record<PropertyKey, unknown>)[part] : undefined;
  return current;
}

/** The value given, short and on one line. Long strings are only counted: a token put in the wrong place is not printed. */
function preview(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : value.toISOString();
  if (Array.isArray(value)) return 'an array';
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}
