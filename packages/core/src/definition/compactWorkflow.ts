// The other way round from validateWorkflow: the smallest input that means the same as a normalized
// workflow, as an author would write it. Stored versions are normalized (every field present, nulls,
// defaults merged into each task, durations in `…Ms` fields); the web editor shows `timeout: 5m`
// and no page of nulls.
//
// Contract (tested as a property): for every n that validateWorkflow returns,
// validateWorkflow(compactWorkflow(n)).workflow deep-equals n.
//
// `defaults` is not reconstructed from the tasks: each task spells its own values. The normalized
// form keeps the `defaults` block as given, so it is written back (when it is not the system's) for
// the round trip; a task then leaves a field out only when both the system default and that block
// give its value, so a task reads the same whatever the block says.
import { z } from 'zod';
import { DEFAULT_POOL_WAIT_MS, type AlertRuleSpec } from '../alerts/ruleSchema';
import { formatDuration, parseDuration } from '../duration/parseDuration';
import { canonicalJson } from '../util/canonicalJson';
import { TASK_KINDS } from './kinds';
import type { ValueSchema, ValueSchemaInput } from './params/valueSchema';
import type { RetryOn, RetryPolicy } from './retryPolicy';
import { scheduleSchema, type Schedule } from './scheduleSchema';
import { SYSTEM_TASK_DEFAULTS, type OutputSpec, type TaskDefaults } from './taskSchema';
import { triggerSchema, type FilterCondition, type Scalar, type Trigger } from './triggerSchema';
import type { NormalizedTask, NormalizedWorkflow } from './types';
import type { TaskInput, WorkflowInput } from './workflowSchema';

type Fields = Record<string, unknown>;

export function compactWorkflow(workflow: NormalizedWorkflow): WorkflowInput {
  const out: Fields = { name: workflow.name };
  if (workflow.description !== null) out.description = workflow.description;
  if (workflow.tags.length > 0) out.tags = workflow.tags;
  if (!isEmpty(workflow.params)) out.params = mapValues(workflow.params, compactValueSchema);
  const defaults = inheritableFields(workflow.defaults, [SYSTEM_TASK_DEFAULTS]);
  if (!isEmpty(defaults)) out.defaults = defaults;
  if (workflow.concurrency.maxRuns !== null) out.concurrency = workflow.concurrency;
  if (workflow.runTimeoutMs !== null) setDuration(out, 'runTimeout', workflow.runTimeoutMs);
  if (workflow.schedules.length > 0) out.schedules = workflow.schedules.map(compactSchedule);
  if (workflow.triggers.length > 0) out.triggers = workflow.triggers.map(compactTrigger);
  if (workflow.alerts && workflow.alerts.length > 0) out.alerts = workflow.alerts.map(compactAlert);
  out.tasks = mapValues(workflow.tasks, (task) => compactTask(task, workflow.defaults));
  // A copy, so that editing the result never changes the stored workflow.
  return structuredClone(out) as WorkflowInput;
}

function compactTask(task: NormalizedTask, defaults: TaskDefaults): TaskInput {
  const out: Fields = { kind: task.kind };
  if (task.description !== null) out.description = task.description;
  if (task.needs.length > 0) out.needs = task.needs;
  if (task.trigger !== 'all_success') out.trigger = task.trigger;
  const kindShape: z.ZodRawShape = TASK_KINDS[task.kind].configSchema.shape;
  Object.assign(out, withoutSchemaDefaults(task, kindShape));
  Object.assign(out, inheritableFields(task, [SYSTEM_TASK_DEFAULTS, defaults]));
  if (task.output !== null) out.output = compactOutput(task.output);
  return out as TaskInput;
}

/**
 * The fields `defaults` can set, in a task's reading order; each is left out when every base (what
 * applies when the field is missing) gives the same value. A written env or secrets map is whole:
 * merged over the base's, it still gives exactly these entries.
 */
