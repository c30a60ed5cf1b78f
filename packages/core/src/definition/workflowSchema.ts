// The top-level sections of a workflow file. Each section is parsed on its own, so an error in
// one (a bad description) does not hide the errors of another (an unknown dependency).
import { z } from 'zod';
import type { TASK_KINDS, TaskKindName } from './kinds';
import {
  descriptionSchema,
  durationSchema,
  millisecondsSchema,
  slugName,
  TAG_PATTERN,
} from './fields';
import { LIMITS } from './limits';
import type { ValueSchemaInput } from './params/valueSchema';
import type { scheduleSchema } from './scheduleSchema';
import { taskDefaultsSchema, type taskCommonShape } from './taskSchema';
import type { triggerSchema } from './triggerSchema';
import { quote } from '../util/describeValue';
import { alertsSectionSchema } from '../alerts/alertsSection';
import type { AlertRuleInput } from '../alerts/ruleSchema';
import { SCHEMA_VERSION } from './types';

const tagSchema = z.string().regex(TAG_PATTERN, {
  error: (iss) =>
    `invalid tag ${quote(String(iss.input))}: use up to 50 letters, digits, spaces, ".", "_", ":", "/" or "-"`,
});

/**
 * Everything except `params` and `tasks`, which are validated entry by entry (see parseParamsSpec,
 * parseTasks).
 */
export const workflowSections = {
  schemaVersion: z
    .literal(SCHEMA_VERSION, {
      error: (iss) =>
        `unsupported schemaVersion ${JSON.stringify(iss.input)} (this version of DTSS reads ${SCHEMA_VERSION})`,
    })
    .optional()
    .transform(() => SCHEMA_VERSION),
  name: slugName('workflow name'),
  description: descriptionSchema.nullable().default(null),
  tags: z.array(tagSchema).max(LIMITS.maxTags).default([]),
  defaults: taskDefaultsSchema.default({}),
  concurrency: z
    .strictObject({ maxRuns: z.number().int().min(1).max(10_000).nullable().default(null) })
    .default({ maxRuns: null }),
  runTimeout: durationSchema(1000).nullable().optional(),
  runTimeoutMs: millisecondsSchema(1000).nullable().optional(),
  // Entries are parsed one by one (parseEntries) so a bad one does not hide checks of the others.
  schedules: z.array(z.unknown()).max(LIMITS.maxSchedules).default([]),
  triggers: z.array(z.unknown()).max(LIMITS.maxTriggers).default([]),
  alerts: alertsSectionSchema,
};

/** In the order a workflow file usually lists them. */
export const TOP_LEVEL_FIELDS = [
  'schemaVersion',
  'name',
  'description',
  'tags',
  'params',
  'defaults',
  'concurrency',
  'runTimeout',
  'runTimeoutMs',
  'schedules',
  'triggers',
  'alerts',
  'tasks',
];

type CommonTaskInput = Omit<z.input<z.ZodObject<typeof taskCommonShape>>, 'kind'>;
/** A task as an author may write it. */
export type TaskInput = {
  [K in TaskKindName]: CommonTaskInput &
    z.input<(typeof TASK_KINDS)[K]['configSchema']> & { kind: K };
}[TaskKindName];

/** A workflow as an author may write it (YAML, JSON, API body); see NormalizedWorkflow for the output. */
export type WorkflowInput = Omit<
  z.input<z.ZodObject<typeof workflowSections>>,
  'schedules' | 'triggers' | 'alerts'
> & {
  alerts?: AlertRuleInput[];
  schedules?: Array<z.input<typeof scheduleSchema>>;
  triggers?: Array<z.input<typeof triggerSchema>>;
  params?: Record<string, ValueSchemaInput>;
  tasks: Record<string, TaskInput>;
};
