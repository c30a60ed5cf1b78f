/**
 * Completing an attempt is one transaction whose cost follows the task's out-degree, not the DAG's
 * size: close the attempt; retry, hand back, or end the task; then for each downstream task bump
 * one upstream counter and decide its trigger rule from the counters alone (O(1) per task). Ready
 * tasks are enqueued, skipped ones propagate the same way, and the run ends when its terminal-task
 * counter reaches its task count.
 */
import { evaluateTriggerRule, type JsonValue, type TriggerRule } from '@dtss/core';
import type { Pool, PoolClient } from '../../pool';
import { withTransaction } from '../../transaction';
import { enqueueTaskJobs } from './jobs';
import { notifyRunChanges } from './notify';
import { startRun } from './startRun';
import type { RunChange, TaskStatus } from './types';

export type AttemptOutcome = 'succeeded' | 'failed' | 'timed_out' | 'cancelled';

export interface CompleteAttemptInput {
  attemptId: string;
  taskRunId: string;
  runId: string;
  outcome: AttemptOutcome;
  exitCode?: number | null;
  httpStatus?: number | null;
  error?: string | null;
  output?: JsonValue;
  log?: { bytes: number; lines: number; truncated: boolean };
  /** Set when the attempt failed and the policy retries: the next attempt starts after this delay. */
  retryDelayMs?: number | null;
  /** Drain hand-back: the task goes back to `queued` without using up an attempt. */
  requeue?: boolean;
}

export type CompleteAttemptResult =
  { applied: false } | { applied: true; taskStatus: TaskStatus; runStatus: string | null };

type Outcome = 'succeeded' | 'failed' | 'skipped';

export async function completeAttempt(
  pool: Pool,
  input: CompleteAttemptInput,
): Promise<CompleteAttemptResult> {
  return withTransaction(pool, async (client) => {
    const attemptStatus = input.requeue ? 'cancelled' : input.outcome;
    const outputJson = input.output === undefined ? null : JSON.stringify(input.output);
    const closed = await client.query(
      `UPDATE task_attempts SET status = $2, finished_at = now(), exit_code = $3, http_status = $4,
              error = $5, output = $6::jsonb, log_bytes = $7, log_lines = $8, log_truncated = $9
        WHERE id = $1 AND status = 'running'`,
      [
        input.attemptId,
        attemptStatus,
        input.exitCode ?? null,
        input.httpStatus ?? null,
        input.error ?? null,
        outputJson,
        input.log?.bytes ?? 0,
        input.log?.lines ?? 0,
        input.log?.truncated ?? false,
      ],
    );
    // Already closed elsewhere (cancelled, or declared lost): whoever closed it owns the outcome.
    if (!closed.rowCount) return { applied: false };

    if (input.requeue) {
      await client.query(
        `UPDATE task_runs SET status = 'queued', queued_at = now(), max_attempts = max_attempts + 1
          WHERE id = $1 AND status = 'running'`,
        [input.taskRunId],
      );
      await enqueueTaskJobs(client, [input.taskRunId]);
      await notifyRunChanges(client, input.runId, [
        { task: await keyOf(client, input.taskRunId), status: 'queued' },
      ]);
      return { applied: true, taskStatus: 'queued', runStatus: null };
    }

    if (
      input.retryDelayMs !== undefined &&
      input.retryDelayMs !== null &&
      input.outcome !== 'succeeded' &&
      input.outcome !== 'cancelled'
    ) {
      const runAt = new Date(Date.now() + input.retryDelayMs);
      const { rows } = await client.query<{ task_key: string }>(
        `UPDATE task_runs SET status = 'retry_wait', next_attempt_at = $2, error = $3
          WHERE id = $1 AND status = 'running' RETURNING task_key`,
        [input.taskRunId, runAt, input.error ?? null],
      );
      if (rows[0]) {
        await enqueueTaskJobs(client, [input.taskRunId], runAt);
        await notifyRunChanges(client, input.runId, [
          { task: rows[0].task_key, status: 'retry_wait' },
        ]);
      }
      return { applied: true, taskStatus: 'retry_wait', runStatus: null };
    }

    const ended = await client.query<{ task_key: string; downstream_keys: string[] }>(
      `UPDATE task_runs SET status = $2, finished_at = now(), output = $3::jsonb,
              output_bytes = COALESCE(octet_length($3::text), 0), error = $4
        WHERE id = $1 AND status = 'running' RETURNING task_key, downstream_keys`,
      [input.taskRunId, input.outcome, outputJson, input.error ?? null],
    );
    const task = ended.rows[0];
    if (!task) return { applied: false };
    const changes: RunChange[] = [{ task: task.task_key, status: input.outcome }];
    const outcome: Outcome = input.outcome === 'succeeded' ? 'succeeded' : 'failed';
    const failed = input.outcome === 'failed' || input.outcome === 'timed_out' ? 1 : 0;
    const skipped = await propagate(client, input.runId, outcome, task.downstream_keys, changes);
    const runStatus = await countTerminal(client, input.runId, 1 + skipped, failed, changes);
    await notifyRunChanges(client, input.runId, changes);
    return { applied: true, taskStatus: input.outcome, runStatus };
  });
}

async function keyOf(client: PoolClient, taskRunId: string): Promise<string> {
  const { rows } = await client.query<{ task_key: string }>(
    'SELECT task_key FROM task_runs WHERE id = $1',
    [taskRunId],
  );
  return rows[0]!.task_key;
}

