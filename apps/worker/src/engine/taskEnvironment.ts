/**
 * The environment contract between the engine and a task's process (documented in the core README):
 * DTSS_* variables describe the attempt; task `env` and mapped secrets come on top.
 */
import type { JsonValue, NormalizedTask } from '@dtss/core';
import { traceparentOf } from '@dtss/db/tracing';

export interface AttemptFacts {
  runId: string;
  attemptId: string;
  runNumber: number;
  workflowName: string;
  taskKey: string;
  attemptNumber: number;
  logicalDate: Date;
  params: Record<string, JsonValue>;
  /** Outputs of the task's direct upstream tasks, by task id. */
  upstream: Record<string, JsonValue | null>;
}

export function taskEnvironment(
  task: NormalizedTask,
  facts: AttemptFacts,
  secretValues: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {
    DTSS_RUN_ID: facts.runId,
    DTSS_RUN_NUMBER: String(facts.runNumber),
    DTSS_WORKFLOW: facts.workflowName,
    DTSS_TASK_ID: facts.taskKey,
    DTSS_ATTEMPT: String(facts.attemptNumber),
    DTSS_LOGICAL_DATE: facts.logicalDate.toISOString(),
    DTSS_PARAMS: JSON.stringify(facts.params),
    DTSS_UPSTREAM: JSON.stringify(facts.upstream),
    // W3C trace context: the task's own spans join its run's trace under its attempt's span.
    // Always set (a hash per attempt), whether or not this worker exports spans.
    TRACEPARENT: traceparentOf(facts.runId, facts.attemptId),
    ...task.env,
  };
  for (const [variable, secretName] of Object.entries(task.secrets)) {
    const value = secretValues[secretName];
    if (value !== undefined) env[variable] = value;
  }
  return env;
}

/** Task ids a task's templates read (`{{ tasks.<id>… }}`); over-approximating is harmless. */
export function referencedTasks(task: NormalizedTask): string[] {
  const found = new Set<string>(task.needs);
  const text = JSON.stringify(task);
  for (const m of text.matchAll(/\{\{\s*tasks\.([A-Za-z_][A-Za-z0-9_-]*)/g)) found.add(m[1]!);
  return [...found];
}
