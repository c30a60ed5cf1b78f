/**
 * Hostile values for property-based tests: wrong types, huge and odd strings (NUL, unpaired
 * surrogates, right-to-left marks, emoji), deep nesting, negative, fractional, huge and
 * non-finite numbers, BigInts, invalid dates, prototype-shaped keys. Shared by the API fuzz
 * (test/api-fuzz.test.ts) and the webhook fuzz (apps/web/test/webhooks/webhooks-fuzz.test.ts).
 */
import fc from 'fast-check';

/** Strings no text column can hold, or that look like something else. */
export const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '\u202eevil\u202c',
  '\u200b\u200d\ufeff',
  'Ω≈ç√∫',
  '💥🔥👩‍👩‍👧',
  'e\u0301\u0301\u0301',
  '\r\n\t\v\f',
  '%00%ff',
  "'; DROP TABLE runs; --",
  '{{ secrets.DB_PASSWORD }}',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '9223372036854775808',
  '2026-13-45T99:99:99Z',
  '<script>alert(1)</script>',
] as const;

/** Numbers that are not the small positive integers inputs expect. */
export const ODD_NUMBERS = [
  -1,
  0,
  -0,
  0.5,
  -2.5,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER,
  1e21,
  1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
  NaN,
  Infinity,
  -Infinity,
] as const;

/** `value` nested `depth` levels deep in arrays or objects. */
export function nest(depth: number, value: unknown = 1, kind: 'array' | 'object' = 'array') {
  let v = value;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

/** A string of `length` copies of `unit` (built once per call: keep lengths few). */
const repeated = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length));

export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
);

/**
 * Long strings: over field limits (200, 1 KiB, 64 KiB), over the workflow limit (1 MiB) and,
 * rarely, over the request body limit (2 MiB).
 */
export const hugeString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom('x', 'é', '💥', 'a\u0000'), fc.constantFrom(201, 1025, 70_000))
      .map(([u, n]) => repeated(u, n)),
  },
  { weight: 1, arbitrary: fc.constantFrom(1_100_000, 2_200_000).map((n) => repeated('y', n)) },
);

export const oddNumber: fc.Arbitrary<number | bigint> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ODD_NUMBERS) },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }) },
);

/** Nesting past every limit (inputs: 64 levels, HTTP bodies: 72), and small nests of odd things. */
export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.oneof(fc.integer({ min: 2, max: 8 }), fc.constantFrom(63, 64, 65, 71, 72, 73, 150)),
    fc.constantFrom<'array' | 'object'>('array', 'object'),
    fc.constantFrom<unknown>(1, 'x', null, '\u0000', {}),
  )
  .map(([depth, kind, leaf]) => nest(depth, leaf, kind));

/** Values of other types than JSON's, as superjson carries them over the wire. */
export const oddObject: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  null,
  undefined,
  true,
  false,
  [],
  {},
  [[]],
  [null],
  new Date(NaN),
  new Date(8.64e15),
  new Date(-8.64e15),
  new Map([['a', 1]]),
  new Set([1, 2]),
  /x+/g,
  JSON.parse('{"__proto__":{"admin":true}}') as unknown,
  { constructor: { prototype: { polluted: true } } },
  { toString: 'not a function', valueOf: 1 },
  Array.from({ length: 600 }, (_, i) => i),
);

/** Any hostile value (ids and plausible strings are added by the caller's own pools). */
export function hostile(extra: fc.Arbitrary<unknown>[] = []): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 5, arbitrary: oddString },
    { weight: 4, arbitrary: oddNumber },
    { weight: 3, arbitrary: oddObject },
    { weight: 2, arbitrary: deepValue },
    { weight: 1, arbitrary: hugeString },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    ...extra.map((arbitrary) => ({ weight: 2, arbitrary })),
  );
}
