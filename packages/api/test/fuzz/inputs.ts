/**
 * Inputs for a procedure, derived from its own zod schemas (so a new procedure or field is fuzzed
 * without editing the test): a plausible value of each schema, with field values drawn from pools
 * of real ids and names of two teams, then broken by a few mutations (a field replaced by a
 * hostile value, a field dropped, an extra field, the whole input replaced).
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { hostile } from './values';

/** Zod 4 keeps a schema's definition in `_zod.def`; only the parts read here are typed. */
interface Def {
  type: string;
  format?: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  in?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly']);

/** The schema under optional/default/nullable/pipe wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if (WRAPPERS.has(def.type) || def.type === 'nonoptional') s = def.innerType!;
    else if (def.type === 'pipe') s = def.in!;
    else return s;
  }
}

/** Whether the schema is a uuid (an id of some object), or an array of them. */
export function isIdSchema(schema: z.ZodType): boolean {
  const def = defOf(unwrap(schema));
  if (def.type === 'array') return isIdSchema(def.element!);
  return def.type === 'string' && (def.format === 'guid' || def.format === 'uuid');
}

/** The object shape of a procedure's input schemas (unions: every option's keys). */
export function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  const def = defOf(unwrap(schema));
  if (def.type === 'object') return def.shape!;
  if (def.type === 'union') return Object.assign({}, ...def.options!.map(shapeOf)) as never;
  return {};
}

export interface Pools {
  /** Ids: of the caller's team's objects, of the other team's, unknown and malformed ones. */
  ids: fc.Arbitrary<string>;
  /** Plausible strings (names, cron expressions, time zones, workflow texts…). */
  strings: fc.Arbitrary<string>;
  /** Values for fields by name, where the name says more than the type (teamId, workflow…). */
  byKey: Record<string, fc.Arbitrary<unknown>>;
  /** Hostile values that belong to this world (other teams' ids as a wrong-typed field…). */
  extraHostile: fc.Arbitrary<unknown>[];
}

/** A plausible value of `schema` (often valid, not always). */
export function plausible(
  schema: z.ZodType,
  pools: Pools,
  key = '',
  depth = 0,
): fc.Arbitrary<unknown> {
  const byKey = pools.byKey[key];
  if (byKey) return byKey;
  const def = defOf(schema);
  const inner = (s: z.ZodType, k = key) => plausible(s, pools, k, depth + 1);
  switch (def.type) {
    case 'object': {
      const shape = def.shape!;
      const required = Object.keys(shape).filter((k) => !WRAPPERS.has(defOf(shape[k]!).type));
      const fields = Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, inner(s, k)]));
      return fc.record(fields, { requiredKeys: required });
    }
    case 'string':
      if (def.format === 'guid' || def.format === 'uuid') return pools.ids;
      if (def.format === 'email')
        return fc.constantFrom('ada@example.test', 'x@y', 'nobody@example.invalid');
      return pools.strings;
    case 'number':
      return fc.oneof(fc.constantFrom(1, 2, 3, 10, 25, 100), fc.integer({ min: -3, max: 400 }));
    case 'bigint':
      return fc.bigInt({ min: 0n, max: 10n });
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries!));
    case 'literal':
      return fc.constantFrom(...def.values!);
    case 'date':
      // Mostly recent; sometimes anywhere in JavaScript's range (271821 BC to 275760 AD).
      return fc.oneof(
        {
          weight: 4,
          arbitrary: fc.date({
            min: new Date('2000-01-01'),
            max: new Date('2030-01-01'),
            noInvalidDate: true,
          }),
        },
        { weight: 1, arbitrary: fc.date({ noInvalidDate: true }) },
      );
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(inner(def.element!), { maxLength: 3 });
    case 'record':
      return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
        maxKeys: 3,
      });
    case 'union':
      return fc.oneof(...def.options!.map((o) => inner(o)));
    case 'optional':
      return fc.option(inner(def.innerType!), { nil: undefined, freq: 2 });
    case 'nullable':
      return fc.option(inner(def.innerType!), { nil: null, freq: 4 });
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return fc.option(inner(def.innerType!), { nil: undefined, freq: 3 });
    case 'pipe':
      return inner(def.in!);
    case 'lazy':
      return depth > 3 ? fc.constant(null) : inner(def.getter!());
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A procedure's plausible input: its input schemas' values merged, as tRPC merges them. */
export function plausibleInput(schemas: z.ZodType[], pools: Pools): fc.Arbitrary<unknown> {
  if (schemas.length === 0) return fc.constant(undefined);
  return fc.tuple(...schemas.map((s) => plausible(s, pools))).map((parts) => {
    const objects = parts.filter((p) => p !== null && typeof p === 'object' && !Array.isArray(p));
    return objects.length === parts.length ? Object.assign({}, ...objects) : parts.at(-1);
  });
}

