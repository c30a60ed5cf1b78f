// Parses the `params` section param by param, so one malformed param does not hide the others.
import { describeValue } from '../../util/describeValue';
import type { Issue } from '../issue';
import { LIMITS } from '../limits';
import { parseWithSchema } from '../zodIssues';
import {
  normalizeValueSchema,
  paramNameSchema,
  valueSchemaSchema,
  type ParamsSpec,
} from './valueSchema';

export interface ParsedParamsSpec {
  /** The params that parsed, normalized. */
  spec: ParamsSpec;
  /** Names of params that did not parse: references to them are not reported again. */
  failed: Set<string>;
  issues: Issue[];
}

/** Which constraint belongs to which types, to explain a constraint given to the wrong type. */
const CONSTRAINT_TYPES: Record<string, string> = {
  minimum: 'number, integer',
  maximum: 'number, integer',
  minLength: 'string',
  maxLength: 'string',
  pattern: 'string',
  format: 'string',
  enum: 'string, number, integer',
  items: 'array',
  minItems: 'array',
  maxItems: 'array',
  properties: 'object',
  additionalProperties: 'object',
};

export function parseParamsSpec(raw: unknown): ParsedParamsSpec {
  const result: ParsedParamsSpec = { spec: {}, failed: new Set(), issues: [] };
  if (raw === undefined || raw === null) return result;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    result.issues.push({
      path: ['params'],
      message: `expected an object of param name: schema, got ${describeValue(raw)}`,
    });
    return result;
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > LIMITS.maxParams) {
    result.issues.push({
      path: ['params'],
      message: `too many params: ${entries.length} (at most ${LIMITS.maxParams})`,
    });
  }
  for (const [name, schema] of entries) {
    const nameCheck = parseWithSchema(paramNameSchema, name, { path: ['params', name] });
    const parsed = parseWithSchema(valueSchemaSchema, schema, { path: ['params', name] });
    if (!nameCheck.ok) result.issues.push(...nameCheck.issues);
    if (parsed.ok) {
      result.spec[name] = normalizeValueSchema(parsed.value);
    } else {
      result.failed.add(name);
      result.issues.push(...parsed.issues.map((issue) => explainMisplacedConstraint(issue, raw)));
    }
  }
  return result;
}

function explainMisplacedConstraint(issue: Issue, params: unknown): Issue {
  const key = issue.path[issue.path.length - 1];
  if (typeof key !== 'string' || !issue.message.startsWith(`unknown field "${key}"`)) return issue;
  const types = CONSTRAINT_TYPES[key];
  if (!types) return issue;
  // The object holding the misplaced key; its `type` names what the author declared.
  let holder: unknown = params;
  for (const segment of issue.path.slice(1, -1))
    holder = (holder as Record<string | number, unknown>)?.[segment];
  const type = (holder as { type?: unknown } | undefined)?.type;
  const declared = typeof type === 'string' ? `type ${type}` : 'this type';
  return { ...issue, message: `"${key}" does not apply to ${declared} (it is for: ${types})` };
}
