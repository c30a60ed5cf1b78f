/**
 * Pieces shared by createRun (one run) and createRuns (a batch): the refusals checked before a
 * transaction starts, a run's task rows, and the SQL inserting a run row and its task rows.
 */
import {
  evaluateTriggerRule,
  validateParams,
  type NormalizedWorkflow,
  type TriggerRule,
} from '@dtss/core';
import { RunRequestError, type CreateRunInput } from './types';
import type { CachedVersion } from './versionCache';

// ---------------------------------------------------------------------------------------------
// Refusals

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** How an input names its workflow; `byId` with a ref that is no uuid can match nothing. */
export function workflowRef(input: CreateRunInput): { byId: boolean; ref: string } {
  return 'id' in input.workflow
    ? { byId: true, ref: input.workflow.id }
    : { byId: false, ref: input.workflow.name };
}

export interface WorkflowRow {
  id: string;
  name: string;
  currentVersionId: string;
}

/** The columns of `workflows` a run request is checked against. */
export interface WorkflowLookupRow {
  id: string;
  name: string;
  current_version_id: string | null;
  archived_at: Date | null;
}

/** The workflow a request may run, or its refusal (unknown, never deployed, archived). */
export function checkWorkflowRow(row: WorkflowLookupRow | undefined, ref: string): WorkflowRow {
  if (!row || !row.current_version_id) {
    throw new RunRequestError('unknown_workflow', `unknown workflow "${ref}"`);
  }
  if (row.archived_at) {
    throw new RunRequestError('archived_workflow', `workflow "${row.name}" is archived`);
  }
  return { id: row.id, name: row.name, currentVersionId: row.current_version_id };
}

/** The run's params with defaults applied, or the `invalid_params` refusal. */
export function checkParams(
  definition: NormalizedWorkflow,
  workflowName: string,
  params: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const checked = validateParams(definition.params, params ?? {}, { path: ['params'] });
  if (!checked.ok) {
    const list = checked.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    throw new RunRequestError(
      'invalid_params',
      `invalid params for "${workflowName}": ${list}`,
      checked.errors,
    );
  }
  return checked.value as Record<string, unknown>;
}

/** The secrets a version references that the team lacks; null when none is missing. */
export function missingSecretsError(names: string[], found: Set<string>): RunRequestError | null {
  const missing = names.filter((n) => !found.has(n));
  if (missing.length === 0) return null;
  return new RunRequestError(
    'missing_secrets',
    `missing secret${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (create ${missing.length > 1 ? 'them' : 'it'} before running this workflow)`,
    missing.map((name) => ({ path: `secrets.${name}`, message: 'no such secret in this team' })),
  );
}

// ---------------------------------------------------------------------------------------------
// Task rows

/** A root task's upstream counts: nothing upstream, nothing pending. */
const ROOT_COUNTS = { total: 0, succeeded: 0, failed: 0, skipped: 0, pendingUpstream: 0 };

export interface TaskRowInput {
  task_key: string;
  kind: string;
  pool: string;
  priority: number;
  trigger_rule: string;
  max_attempts: number;
  upstream_total: number;
  downstream_keys: string[];
}

export function taskRows(
  definition: CachedVersion['definition'],
  runPriority: number,
): TaskRowInput[] {
  const tasks = Object.entries(definition.tasks);
  const downstream = new Map<string, string[]>();
  for (const [key, task] of tasks) {
    for (const up of task.needs) downstream.set(up, [...(downstream.get(up) ?? []), key]);
  }
  return tasks.map(([key, task]) => ({
    task_key: key,
    kind: task.kind,
    pool: task.pool,
    priority: task.priority + runPriority,
    trigger_rule: task.trigger,
    max_attempts: task.retries.maxAttempts,
    upstream_total: task.needs.length,
    downstream_keys: downstream.get(key) ?? [],
  }));
}

/**
 * Whether every root's rule says `ready` with no upstream at all (every rule but all_failed,
 * one_success, one_failed): the run can start in the statement that inserts it, with its roots
 * queued. Otherwise (or with no tasks) startRun decides.
 */
export function rootsReadyAtStart(tasks: TaskRowInput[]): boolean {
  return (
    tasks.length > 0 &&
    tasks.every(
      (t) =>
        t.upstream_total > 0 ||
        evaluateTriggerRule(t.trigger_rule as TriggerRule, ROOT_COUNTS) === 'ready',
    )
  );
}

// ---------------------------------------------------------------------------------------------
// SQL

/**
 * Values 1..15: the run row's values; 16 the run timeout (ms), 17 the task rows' JSON. createRun
 * binds them as $1..$17; createRuns passes each as an array (`RUN_VALUE_TYPES`) and reads them as
 * columns c1..c17.
 */