type Mutation =
  | { kind: 'replace'; at: number; deep: number; value: unknown }
  | { kind: 'drop'; at: number }
  | { kind: 'extra'; key: string; value: unknown }
  | { kind: 'whole'; value: unknown }
  | { kind: 'taint'; at: number; char: string }
  | { kind: 'extreme'; at: number; value: number };

/** Numbers just past what int4 and int8 columns, and JavaScript's safe integers, hold. */
const EXTREMES = [2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 32, 1e15, 2 ** 53 - 1, -1, 0];

/** Characters a string field may not hold, or that test its handling of unicode. */
const TAINTS = ['\u0000', '\ud800', '\udfff', '\ud83d', '💥', '\u202e', 'e\u0301', '\uffff'];

function mutationArb(pools: Pools): fc.Arbitrary<Mutation> {
  const value = hostile(pools.extraHostile);
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('replace' as const),
        at: fc.nat(),
        deep: fc.nat(3),
        value,
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('extra' as const),
        key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'teamId', 'id', ''), fc.string()),
        value,
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('whole' as const), value }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('extreme' as const),
        at: fc.nat(),
        value: fc.constantFrom(...EXTREMES),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('taint' as const),
        at: fc.nat(),
        char: fc.constantFrom(...TAINTS),
      }),
    },
  );
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** The input with one of its strings (keys included), picked by `at`, holding `char`. */
function taint(input: unknown, at: number, char: string): unknown {
  const count = { n: 0 };
  const strings = countStrings(input, count);
  if (strings === 0) return char;
  let left = at % strings;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (left-- === 0)
        return v.slice(0, at % (v.length + 1)) + char + v.slice(at % (v.length + 1));
      return v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) {
        const key = left-- === 0 ? `${k}${char}` : k;
        Object.defineProperty(out, key, { value: walk(item), enumerable: true, writable: true });
      }
      return out;
    }
    return v;
  };
  return walk(input);
}

/** The input with one of its numbers, picked by `at`, replaced by `value` (the rest unchanged). */
function extreme(input: unknown, at: number, value: number): unknown {
  const numbers: number[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'number') numbers.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (isPlainObject(v)) Object.values(v).forEach(collect);
  };
  collect(input);
  if (numbers.length === 0) return input;
  let left = at % numbers.length;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') return left-- === 0 ? value : v;
    if (Array.isArray(v)) return v.map(walk);
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) {
        Object.defineProperty(out, k, { value: walk(item), enumerable: true, writable: true });
      }
      return out;
    }
    return v;
  };
  return walk(input);
}

function countStrings(v: unknown, count: { n: number }): number {
  if (typeof v === 'string') count.n++;
  else if (Array.isArray(v)) v.forEach((item) => countStrings(item, count));
  else if (isPlainObject(v)) {
    for (const item of Object.values(v)) {
      count.n++;
      countStrings(item, count);
    }
  }
  return count.n;
}

function applyMutation(input: unknown, m: Mutation): unknown {
  if (m.kind === 'whole') return m.value;
  if (m.kind === 'taint') return taint(input, m.at, m.char);
  if (m.kind === 'extreme') return extreme(input, m.at, m.value);
  if (!isPlainObject(input)) return m.kind === 'replace' ? m.value : input;
  const copy: Record<string, unknown> = { ...input };
  if (m.kind === 'extra') {
    Object.defineProperty(copy, m.key, { value: m.value, enumerable: true, writable: true });
    return copy;
  }
  const keys = Object.keys(copy);
  if (keys.length === 0) return m.kind === 'replace' ? m.value : copy;
  const key = keys[m.at % keys.length]!;
  if (m.kind === 'drop') {
    delete copy[key];
    return copy;
  }
  const current = copy[key];
  copy[key] =
    m.deep > 0 && (isPlainObject(current) || Array.isArray(current))
      ? replaceInside(current, m.at, m.deep, m.value)
      : m.value;
  return copy;
}

function replaceInside(v: unknown, at: number, deep: number, value: unknown): unknown {
  if (Array.isArray(v)) {
    if (v.length === 0) return [value];
    const copy = [...v];
    copy[at % copy.length] =
      deep > 1 ? replaceInside(copy[at % copy.length], at, deep - 1, value) : value;
    return copy;
  }
  if (isPlainObject(v)) return applyMutation(v, { kind: 'replace', at, deep: deep - 1, value });
  return value;
}

/** Inputs for a procedure: mostly broken plausible inputs, some plausible ones as they are. */
export function procedureInputs(schemas: z.ZodType[], pools: Pools): fc.Arbitrary<unknown> {
  const base = plausibleInput(schemas, pools);
  return fc.oneof(
    // Valid by chance, or naming objects of another team (or none).
    { weight: 1, arbitrary: base },
    {
      weight: 4,
      arbitrary: fc
        .tuple(base, fc.array(mutationArb(pools), { minLength: 1, maxLength: 3 }))
        .map(([input, ms]) => ms.reduce(applyMutation, input)),
    },
  );
}
