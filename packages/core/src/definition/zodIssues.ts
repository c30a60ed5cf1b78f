// Runs a zod schema and rewrites its issues into `path: message` issues a workflow author can act on.
import type { z } from 'zod';
import { describeValue, plural, quote } from '../util/describeValue';
import { didYouMean } from '../util/suggest';
import type { Issue, Path } from './issue';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

export interface ParseOptions {
  /** Where the parsed value sits in the document; prefixed to every issue path. */
  path?: Path;
  /** Appended to "missing/unknown field" messages about the top object, e.g. "for kind shell". */
  context?: string;
}

/**
 * Parses `input` with `schema` and returns the output or every issue, rewritten.
 * Field-specific messages (regexes, custom checks) are written where the schema is declared;
 * this module gives the generic cases (wrong type, unknown field, missing field) a human wording.
 */
export function parseWithSchema<T extends z.ZodType>(
  schema: T,
  input: unknown,
  options: ParseOptions = {},
): ParseResult<z.output<T>> {
  const result = schema.safeParse(input, { reportInput: true, error: messageFor });
  if (result.success) return { ok: true, value: result.data };
  const base = options.path ?? [];
  return {
    ok: false,
    issues: result.error.issues.flatMap((i) => rewrite(i, base, options.context)),
  };
}

// Unknown-key issues carry the allowed keys from the error map (which sees the object schema)
// to `rewrite` (which sees the final path) inside the message, behind this marker.
const ALLOWED_KEYS_MARKER = '\u0000allowed:';

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];

function messageFor(raw: RawIssue): string | undefined {
  const label = (raw.inst as { description?: string } | undefined)?.description;
  switch (raw.code) {
    case 'unrecognized_keys': {
      const shape = (raw.inst as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
      return ALLOWED_KEYS_MARKER + JSON.stringify(Object.keys(shape));
    }
    case 'invalid_type':
      return `expected ${article(raw.expected)}, got ${describeValue(raw.input)}`;
    case 'invalid_value': {
      const options = raw.values.map(String);
      if (typeof raw.input !== 'string') {
        return `expected one of: ${options.join(', ')}; got ${describeValue(raw.input)}`;
      }
      const hint = didYouMean(raw.input, options);
      const what = label ?? 'value';
      return hint
        ? `unknown ${what} ${quote(raw.input)}${hint}`
        : `unknown ${what} ${quote(raw.input)} (expected one of: ${options.join(', ')})`;
    }
    case 'too_small':
      return sizeMessage(
        'at least',
        raw.origin,
        Number(raw.minimum),
        raw.inclusive !== false,
        raw.input,
      );
    case 'too_big':
      return sizeMessage(
        'at most',
        raw.origin,
        Number(raw.maximum),
        raw.inclusive !== false,
        raw.input,
      );
    case 'invalid_format':
      return `${quote(String(raw.input))} has the wrong format${raw.pattern ? ` (expected to match ${raw.pattern})` : ''}`;
    case 'not_multiple_of':
      return `must be a multiple of ${raw.divisor}`;
    case 'invalid_union':
      if (raw.discriminator !== undefined) {
        const value = (raw.input as Record<string, unknown> | undefined)?.[raw.discriminator];
        const options = ((raw.options ?? []) as unknown[]).map(String);
        if (typeof value !== 'string')
          return `expected one of: ${options.join(', ')}; got ${describeValue(value)}`;
        const hint = didYouMean(value, options);
        return `unknown ${raw.discriminator} ${quote(value)}${hint || ` (expected one of: ${options.join(', ')})`}`;
      }
      return `has an invalid value (${describeValue(raw.input)})`;
    default:
      return undefined;
  }
}

function rewrite(raw: z.core.$ZodIssue, base: Path, context: string | undefined): Issue[] {
  const path = [...base, ...(raw.path as Array<string | number>)];
  const suffix = (relativeDepth: number) => (context && relativeDepth === 0 ? ` ${context}` : '');
  const depth = raw.path.length;

  if (raw.code === 'unrecognized_keys') {
    const allowed = raw.message.startsWith(ALLOWED_KEYS_MARKER)
      ? (JSON.parse(raw.message.slice(ALLOWED_KEYS_MARKER.length)) as string[])
      : [];
    return raw.keys.map((key) => {
      const hint = didYouMean(key, allowed);
      const known = hint || (allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : '');
      return {
        path: [...path, key],
        message: `unknown field ${quote(key)}${suffix(depth)}${known}`,
      };
    });
  }
  const missing =
    raw.input === undefined && (raw.code === 'invalid_type' || raw.code === 'invalid_value');
  if (missing && path.length > 0) {
    const key = path[path.length - 1]!;
    return [
      {
        path: path.slice(0, -1),
        message: `missing required field ${quote(String(key))}${suffix(depth - 1)}`,
      },
    ];
  }
  if (raw.code === 'invalid_union' && raw.discriminator !== undefined) {
    const object = raw.input as Record<string, unknown> | undefined;
    if (object !== undefined && object[raw.discriminator] === undefined) {
      const options = ('options' in raw ? (raw.options ?? []) : []).map(String).join(', ');
      return [
        {
          path: path.slice(0, -1),
          message: `missing required field ${quote(raw.discriminator)} (expected one of: ${options})`,
        },
      ];
    }
  }
  if (raw.code === 'invalid_key') {
    return [{ path, message: raw.issues[0]?.message ?? `invalid key ${quote(String(raw.input))}` }];
  }
  return [{ path, message: raw.message }];
}

function article(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'array':
    case 'tuple':
      return 'a list';
    case 'object':
    case 'record':
      return 'an object';
    case 'undefined':
      return 'nothing';
    default:
      return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
  }
}

function sizeMessage(
  bound: string,
  origin: string,
  limit: number,
  inclusive: boolean,
  input: unknown,
): string {
  const got = describeGot(origin, input);
  switch (origin) {
    case 'string':
      if (bound === 'at least' && limit === 1) return 'must not be empty';
      return `must be ${bound} ${plural(limit, 'character')} long${got}`;
    case 'array':
      if (bound === 'at least' && limit === 1) return 'must not be empty';
      return `must have ${bound} ${limit} item${limit === 1 ? '' : 's'}${got}`;
    default: {
      if (inclusive) return `must be ${bound} ${limit}${got}`;
      return `must be ${bound === 'at least' ? 'greater' : 'less'} than ${limit}${got}`;
    }
  }
}

function describeGot(origin: string, input: unknown): string {
  if (origin === 'string' && typeof input === 'string') return ` (got ${input.length})`;
  if (origin === 'array' && Array.isArray(input)) return ` (got ${input.length})`;
  if (typeof input === 'number') return ` (got ${input})`;
  return '';
}
