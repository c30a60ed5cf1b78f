/**
 * Creating a run is one transaction: the run row (pinned to the workflow's current version), one
 * task row per task with its upstream counters, and the jobs of the root tasks. Everything that
 * can be refused (unknown workflow, bad params, missing secrets) is refused before it starts.
 */
import { validateParams } from '@dtss/core';
import type { Pool, PoolClient } from '../../pool';
import { withTransaction } from '../../transaction';
import { notifyRunChanges } from './notify';
import { startRun } from './propagate';
import { hasFreeRunSlot, takeRunNumber } from './runSlots';
import {
  RunRequestError,
  type CreateRunInput,
  type CreateRunResult,
  type RunChange,
  type RunRef,
} from './types';
import { loadVersion } from './versionCache';

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

  if (input.idempotencyKey) {
    const existing = await findByKey(pool, workflow.id, input.idempotencyKey);
    if (existing) return { run: existing, created: false };
  }

  try {
    return await withTransaction(pool, async (client) => {
      const number = await takeRunNumber(client, workflow.id);
      if (input.idempotencyKey) {
        // Re-checked under the workflow lock: a plain read never waits on a run row that a
        // completing transaction holds, while the INSERT's unique check would (and could
        // deadlock against that transaction's own wait for this workflow's lock).
        const existing = await findByKey(client, workflow.id, input.idempotencyKey);
        if (existing) throw new ExistingRun(existing);
      }
      const mayStart = await hasFreeRunSlot(client, workflow.id, definition.concurrency.maxRuns);
      const tasks = Object.entries(definition.tasks);
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO workflow_runs (team_id, workflow_id, workflow_version_id, number, status,
                                    trigger_kind, triggered_by_id, schedule_id, trigger_id, event_id,
                                    params, logical_date, idempotency_key, priority, timeout_at,
                                    tasks_total)
         VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $8, $9, $10, COALESCE($11, now()), $12, $13,
                 CASE WHEN $14::bigint IS NULL THEN NULL
                      ELSE now() + $14::bigint * interval '1 millisecond' END, $15)
         RETURNING id`,
        [
          input.teamId,
          workflow.id,
          version.id,
          number,
          input.triggerKind ?? 'manual',
          input.triggeredById ?? null,
          input.scheduleId ?? null,
          input.triggerId ?? null,
          input.eventId ?? null,
          JSON.stringify(params.value),
          input.logicalDate ?? null,
          input.idempotencyKey ?? null,
          input.priority ?? 0,
          definition.runTimeoutMs,
          tasks.length,
        ],
      );
      const runId = inserted.rows[0]!.id;
      const downstream = new Map<string, string[]>();
      for (const [key, task] of tasks) {
        for (const up of task.needs) downstream.set(up, [...(downstream.get(up) ?? []), key]);
      }
      await client.query(
        `INSERT INTO task_runs (run_id, task_key, status, kind, pool, priority, trigger_rule,
                                max_attempts, upstream_total, upstream_pending, downstream_keys)
         SELECT $1, x.task_key, 'pending', x.kind, x.pool, x.priority, x.trigger_rule,
                x.max_attempts, x.upstream_total, x.upstream_total, x.downstream_keys
           FROM jsonb_to_recordset($2::jsonb) AS x(task_key text, kind text, pool text,
                priority int, trigger_rule text, max_attempts int, upstream_total int,
                downstream_keys text[])`,
        [
          runId,
          JSON.stringify(
            tasks.map(([key, task]) => ({
              task_key: key,
              kind: task.kind,
              pool: task.pool,
              priority: task.priority + (input.priority ?? 0),
              trigger_rule: task.trigger,
              max_attempts: task.retries.maxAttempts,
              upstream_total: task.needs.length,
              downstream_keys: downstream.get(key) ?? [],
            })),
          ),
        ],
      );
      const changes: RunChange[] = [{ status: 'queued' }];
      if (mayStart) changes.push(...(await startRun(client, runId)));
      await notifyRunChanges(client, runId, changes);
      const status = [...changes].reverse().find((c) => !c.task)!.status as RunRef['status'];
      const run: RunRef = { id: runId, number, workflowId: workflow.id, status };
      return { run, created: true };
    });
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