const COUNTER: Record<Outcome, string> = {
  succeeded: 'upstream_succeeded',
  failed: 'upstream_failed',
  skipped: 'upstream_skipped',
};

interface PendingRow {
  id: string;
  task_key: string;
  trigger_rule: TriggerRule;
  upstream_total: number;
  upstream_pending: number;
  upstream_succeeded: number;
  upstream_failed: number;
  upstream_skipped: number;
}

/**
 * Tells the downstream tasks that upstream tasks ended with `outcome`, level by level: each level
 * is one UPDATE of the counters, one UPDATE for the ready tasks (and their jobs) and one for the
 * skipped ones, whose own downstream tasks form the next level. Returns how many were skipped.
 */
export async function propagate(
  client: PoolClient,
  runId: string,
  outcome: Outcome,
  downstreamKeys: string[],
  changes: RunChange[],
): Promise<number> {
  let skippedTotal = 0;
  let level: { outcome: Outcome; keys: string[] } | null =
    downstreamKeys.length > 0 ? { outcome, keys: downstreamKeys } : null;
  while (level) {
    const counter = COUNTER[level.outcome];
    // A key appears once per finished upstream: several upstreams can share a downstream task.
    const { rows } = await client.query<PendingRow>(
      `UPDATE task_runs t SET upstream_pending = t.upstream_pending - d.n, ${counter} = t.${counter} + d.n
         FROM (SELECT k, count(*)::int AS n FROM unnest($2::text[]) k GROUP BY k) d
        WHERE t.run_id = $1 AND t.task_key = d.k AND t.status = 'pending'
       RETURNING t.id, t.task_key, t.trigger_rule, t.upstream_total, t.upstream_pending,
                 t.upstream_succeeded, t.upstream_failed, t.upstream_skipped`,
      [runId, level.keys],
    );
    const ready: string[] = [];
    const skip: string[] = [];
    for (const row of rows) {
      const decision = evaluateTriggerRule(row.trigger_rule, {
        total: row.upstream_total,
        succeeded: row.upstream_succeeded,
        failed: row.upstream_failed,
        skipped: row.upstream_skipped,
        pendingUpstream: row.upstream_pending,
      });
      if (decision === 'ready') {
        ready.push(row.id);
        changes.push({ task: row.task_key, status: 'queued' });
      } else if (decision === 'skip') {
        skip.push(row.id);
        changes.push({ task: row.task_key, status: 'skipped' });
      }
    }
    if (ready.length) {
      await client.query(
        `UPDATE task_runs SET status = 'queued', queued_at = now() WHERE id = ANY($1::uuid[])`,
        [ready],
      );
      await enqueueTaskJobs(client, ready);
    }
    level = null;
    if (skip.length) {
      skippedTotal += skip.length;
      const skippedRows = await client.query<{ downstream_keys: string[] }>(
        `UPDATE task_runs SET status = 'skipped', finished_at = now()
          WHERE id = ANY($1::uuid[]) RETURNING downstream_keys`,
        [skip],
      );
      const next = skippedRows.rows.flatMap((r) => r.downstream_keys);
      if (next.length) level = { outcome: 'skipped', keys: next };
    }
  }
  return skippedTotal;
}

/**
 * Adds ended tasks to the run's counters; when every task has ended, decides the run's status and
 * lets the next queued run of the workflow start (concurrency limit). Returns the run's new status
 * when it ended.
 */
export async function countTerminal(
  client: PoolClient,
  runId: string,
  done: number,
  failed: number,
  changes: RunChange[],
): Promise<string | null> {
  const { rows } = await client.query<{
    finished: boolean;
    status: string;
    workflow_id: string;
  }>(
    `UPDATE workflow_runs
        SET tasks_done = tasks_done + $2, tasks_failed = tasks_failed + $3,
            status = CASE WHEN tasks_done + $2 < tasks_total OR status NOT IN ('running', 'queued')
                            THEN status
                          WHEN cancel_requested_at IS NOT NULL AND timeout_at <= cancel_requested_at
                            THEN 'timed_out'
                          WHEN cancel_requested_at IS NOT NULL THEN 'cancelled'
                          WHEN tasks_failed + $3 > 0 THEN 'failed'
                          ELSE 'succeeded' END::"RunStatus",
            finished_at = CASE WHEN tasks_done + $2 >= tasks_total AND finished_at IS NULL
                               THEN now() ELSE finished_at END
      WHERE id = $1
      RETURNING tasks_done >= tasks_total AS finished, status, workflow_id`,
    [runId, done, failed],
  );
  const run = rows[0];
  if (!run?.finished) return null;
  changes.push({ status: run.status as RunChange['status'] });
  await startNextQueuedRun(client, run.workflow_id);
  return run.status;
}

/** A run slot freed up: the oldest queued run of the workflow (highest priority first) starts. */
async function startNextQueuedRun(client: PoolClient, workflowId: string): Promise<void> {
  // The same row lock createRun takes: a run queued concurrently is either seen here or sees the
  // freed slot itself.
  await client.query('SELECT 1 FROM workflows WHERE id = $1 FOR UPDATE', [workflowId]);
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM workflow_runs WHERE workflow_id = $1 AND status = 'queued'
      ORDER BY priority DESC, created_at, number LIMIT 1`,
    [workflowId],
  );
  const next = rows[0];
  if (!next) return;
  const changes = await startRun(client, next.id);
  await notifyRunChanges(client, next.id, changes);
}
