// Shared zod building blocks for definition fields: names, durations, string maps, JSON values.
import { z } from 'zod';
import { MAX_DURATION_MS, formatDuration, parseDuration } from '../duration/parseDuration';
import { describeValue, quote } from '../util/describeValue';
import { LIMITS } from './limits';

/** Workflow and schedule names: lowercase so they are safe in URLs and never collide by case. */
export const WORKFLOW_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;
/** Task ids: identifier-like so templates can write `tasks.<id>.output` (and never `__proto__`). */
export const TASK_ID_PATTERN = /^(?!__proto__$)[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
/** Param names: also usable as environment variable names and template keys. */
export const PARAM_NAME_PATTERN = /^(?!__proto__$)[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Environment variables the engine sets itself (DTSS_RUN_ID, DTSS_PARAMS, …). */
export const RESERVED_ENV_PREFIX = 'DTSS_';
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_./-]{0,127}$/;
export const POOL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const EVENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/;
export const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:/ -]{0,49}$/;

export function slugName(what: string) {
  return z.string().regex(WORKFLOW_NAME_PATTERN, {
    error: (iss) =>
      `invalid ${what} ${quote(String(iss.input))}: use 1-100 lowercase letters, digits, ".", "_" or "-", ` +
      `starting with a letter or digit${suggestSlug(String(iss.input))}`,
  });
}

function suggestSlug(input: string): string {
  const slug = input
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, LIMITS.maxNameLength);
  return WORKFLOW_NAME_PATTERN.test(slug) && slug !== input ? ` (e.g. ${quote(slug)})` : '';
}

export const taskIdSchema = z.string().regex(TASK_ID_PATTERN, {
  error: (iss) =>
    `invalid task id ${quote(String(iss.input))}: use up to 64 letters, digits, "_" or "-", starting with a letter or "_"`,
});

export const envNameSchema = z
  .string()
  .regex(ENV_NAME_PATTERN, {
    error: (iss) =>
      `invalid environment variable name ${quote(String(iss.input))}: use letters, digits and "_", not starting with a digit`,
  })
  .refine((name) => !name.startsWith(RESERVED_ENV_PREFIX), {
    error: (iss) =>
      `${quote(String(iss.input))} is reserved: names starting with ${RESERVED_ENV_PREFIX} are set by the engine`,
  });

export const secretNameSchema = z.string().regex(SECRET_NAME_PATTERN, {
  error: (iss) =>
    `invalid secret name ${quote(String(iss.input))}: use letters, digits, "_", ".", "/" or "-" (this is the name of a stored secret, never its value)`,
});

export const poolSchema = z.string().regex(POOL_PATTERN, {
  error: (iss) =>
    `invalid pool ${quote(String(iss.input))}: use up to 64 letters, digits, "_", "." or "-"`,
});

export const descriptionSchema = z.string().max(LIMITS.maxDescriptionLength);

/**
 * Declares the input type of a field that parses `unknown` itself (to word its own errors), so the
 * author-facing types (WorkflowInput) say what to write: `authoredAs<string | number>()(schema)`.
 */
export function authoredAs<Input>() {
  return <S extends z.ZodType>(schema: S) => schema as unknown as z.ZodType<z.output<S>, Input>;
}

/**
 * A string, or a number/boolean turned into one: YAML authors write `PORT: 8080` and mean "8080".
 * Environment values, headers and query values are strings by nature.
 */
export const stringish = authoredAs<string | number | boolean>()(
  z.unknown().transform((value, ctx) => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    ctx.addIssue({ code: 'custom', message: `expected a string, got ${describeValue(value)}` });
    return z.NEVER;
  }),
);

export const envMapSchema = z.record(envNameSchema, stringish);
export const secretsMapSchema = z.record(envNameSchema, secretNameSchema);

/** A duration written by an author ("30s", 30); the output is milliseconds. */
export function durationSchema(min: number = 0) {
  return authoredAs<string | number>()(
    z.unknown().transform((value, ctx) => {
      const parsed = parseDuration(value);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.message });
        return z.NEVER;
      }
      if (parsed.ms < min) {
        ctx.addIssue({ code: 'custom', message: `must be at least ${formatDuration(min)}` });
        return z.NEVER;
      }
      return parsed.ms;
    }),
  );
}

/** The normalized spelling of a duration: a whole number of milliseconds. */
export function millisecondsSchema(min: number = 0) {
  return z.number().int().min(min).max(MAX_DURATION_MS);
}

/** Any JSON value, checked (finite numbers, no undefined, bounded depth) and deep-copied. */
export const jsonValueSchema = authoredAs<JsonValue>()(
  z.unknown().transform((value, ctx) => {
    const problem = findNonJson(value, 0);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return structuredClone(value) as JsonValue;
  }),
);

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function findNonJson(value: unknown, depth: number): string | undefined {
  if (depth > LIMITS.maxDepth) return `nested deeper than ${LIMITS.maxDepth} levels`;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number')
    return Number.isFinite(value) ? undefined : `${value} is not a JSON number`;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = findNonJson(item, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) {
      const problem = findNonJson(item, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  return `expected a JSON value, got ${describeValue(value)}`;
}