export function runValues(
  input: CreateRunInput,
  workflowId: string,
  versionId: string,
  number: number,
  params: unknown,
): unknown[] {
  return [
    input.teamId,
    workflowId,
    versionId,
    number,
    input.triggerKind ?? 'manual',
    input.triggeredById ?? null,
    input.scheduleId ?? null,
    input.triggerId ?? null,
    input.eventId ?? null,
    JSON.stringify(params),
    input.logicalDate ?? null,
    input.idempotencyKey ?? null,
    input.priority ?? 0,
    input.backfillId ?? null,
    input.upstreamRunId ?? null,
  ];
}

/** SQL types of values 1..17 (see runValues). */
export const RUN_VALUE_TYPES = [
  'uuid',
  'uuid',
  'uuid',
  'int',
  '"TriggerKind"',
  'uuid',
  'uuid',
  'uuid',
  'uuid',
  'jsonb',
  'timestamptz',
  'text',
  'int',
  'uuid',
  'uuid',
  'bigint',
  'jsonb',
] as const;

/** The SQL reading value n (1-based) of runValues: `$n` or a column. */
export type RunValueRef = (n: number) => string;

const paramRef: RunValueRef = (n) => `$${n}`;

export const RUN_COLUMNS = `team_id, workflow_id, workflow_version_id, number, status,
  trigger_kind, triggered_by_id, schedule_id, trigger_id, event_id, params, logical_date,
  idempotency_key, priority, backfill_id, upstream_run_id, timeout_at, tasks_total, started_at`;

/** The expressions of RUN_COLUMNS; `running` is SQL (a boolean) or a fixed status. */
export function runRowSql(v: RunValueRef, running: boolean | string): string {
  const status =
    typeof running === 'string'
      ? `CASE WHEN ${running} THEN 'running' ELSE 'queued' END::"RunStatus"`
      : `'${running ? 'running' : 'queued'}'`;
  const startedAt =
    typeof running === 'string'
      ? `CASE WHEN ${running} THEN now() END`
      : running
        ? 'now()'
        : 'NULL';
  return `${v(1)}, ${v(2)}, ${v(3)}, ${v(4)}, ${status}, ${v(5)}, ${v(6)}, ${v(7)}, ${v(8)},
          ${v(9)}, ${v(10)}, COALESCE(${v(11)}, now()), ${v(12)}, ${v(13)}, ${v(14)}, ${v(15)},
          CASE WHEN ${v(16)}::bigint IS NULL THEN NULL
               ELSE now() + ${v(16)}::bigint * interval '1 millisecond' END,
          jsonb_array_length(${v(17)}::jsonb), ${startedAt}`;
}

/** createRun's INSERT of one run row from $1..$17. */
export function insertRunSql(status: 'queued' | 'running'): string {
  return `INSERT INTO workflow_runs (${RUN_COLUMNS})
         VALUES (${runRowSql(paramRef, status === 'running')})`;
}

/**
 * Inserts the task rows of the run(s) in `run` (a CTE or table alias with `id`), read from the
 * JSON `tasksJson` (SQL; may refer to `run`). `startRoots`: root tasks are queued — always
 * (true), never (false), or where the SQL condition holds (a string, e.g. per run of a batch).
 */
export function insertTasksSql(
  run: string,
  tasksJson: string,
  startRoots: boolean | string = false,
): string {
  const rootsQueued =
    typeof startRoots === 'string'
      ? `${startRoots} AND x.upstream_total = 0`
      : 'x.upstream_total = 0';
  const rootStatus = startRoots
    ? `CASE WHEN ${rootsQueued} THEN 'queued' ELSE 'pending' END`
    : `'pending'`;
  return `INSERT INTO task_runs (run_id, task_key, status, kind, pool, priority, trigger_rule,
                                max_attempts, upstream_total, upstream_pending, downstream_keys,
                                queued_at)
         SELECT ${run}.id, x.task_key, (${rootStatus})::"TaskStatus", x.kind, x.pool, x.priority,
                x.trigger_rule, x.max_attempts, x.upstream_total, x.upstream_total,
                x.downstream_keys,
                ${startRoots ? `CASE WHEN ${rootsQueued} THEN now() END` : 'NULL'}
           FROM ${run}, jsonb_to_recordset(${tasksJson}::jsonb) AS x(task_key text, kind text,
                pool text, priority int, trigger_rule text, max_attempts int, upstream_total int,
                downstream_keys text[])
         RETURNING id, task_key, status, pool, priority`;
}
