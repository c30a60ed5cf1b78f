/**
 * Creating a run is one transaction: the run row (pinned to the workflow's current version), one
 * task row per task with its upstream counters, and the jobs of the root tasks. Everything that
 * can be refused (unknown workflow, bad params, missing secrets) is refused before it starts.
 */
import { evaluateTriggerRule, validateParams, type TriggerRule } from '@dtss/core';
import type { Pool, PoolClient } from '../../pool';
import { withTransaction } from '../../transaction';
import { taskJobSpecSql } from './jobs';
import { notifyRunChanges } from './notify';
import { startRun } from './propagate';
import { hasFreeRunSlot, takeRunNumber } from './runSlots';
import {
  RUN_EVENTS_CHANNEL,
  RunRequestError,
  type CreateRunInput,
  type CreateRunResult,
  type RunChange,
  type RunRef,
} from './types';
import { loadVersion, type CachedVersion } from './versionCache';

export async function createRun(pool: Pool, input: CreateRunInput): Promise<CreateRunResult> {
  const workflow = await findWorkflow(pool, input);
  const version = await loadVersion(pool, workflow.currentVersionId);
  const { definition } = version;

  const params = validateParams(definition.params, input.params ?? {}, { path: ['params'] });
  if (!params.ok) {
    const list = params.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    throw new RunRequestError(
      'invalid_params',
      `invalid params for "${workflow.name}": ${list}`,
      params.errors,
    );
  }
  await assertSecretsExist(pool, input.teamId, version.secretNames);

  const tasks = taskRows(definition, input.priority ?? 0);
  // Roots whose rule says `ready` with no upstream at all (every rule but all_failed, one_success,
  // one_failed): the run can start in the statement that inserts it. Otherwise startRun decides.
  const rootsReady =
    tasks.length > 0 &&
    tasks.every(
      (t) =>
        t.upstream_total > 0 ||
        evaluateTriggerRule(t.trigger_rule as TriggerRule, ROOT_COUNTS) === 'ready',
    );

  try {
    return await withTransaction(
      pool,
      async (client) => {
        const number = await takeRunNumber(client, workflow.id, { sendsBegin: true });
        if (input.idempotencyKey) {
          // Checked under the workflow lock, so a run committed by a concurrent request with the
          // same key is seen here. A plain read never waits on a run row that a completing
          // transaction holds, while the INSERT's unique check would (and could deadlock against
          // that transaction's own wait for this workflow's lock).
          const existing = await findByKey(client, workflow.id, input.idempotencyKey);
          if (existing) throw new ExistingRun(existing);
        }
        const mayStart = await hasFreeRunSlot(client, workflow.id, definition.concurrency.maxRuns);
        const values = runValues(input, workflow.id, version.id, number, params.value);
        if (mayStart && rootsReady) {
          const { rows } = await client.query<{ id: string }>({
            name: 'dtss_create_started_run',
            text: startedRunSql(),
            values: [...values, definition.runTimeoutMs, JSON.stringify(tasks)],
          });
          const run: RunRef = {
            id: rows[0]!.id,
            number,
            workflowId: workflow.id,
            status: 'running',
          };
          return { run, created: true };
        }
        const { rows } = await client.query<{ id: string }>(
          `WITH r AS (${insertRunSql('queued')} RETURNING id), t AS (${insertTasksSql('r', '$17')})
           SELECT r.id, (SELECT count(*) FROM t) AS tasks FROM r`,
          [...values, definition.runTimeoutMs, JSON.stringify(tasks)],
        );
        const runId = rows[0]!.id;
        const changes: RunChange[] = [{ status: 'queued' }];
        if (mayStart) changes.push(...(await startRun(client, runId)));
        await notifyRunChanges(client, runId, changes);
        const status = [...changes].reverse().find((c) => !c.task)!.status as RunRef['status'];
        const run: RunRef = { id: runId, number, workflowId: workflow.id, status };
        return { run, created: true };
      },
      { sendsBegin: true },
    );
  } catch (err) {
    if (err instanceof ExistingRun) return { run: err.run, created: false };
    // Two requests with one idempotency key raced; the loser returns the winner's run.
    if (input.idempotencyKey && (err as { code?: string }).code === '23505') {
      const existing = await findByKey(pool, workflow.id, input.idempotencyKey);
      if (existing) return { run: existing, created: false };
    }
    throw err;
  }
}

/** A root task's upstream counts: nothing upstream, nothing pending. */
const ROOT_COUNTS = { total: 0, succeeded: 0, failed: 0, skipped: 0, pendingUpstream: 0 };

interface TaskRowInput {
  task_key: string;
  kind: string;
  pool: string;
  priority: number;
  trigger_rule: string;
  max_attempts: number;
  upstream_total: number;
  downstream_keys: string[];
}