function inheritableFields(values: TaskDefaults, bases: readonly TaskDefaults[]): Fields {
  const out: Fields = {};
  const differs = (key: keyof TaskDefaults) => bases.some((base) => !same(values[key], base[key]));
  if (differs('env')) out.env = values.env;
  if (differs('secrets')) out.secrets = values.secrets;
  const retries = compactRetries(
    values.retries,
    bases.map((base) => base.retries),
  );
  if (!isEmpty(retries)) out.retries = retries;
  if (differs('timeoutMs')) setDuration(out, 'timeout', values.timeoutMs);
  if (differs('workingDir')) out.workingDir = values.workingDir;
  if (differs('pool')) out.pool = values.pool;
  if (differs('priority')) out.priority = values.priority;
  return out;
}

/** Retry fields that differ from a base; `retryOn` is replaced as a whole when written. */
function compactRetries(policy: RetryPolicy, bases: readonly RetryPolicy[]): Fields {
  const out: Fields = {};
  const differs = (key: keyof RetryPolicy) => bases.some((base) => !same(policy[key], base[key]));
  if (differs('maxAttempts')) out.maxAttempts = policy.maxAttempts;
  if (differs('backoff')) out.backoff = policy.backoff;
  if (differs('initialDelayMs')) setDuration(out, 'initialDelay', policy.initialDelayMs);
  if (differs('maxDelayMs')) setDuration(out, 'maxDelay', policy.maxDelayMs);
  if (differs('jitter')) out.jitter = policy.jitter;
  if (differs('retryOn')) out.retryOn = policy.retryOn && compactRetryOn(policy.retryOn);
  return out;
}

/** Without the values mergeRetryPolicy fills in: no exit codes, no statuses, timeouts retried. */
function compactRetryOn(retryOn: RetryOn): Fields {
  const out: Fields = {};
  if (retryOn.exitCodes.length > 0) out.exitCodes = retryOn.exitCodes;
  if (retryOn.httpStatuses.length > 0) out.httpStatuses = retryOn.httpStatuses;
  if (!retryOn.timeouts) out.timeouts = false;
  return out;
}

function compactOutput(output: OutputSpec): Fields {
  const out: Fields = {};
  if (output.description !== null) out.description = output.description;
  if (output.schema !== null) out.schema = compactValueSchema(output.schema);
  return out;
}

/** `type` first, then the fields as given; `required` only when it is not implied by `default`. */
function compactValueSchema(schema: ValueSchema): ValueSchemaInput {
  const out: Fields = { type: schema.type };
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type' || key === 'required' || value === undefined) continue;
    if (key === 'items') out.items = compactValueSchema(value as ValueSchema);
    else if (key === 'properties')
      out.properties = mapValues(value as Record<string, ValueSchema>, compactValueSchema);
    else out[key] = value;
  }
  if (schema.required !== (schema.default === undefined)) out.required = schema.required;
  return out as ValueSchemaInput;
}

function compactSchedule(schedule: Schedule, index: number): Fields {
  const shape = scheduleSchema.shape;
  const out: Fields = {};
  if (schedule.name !== positionalName('schedule', index)) out.name = schedule.name;
  Object.assign(
    out,
    withoutSchemaDefaults(schedule, shape, [
      'description',
      'cron',
      'timezone',
      'params',
      'enabled',
      'catchup',
    ]),
  );
  // null and 0 are what normalizeSchedules uses when neither spelling is given.
  if (schedule.catchupWindowMs !== null)
    setDuration(out, 'catchupWindow', schedule.catchupWindowMs);
  Object.assign(out, withoutSchemaDefaults(schedule, shape, ['overlap']));
  if (schedule.jitterMs !== 0) setDuration(out, 'jitter', schedule.jitterMs);
  Object.assign(out, withoutSchemaDefaults(schedule, shape, ['startAt', 'endAt']));
  return out;
}

function compactTrigger(trigger: Trigger, index: number): Fields {
  const shape = triggerSchema.shape;
  const out: Fields = {};
  if (trigger.name !== positionalName('trigger', index)) out.name = trigger.name;
  Object.assign(out, withoutSchemaDefaults(trigger, shape, ['description']));
  // An `after` trigger has event null in the normalized form, and no event in its input.
  if (trigger.event !== null) out.event = trigger.event;
  Object.assign(out, withoutSchemaDefaults(trigger, shape, ['after']));
  if (!isEmpty(trigger.filter)) out.filter = mapValues(trigger.filter, compactCondition);
  Object.assign(out, withoutSchemaDefaults(trigger, shape, ['params', 'enabled']));
  return out;
}

