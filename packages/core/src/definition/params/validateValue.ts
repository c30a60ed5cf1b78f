// Checks one value against a ValueSchema, applying defaults of nested object properties.
import { describeValue, plural, quote, quoteList } from '../../util/describeValue';
import { didYouMean } from '../../util/suggest';
import type { JsonValue } from '../fields';
import type { Issue, Path } from '../issue';
import type { ObjectSchema, StringFormat, ValueSchema } from './valueSchema';

export interface ValidateValueOptions {
  /**
   * Accept strings for non-string types ("10" for an integer, "true", JSON for lists and objects):
   * for values typed on a command line or in a query string. API bodies and files are strict.
   */
  coerceStrings?: boolean;
}

export interface ValueResult {
  value: JsonValue | undefined;
  issues: Issue[];
}

export function validateValue(
  schema: ValueSchema,
  input: unknown,
  path: Path,
  options: ValidateValueOptions = {},
): ValueResult {
  const issues: Issue[] = [];
  const value = check(schema, input, path, options, issues);
  return { value, issues };
}

/** Validates the members of an object against named schemas; shared by params and object values. */
export function validateProperties(
  properties: Record<string, ValueSchema>,
  input: Record<string, unknown>,
  path: Path,
  options: ValidateValueOptions & { allowUnknown?: boolean; noun: string },
  issues: Issue[],
): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, spec] of Object.entries(properties)) {
    if (input[key] === undefined) {
      if (spec.default !== undefined) out[key] = structuredClone(spec.default);
      else if (spec.required) {
        issues.push({
          path: [...path, key],
          message: `missing required ${options.noun} ${quote(key)} (${spec.type})`,
        });
      }
      continue;
    }
    const value = check(spec, input[key], [...path, key], options, issues);
    if (value !== undefined) out[key] = value;
  }
  for (const key of Object.keys(input)) {
    if (key in properties || input[key] === undefined) continue;
    if (options.allowUnknown) {
      out[key] = structuredClone(input[key]) as JsonValue;
      continue;
    }
    const known = Object.keys(properties);
    const hint =
      didYouMean(key, known) ||
      (known.length > 0 ? ` (known: ${known.join(', ')})` : ` (none are declared)`);
    issues.push({ path: [...path, key], message: `unknown ${options.noun} ${quote(key)}${hint}` });
  }
  return out;
}

function check(
  schema: ValueSchema,
  raw: unknown,
  path: Path,
  options: ValidateValueOptions,
  issues: Issue[],
): JsonValue | undefined {
  const input = options.coerceStrings && typeof raw === 'string' ? coerce(schema.type, raw) : raw;
  const fail = (message: string) => {
    issues.push({ path, message });
    return undefined;
  };
  switch (schema.type) {
    case 'string': {
      if (typeof input !== 'string') return fail(`expected a string, got ${describeValue(input)}`);
      const length = [...input].length;
      if (schema.minLength !== undefined && length < schema.minLength) {
        return fail(
          `must be at least ${plural(schema.minLength, 'character')} long (got ${length})`,
        );
      }
      if (schema.maxLength !== undefined && length > schema.maxLength) {
        return fail(
          `must be at most ${plural(schema.maxLength, 'character')} long (got ${length})`,
        );
      }
      if (schema.pattern !== undefined && !compiled(schema.pattern)?.test(input)) {
        return fail(`must match the pattern ${schema.pattern} (got ${quote(input)})`);
      }
      if (schema.format !== undefined && !FORMATS[schema.format].test(input)) {
        return fail(`expected ${FORMATS[schema.format].describe}, got ${quote(input)}`);
      }
      return inEnum(schema.enum, input, fail);
    }
    case 'number':
    case 'integer': {
      if (typeof input !== 'number' || !Number.isFinite(input)) {
        return fail(
          `expected ${schema.type === 'integer' ? 'an integer' : 'a number'}, got ${describeValue(input)}`,
        );
      }
      if (schema.type === 'integer' && !Number.isInteger(input))
        return fail(`expected an integer, got ${input}`);
      if (schema.minimum !== undefined && input < schema.minimum) {
        return fail(`must be at least ${schema.minimum} (got ${input})`);
      }
      if (schema.maximum !== undefined && input > schema.maximum) {
        return fail(`must be at most ${schema.maximum} (got ${input})`);
      }
      return inEnum(schema.enum, input, fail);
    }
    case 'boolean':
      return typeof input === 'boolean'
        ? input
        : fail(`expected a boolean (true or false), got ${describeValue(input)}`);
    case 'array': {
      if (!Array.isArray(input)) return fail(`expected a list, got ${describeValue(input)}`);
      if (schema.minItems !== undefined && input.length < schema.minItems) {
        return fail(
          `must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'} (got ${input.length})`,
        );
      }
      if (schema.maxItems !== undefined && input.length > schema.maxItems) {
        return fail(
          `must have at most ${schema.maxItems} item${schema.maxItems === 1 ? '' : 's'} (got ${input.length})`,
        );
      }
      const before = issues.length;
      const items = schema.items;
      const out = input.map((item, i) =>
        items
          ? check(items, item, [...path, i], options, issues)
          : (structuredClone(item) as JsonValue),
      );
      return issues.length === before ? (out as JsonValue[]) : undefined;
    }
    case 'object':
      return checkObject(schema, input, path, options, issues);
  }
}

function checkObject(
  schema: ObjectSchema,
  input: unknown,
  path: Path,
  options: ValidateValueOptions,
  issues: Issue[],
): JsonValue | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    issues.push({ path, message: `expected an object, got ${describeValue(input)}` });
    return undefined;
  }
  if (!schema.properties) return structuredClone(input) as JsonValue;
  const before = issues.length;
  const out = validateProperties(
    schema.properties,
    input as Record<string, unknown>,
    path,
    { ...options, allowUnknown: schema.additionalProperties === true, noun: 'property' },
    issues,
  );
  return issues.length === before ? out : undefined;
}

function inEnum(
  members: JsonValue[] | undefined,
  value: string | number,
  fail: (message: string) => undefined,
): JsonValue | undefined {
  if (members === undefined || members.includes(value)) return value;
  const hint =
    typeof value === 'string'
      ? didYouMean(
          value,
          members.filter((m) => typeof m === 'string'),
        )
      : '';
  return fail(
    `${describeValue(value)} is not one of the allowed values: ${quoteList(members)}${hint}`,
  );
}

function coerce(type: ValueSchema['type'], text: string): unknown {
  switch (type) {
    case 'number':
    case 'integer':
      return /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'array':
    case 'object':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    default:
      return text;
  }
}

const patternCache = new Map<string, RegExp | undefined>();

/** Compiles a user pattern once; undefined when it is not a valid regular expression. */
export function compiled(pattern: string): RegExp | undefined {
  if (!patternCache.has(pattern)) {
    let regex: RegExp | undefined;
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      regex = undefined;
    }
    patternCache.set(pattern, regex);
  }
  return patternCache.get(pattern);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const FORMATS: Record<StringFormat, { test: (s: string) => boolean; describe: string }> = {
  date: { test: isCalendarDate, describe: 'a date like "2024-01-31"' },
  'date-time': {
    test: (s) =>
      DATE_TIME.test(s) && isCalendarDate(s.slice(0, 10)) && !Number.isNaN(Date.parse(s)),
    describe: 'a date-time with offset like "2024-01-31T06:00:00Z"',
  },
  uri: {
    test: (s) => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s),
    describe: 'an absolute URI',
  },
  email: { test: (s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), describe: 'an email address' },
};

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}
