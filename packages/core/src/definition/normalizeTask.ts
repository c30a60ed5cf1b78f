// Merges a task's own fields with the workflow defaults into the normalized task.
import { mergeRetryPolicy, type RetriesInput } from './retryPolicy';
import type { ParsedTask } from './parseTasks';
import { normalizeValueSchema, type ValueSchemaInput } from './params/valueSchema';
import {
  SYSTEM_TASK_DEFAULTS,
  type OutputSpec,
  type TaskDefaults,
  type TaskDefaultsInput,
} from './taskSchema';
import type { NormalizedTask } from './types';
import type { TriggerRule } from '../state/triggerRules';

/** `timeout: 5m` or `timeoutMs: 300000`; an explicit null means "none" and beats the fallback. */
export function pickDuration(
  written: number | null | undefined,
  writtenMs: number | null | undefined,
  fallback: number | null,
): number | null {
  if (written !== undefined) return written;
  if (writtenMs !== undefined) return writtenMs;
  return fallback;
}

export function normalizeDefaults(input: TaskDefaultsInput | undefined): TaskDefaults {
  const base = SYSTEM_TASK_DEFAULTS;
  return {
    retries: mergeRetryPolicy(base.retries, input?.retries),
    timeoutMs: pickDuration(input?.timeout, input?.timeoutMs, base.timeoutMs),
    env: { ...(input?.env ?? base.env) },
    secrets: { ...(input?.secrets ?? base.secrets) },
    workingDir: input?.workingDir !== undefined ? input.workingDir : base.workingDir,
    pool: input?.pool ?? base.pool,
    priority: input?.priority ?? base.priority,
  };
}

export function normalizeTask(task: ParsedTask, defaults: TaskDefaults): NormalizedTask {
  const {
    kind,
    description,
    needs,
    trigger,
    output,
    retries,
    timeout,
    timeoutMs,
    env,
    secrets,
    workingDir,
    pool,
    priority,
    ...kindFields
  } = task;
  const spec = output as
    { description?: string | null; schema?: ValueSchemaInput | null } | null | undefined;
  const normalizedOutput: OutputSpec | null = spec
    ? {
        description: spec.description ?? null,
        schema: spec.schema ? normalizeValueSchema(spec.schema) : null,
      }
    : null;
  // Field order is the reading order of a stored definition: what it is, when it runs, what it does, how.
  return {
    kind,
    description: (description as string | null | undefined) ?? null,
    needs: needs ?? [],
    trigger: (trigger as TriggerRule | undefined) ?? 'all_success',
    ...kindFields,
    env: { ...defaults.env, ...(env as Record<string, string> | undefined) },
    secrets: { ...defaults.secrets, ...(secrets as Record<string, string> | undefined) },
    workingDir: workingDir !== undefined ? (workingDir as string | null) : defaults.workingDir,
    pool: (pool as string | undefined) ?? defaults.pool,
    priority: (priority as number | undefined) ?? defaults.priority,
    timeoutMs: pickDuration(timeout, timeoutMs, defaults.timeoutMs),
    retries: mergeRetryPolicy(defaults.retries, retries as RetriesInput | undefined),
    output: normalizedOutput,
  } as NormalizedTask;
}
