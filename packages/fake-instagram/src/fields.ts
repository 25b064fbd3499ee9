/** One requested field, e.g. `children.limit(2){id,media_url}`. */
export interface FieldSpec {
  name: string;
  /** Subfields from `{...}`; undefined when none were given. */
  fields?: FieldSpec[];
  /** Modifiers such as `.limit(2)` → { limit: '2' }. */
  modifiers?: Record<string, string>;
}

export class FieldSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly input: string,
  ) {
    super(`Syntax error "${message}" at character ${position}: ${input}`);
    this.name = 'FieldSyntaxError';
  }
}

const NAME = /[A-Za-z0-9_]/;

/**
 * Parses a Graph `fields` value: comma list of names, each optionally followed by
 * `.modifier(arg)` calls and a nested `{...}` list. Whitespace and empty items are ignored.
 */
export function parseFields(input: string): FieldSpec[] {
  let pos = 0;
  const fail = (message: string): never => {
    throw new FieldSyntaxError(message, pos, input);
  };
  const skipSpace = (): void => {
    while (pos < input.length && /\s/.test(input[pos] as string)) pos++;
  };
  const name = (): string => {
    const start = pos;
    while (pos < input.length && NAME.test(input[pos] as string)) pos++;
    if (pos === start) fail(`Expected field name instead of "${input[pos] ?? 'end of string'}"`);
    return input.slice(start, pos);
  };
  const list = (nested: boolean): FieldSpec[] => {
    const specs: FieldSpec[] = [];
    for (;;) {
      skipSpace();
      const ch = input[pos];
      if (ch === undefined) {
        if (nested) fail('Expected "}" instead of end of string');
        return specs;
      }
      if (ch === '}') {
        if (!nested) fail('Unexpected "}"');
        pos++;
        return specs;
      }
      if (ch === ',') {
        pos++;
        continue;
      }
      specs.push(item());
      skipSpace();
      const after = input[pos];
      if (after !== undefined && after !== ',' && after !== '}') fail(`Expected "," instead of "${after}"`);
    }
  };
  const item = (): FieldSpec => {
    const spec: FieldSpec = { name: name() };
    while (input[pos] === '.') {
      pos++;
      const modifier = name();
      if (input[pos] !== '(') fail(`Expected "(" instead of "${input[pos] ?? 'end of string'}"`);
      const close = input.indexOf(')', pos);
      if (close < 0) fail('Expected ")" instead of end of string');
      spec.modifiers ??= {};
      spec.modifiers[modifier] = input.slice(pos + 1, close).trim();
      pos = close + 1;
    }
    skipSpace();
    if (input[pos] === '{') {
      pos++;
      spec.fields = list(true);
    }
    return spec;
  };
  return list(false);
}
