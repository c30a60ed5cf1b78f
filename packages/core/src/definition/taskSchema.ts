// Task fields: the ones every kind shares, the subset `defaults` can set, and the per-kind schema.
import { z } from 'zod';
import { describeValue } from '../util/describeValue';
import { TRIGGER_RULES, type TriggerRule } from '../state/triggerRules';
import {
  authoredAs,
  descriptionSchema,
  durationSchema,
  envMapSchema,
  millisecondsSchema,
  poolSchema,
  secretsMapSchema,
} from './fields';
import type { TaskKind } from './kinds/types';
import { LIMITS } from './limits';
import { valueSchemaSchema, type ValueSchema } from './params/valueSchema';
import { DEFAULT_RETRY_POLICY, retriesInputSchema, type RetryPolicy } from './retryPolicy';

/** Fields a task inherits from the workflow's `defaults` when it does not set them. */
export const taskDefaultsShape = {
  retries: retriesInputSchema.optional(),
  /** Per attempt. null: no limit (the run timeout still applies). */
  timeout: durationSchema(1).nullable().optional(),
  timeoutMs: millisecondsSchema(1).nullable().optional(),
  env: envMapSchema.optional(),
  secrets: secretsMapSchema.optional(),
  workingDir: z.string().min(1).nullable().optional(),
  pool: poolSchema.optional(),
  priority: z.number().int().min(LIMITS.minPriority).max(LIMITS.maxPriority).optional(),
};

export const taskDefaultsSchema = z.strictObject(taskDefaultsShape);
export type TaskDefaultsInput = z.output<typeof taskDefaultsSchema>;

export interface TaskDefaults {
  retries: RetryPolicy;
  timeoutMs: number | null;
  env: Record<string, string>;
  /** Environment variable → name of a stored secret. The value never appears in a definition. */
  secrets: Record<string, string>;
  workingDir: string | null;
  pool: string;
  priority: number;
}

export const SYSTEM_TASK_DEFAULTS: TaskDefaults = {
  retries: DEFAULT_RETRY_POLICY,
  timeoutMs: null,
  env: {},
  secrets: {},
  workingDir: null,
  pool: 'default',
  priority: 0,
};

export interface OutputSpec {
  description: string | null;
  /** Shape of the JSON a task prints with `::output::`; checked by the engine, used by template checks. */
  schema: ValueSchema | null;
}

const outputSpecSchema = z.strictObject({
  description: descriptionSchema.nullable().optional(),
  schema: valueSchemaSchema.nullable().optional(),
});

/** `needs: extract` is accepted for `needs: [extract]`. Ids are checked with the graph, for better messages. */
const needsSchema = authoredAs<string | string[]>()(
  z.unknown().transform((value, ctx): string[] => {
    if (typeof value === 'string') return [value];
    if (!Array.isArray(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a list of task ids, got ${describeValue(value)}`,
      });
      return z.NEVER;
    }
    value.forEach((item, i) => {
      if (typeof item !== 'string') {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `expected a task id, got ${describeValue(item)}`,
        });
      }
    });
    return value as string[];
  }),
);

export const taskCommonShape = {
  kind: z.string(),
  description: descriptionSchema.nullable().optional(),
  needs: needsSchema.optional(),
  trigger: z.enum(TRIGGER_RULES).describe('trigger rule').optional(),
  output: outputSpecSchema.nullable().optional(),
  ...taskDefaultsShape,
};

export interface TaskCommon extends TaskDefaults {
  description: string | null;
  needs: string[];
  trigger: TriggerRule;
  output: OutputSpec | null;
}

const schemaByKind = new Map<string, z.ZodObject>();

/** Common fields plus the kind's own, as one strict object (unknown fields are errors). */
export function taskSchemaFor(kind: TaskKind): z.ZodObject {
  let schema = schemaByKind.get(kind.kind);
  if (!schema) {
    for (const key of Object.keys(kind.configSchema.shape)) {
      if (key in taskCommonShape)
        throw new Error(`kind ${kind.kind}: field "${key}" clashes with a common task field`);
    }
    schema = z.strictObject({ ...taskCommonShape, ...kind.configSchema.shape });
    schemaByKind.set(kind.kind, schema);
  }
  return schema;
}