function taskRows(definition: CachedVersion['definition'], runPriority: number): TaskRowInput[] {
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

/** $1..$15: the run row's values (the run timeout is $16, the task rows' JSON $17). */
function runValues(
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

function insertRunSql(status: 'queued' | 'running'): string {
  return `INSERT INTO workflow_runs (team_id, workflow_id, workflow_version_id, number, status,
                                    trigger_kind, triggered_by_id, schedule_id, trigger_id, event_id,
                                    params, logical_date, idempotency_key, priority, backfill_id,
                                    upstream_run_id, timeout_at, tasks_total, started_at)
         VALUES ($1, $2, $3, $4, '${status}', $5, $6, $7, $8, $9, $10, COALESCE($11, now()), $12,
                 $13, $14, $15,
                 CASE WHEN $16::bigint IS NULL THEN NULL
                      ELSE now() + $16::bigint * interval '1 millisecond' END,
                 jsonb_array_length($17::jsonb), ${status === 'running' ? 'now()' : 'NULL'})`;
}

/** Inserts the task rows for the run in CTE `run`; with `startRoots`, root tasks are queued. */
function insertTasksSql(run: string, tasksJson: string, startRoots = false): string {
  const rootStatus = startRoots
    ? `CASE WHEN x.upstream_total = 0 THEN 'queued' ELSE 'pending' END`
    : `'pending'`;
  return `INSERT INTO task_runs (run_id, task_key, status, kind, pool, priority, trigger_rule,
                                max_attempts, upstream_total, upstream_pending, downstream_keys,
                                queued_at)
         SELECT ${run}.id, x.task_key, (${rootStatus})::"TaskStatus", x.kind, x.pool, x.priority,
                x.trigger_rule, x.max_attempts, x.upstream_total, x.upstream_total,
                x.downstream_keys,
                ${startRoots ? 'CASE WHEN x.upstream_total = 0 THEN now() END' : 'NULL'}
           FROM ${run}, jsonb_to_recordset(${tasksJson}::jsonb) AS x(task_key text, kind text,
                pool text, priority int, trigger_rule text, max_attempts int, upstream_total int,
                downstream_keys text[])
         RETURNING id, task_key, status, pool, priority`;
}

let startedRunCache: string | null = null;

/**
 * The common case as one statement: the run inserted `running`, its tasks with the roots
 * `queued`, the roots' jobs, and the notice (run queued → running, roots queued).
 */
function startedRunSql(): string {
  startedRunCache ??= `WITH r AS (${insertRunSql('running')} RETURNING id),
     t AS (${insertTasksSql('r', '$17', true)}),
     j AS (
       SELECT count(*) AS jobs FROM graphile_worker.add_jobs(ARRAY(
         SELECT ${taskJobSpecSql('t')} FROM t WHERE t.status = 'queued'))),
     c AS (
       SELECT '[{"status":"queued"},{"status":"running"}]'::jsonb || COALESCE(jsonb_agg(
                jsonb_build_object('task', t.task_key, 'status', 'queued')), '[]'::jsonb) AS changes
         FROM t WHERE t.status = 'queued'),
     n AS (
       SELECT pg_notify('${RUN_EVENTS_CHANNEL}',
                CASE WHEN octet_length(c.changes::text) < 7000
                     THEN jsonb_build_object('runId', r.id, 'changes', c.changes)
                     ELSE jsonb_build_object('runId', r.id, 'truncated', true,
                            'changes', '[{"status":"queued"},{"status":"running"}]'::jsonb)
                END::text)
         FROM r, c)
     SELECT r.id, (SELECT jobs FROM j) AS jobs, (SELECT count(*) FROM n) AS notified FROM r`;
  return startedRunCache;
}

interface WorkflowRow {
  id: string;
  name: string;
  currentVersionId: string;
}

async function findWorkflow(pool: Pool, input: CreateRunInput): Promise<WorkflowRow> {
  const byId = 'id' in input.workflow;
  const ref = 'id' in input.workflow ? input.workflow.id : input.workflow.name;
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const { rows } =
    byId && !isUuid
      ? { rows: [] }
      : await pool.query<{
          id: string;
          name: string;
          current_version_id: string | null;
          archived_at: Date | null;
        }>(
          `SELECT id, name, current_version_id, archived_at FROM workflows
            WHERE team_id = $1 AND ${byId ? 'id = $2::uuid' : 'name = $2'}`,
          [input.teamId, ref],
        );
  const row = rows[0];
  if (!row || !row.current_version_id) {
    throw new RunRequestError('unknown_workflow', `unknown workflow "${ref}"`);
  }
  if (row.archived_at) {
    throw new RunRequestError('archived_workflow', `workflow "${row.name}" is archived`);
  }
  return { id: row.id, name: row.name, currentVersionId: row.current_version_id };
}

async function assertSecretsExist(pool: Pool, teamId: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const { rows } = await pool.query<{ name: string }>(
    `SELECT name FROM secrets WHERE team_id = $1 AND name = ANY($2::text[])`,
    [teamId, names],
  );
  const found = new Set(rows.map((r) => r.name));
  const missing = names.filter((n) => !found.has(n));
  if (missing.length) {
    throw new RunRequestError(
      'missing_secrets',
      `missing secret${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (create ${missing.length > 1 ? 'them' : 'it'} before running this workflow)`,
      missing.map((name) => ({ path: `secrets.${name}`, message: 'no such secret in this team' })),
    );
  }
}

/** Rolls the transaction back (undoing the run number taken) and carries the existing run out. */
class ExistingRun extends Error {
  constructor(readonly run: RunRef) {
    super('idempotency key matched an existing run');
  }
}

async function findByKey(
  pool: Pool | PoolClient,
  workflowId: string,
  key: string,
): Promise<RunRef | null> {
  const { rows } = await pool.query<RunRef>(
    `SELECT id, number, workflow_id AS "workflowId", status FROM workflow_runs
      WHERE workflow_id = $1 AND idempotency_key = $2`,
    [workflowId, key],
  );
  return rows[0] ?? null;
}