/** Authors write a bare value for `{ equals: value }`. */
function compactCondition(condition: FilterCondition): Scalar | FilterCondition {
  return 'equals' in condition ? condition.equals : condition;
}

/** The name validation gives an unnamed schedule or trigger: `schedule-1` for schedules[0]. */
function positionalName(prefix: 'schedule' | 'trigger', index: number): string {
  return `${prefix}-${index + 1}`;
}

/** `timeout: 5m` when that spelling parses back to the same milliseconds, else `timeoutMs`. */
function compactAlert(rule: AlertRuleSpec): Fields {
  const out: Fields = { name: rule.name, on: rule.on, channels: rule.channels };
  if (!rule.enabled) out.enabled = false;
  if (rule.on === 'run_failed' && !same(rule.statuses, ['failed', 'timed_out']))
    out.statuses = rule.statuses;
  if (rule.retries !== null) out.retries = rule.retries;
  if (rule.deadline) {
    const deadline: Fields = { from: rule.deadline.from };
    if (rule.deadline.afterMs !== 0 || rule.deadline.from !== 'average')
      setDuration(deadline, 'after', rule.deadline.afterMs);
    if (rule.deadline.runs !== 10) deadline.runs = rule.deadline.runs;
    if (rule.deadline.factor !== 1) deadline.factor = rule.deadline.factor;
    out.deadline = deadline;
  }
  if (rule.waitingMs !== null && rule.waitingMs !== DEFAULT_POOL_WAIT_MS)
    setDuration(out, 'waitingFor', rule.waitingMs);
  if (rule.pool !== null) out.pool = rule.pool;
  return out;
}

function setDuration(out: Fields, key: string, ms: number | null): void {
  if (ms === null) {
    out[key] = null;
    return;
  }
  const text = formatDuration(ms);
  const parsed = parseDuration(text);
  if (parsed.ok && parsed.ms === ms) out[key] = text;
  else out[`${key}Ms`] = ms;
}

/**
 * The given fields of `value` (default: every field of the schema, in its order), without those
 * equal to what their schema gives when they are left out. Objects the schema describes field by
 * field (an http `request`, an `after`) are compacted the same way.
 */
function withoutSchemaDefaults(
  value: object,
  shape: z.ZodRawShape,
  keys: readonly string[] = Object.keys(shape),
): Fields {
  const out: Fields = {};
  for (const key of keys) {
    const field = (value as Fields)[key];
    const schema = shape[key] as z.ZodType;
    if (field === undefined || same(field, valueWhenOmitted(schema))) continue;
    const nested = objectShape(schema);
    out[key] =
      nested && typeof field === 'object' && field !== null && !Array.isArray(field)
        ? withoutSchemaDefaults(field, nested)
        : field;
  }
  return out;
}

/** Marks a field whose schema gives no value when it is left out (it is required, or optional). */
const NO_DEFAULT = Symbol('no default');
const omittedValues = new WeakMap<z.ZodType, unknown>();

/** What a field parses to when it is left out, read from its schema (parsed once per schema). */
function valueWhenOmitted(schema: z.ZodType): unknown {
  if (!omittedValues.has(schema)) {
    const parsed = schema.safeParse(undefined);
    const value = parsed.success && parsed.data !== undefined ? parsed.data : NO_DEFAULT;
    omittedValues.set(schema, value);
  }
  return omittedValues.get(schema);
}

/** The fields of an object schema, through `.optional()`, `.nullable()` and `.default()`. */
function objectShape(schema: z.ZodType): z.ZodRawShape | undefined {
  let inner: z.ZodType = schema;
  while (
    inner instanceof z.ZodOptional ||
    inner instanceof z.ZodNullable ||
    inner instanceof z.ZodDefault
  ) {
    inner = inner.unwrap() as z.ZodType;
  }
  return inner instanceof z.ZodObject ? inner.shape : undefined;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || b === NO_DEFAULT) return false;
  return canonicalJson(a) === canonicalJson(b);
}

function isEmpty(object: object): boolean {
  return Object.keys(object).length === 0;
}

function mapValues<T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}
