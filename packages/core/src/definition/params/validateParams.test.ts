import { describe, expect, it } from 'vitest';
import { formatValidationError } from '../issue';
import { validateParams } from './validateParams';
import { normalizeParamsSpec, type ValueSchemaInput } from './valueSchema';

const spec = normalizeParamsSpec({
  date: { type: 'string', format: 'date' },
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
  env: { type: 'string', enum: ['dev', 'prod'], default: 'dev' },
  dryRun: { type: 'boolean', required: false },
  tables: {
    type: 'array',
    items: { type: 'string', minLength: 1 },
    minItems: 1,
    default: ['orders'],
  },
  target: {
    type: 'object',
    required: false,
    properties: {
      region: { type: 'string', pattern: '^[a-z]{2}-[a-z]+-\\d$' },
      replicas: { type: 'integer', default: 1 },
    },
  },
} satisfies Record<string, ValueSchemaInput>);

function errors(values: unknown, options?: Parameters<typeof validateParams>[2]): string[] {
  const result = validateParams(spec, values, options);
  if (result.ok) throw new Error('expected errors');
  return result.errors.map(formatValidationError);
}

describe('validateParams', () => {
  it('applies defaults, including nested ones, and returns a fresh object', () => {
    const input = { date: '2024-02-29', target: { region: 'eu-west-1' } };
    const result = validateParams(spec, input);
    expect(result).toEqual({
      ok: true,
      value: {
        date: '2024-02-29',
        limit: 10,
        env: 'dev',
        tables: ['orders'],
        target: { region: 'eu-west-1', replicas: 1 },
      },
    });
    if (result.ok) {
      (result.value.tables as string[]).push('x');
      expect(spec.tables!.default).toEqual(['orders']);
    }
  });

  it('reports every problem with the path of the value', () => {
    expect(
      errors({
        date: '2023-02-29',
        limit: 500,
        env: 'prd',
        dryRun: 'yes',
        tables: ['', 3],
        target: { region: 'EU', zone: 'a' },
        lmit: 1,
      }),
    ).toEqual([
      'date: expected a date like "2024-01-31", got "2023-02-29"',
      'limit: must be at most 100 (got 500)',
      'env: a string ("prd") is not one of the allowed values: "dev", "prod" (did you mean "prod"?)',
      'dryRun: expected a boolean (true or false), got a string ("yes")',
      'tables[0]: must be at least 1 character long (got 0)',
      'tables[1]: expected a string, got a number (3)',
      'target.region: must match the pattern ^[a-z]{2}-[a-z]+-\\d$ (got "EU")',
      'target.zone: unknown property "zone" (known: region, replicas)',
      'lmit: unknown param "lmit" (did you mean "limit"?)',
    ]);
  });

  it('names missing required params at their own path (for forms)', () => {
    expect(errors({})).toEqual(['date: missing required param "date" (string)']);
    expect(errors(undefined)).toEqual(['date: missing required param "date" (string)']);
    expect(errors([1])).toEqual(['params must be an object of name: value, got a list']);
  });

  it('prefixes paths when asked', () => {
    expect(errors({ limit: 0 }, { path: ['schedules', 0, 'params'] })).toEqual([
      'schedules[0].params.date: missing required param "date" (string)',
      'schedules[0].params.limit: must be at least 1 (got 0)',
    ]);
  });

  it('coerces strings from command lines and query strings when asked', () => {
    const result = validateParams(
      spec,
      {
        date: '2024-01-01',
        limit: '25',
        dryRun: 'true',
        tables: '["a","b"]',
        target: '{"region":"us-east-1"}',
      },
      { coerceStrings: true },
    );
    expect(result).toEqual({
      ok: true,
      value: {
        date: '2024-01-01',
        limit: 25,
        env: 'dev',
        dryRun: true,
        tables: ['a', 'b'],
        target: { region: 'us-east-1', replicas: 1 },
      },
    });
    expect(errors({ date: '2024-01-01', limit: '2.5x' }, { coerceStrings: true })).toEqual([
      'limit: expected an integer, got a string ("2.5x")',
    ]);
  });

  it('accepts any object when an object param declares no properties', () => {
    const open = normalizeParamsSpec({ extra: { type: 'object' } });
    expect(validateParams(open, { extra: { anything: [1, { deep: true }] } })).toEqual({
      ok: true,
      value: { extra: { anything: [1, { deep: true }] } },
    });
  });
});
