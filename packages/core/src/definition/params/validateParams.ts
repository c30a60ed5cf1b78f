// Validates the params of a run (API call, schedule, trigger) against a workflow's params spec.
import { describeValue } from '../../util/describeValue';
import type { JsonValue } from '../fields';
import { toValidationError, type Issue, type Path, type ValidationError } from '../issue';
import { validateProperties, type ValidateValueOptions } from './validateValue';
import type { ParamsSpec } from './valueSchema';

export type ParamsResult =
  { ok: true; value: Record<string, JsonValue> } | { ok: false; errors: ValidationError[] };

export interface ValidateParamsOptions extends ValidateValueOptions {
  /** Prefix for error paths, e.g. ['schedules', 0, 'params']; by default paths are param names. */
  path?: Path;
}

/**
 * Checks `values` against `spec`: types and constraints, required params present, unknown names
 * rejected. On success `value` is a fresh object with every default applied.
 */
export function validateParams(
  spec: ParamsSpec,
  values: unknown,
  options: ValidateParamsOptions = {},
): ParamsResult {
  const { value, issues } = checkParams(spec, values, options);
  return issues.length === 0
    ? { ok: true, value }
    : { ok: false, errors: issues.map(toValidationError) };
}

/** validateParams with issues in their internal (segment path) form. */
export function checkParams(
  spec: ParamsSpec,
  values: unknown,
  options: ValidateParamsOptions = {},
): { value: Record<string, JsonValue>; issues: Issue[] } {
  const path = options.path ?? [];
  const input = values === undefined || values === null ? {} : values;
  if (typeof input !== 'object' || Array.isArray(input)) {
    return {
      value: {},
      issues: [
        { path, message: `params must be an object of name: value, got ${describeValue(input)}` },
      ],
    };
  }
  const issues: Issue[] = [];
  const value = validateProperties(
    spec,
    input as Record<string, unknown>,
    path,
    { ...options, noun: 'param' },
    issues,
  );
  return { value, issues };
}
