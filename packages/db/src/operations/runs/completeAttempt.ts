/**
 * Completing an attempt is one transaction whose cost follows the task's out-degree, not the DAG's
 * size: close the attempt; retry, hand back, or end the task; then for each downstream task bump
 * one upstream counter and decide its trigger rule from the counters alone (O(1) per task). Ready
 * tasks are enqueued, skipped ones propagate the same way, and the run ends when its terminal-task
 * counter reaches its task count.
 */
import type { JsonValue } from '@dtss/core';
import type { Pool, PoolClient } from '../../pool';
import { inlineParams } from '../../sqlLiteral';
import { withTransaction } from '../../transaction';
import { enqueueTaskJobs } from './jobs';
import { notifyRunChanges } from './notify';
import { countTerminalAndCommit, propagate, startNextQueuedRun, type Outcome } from './propagate';
import type { RunChange, TaskStatus } from './types';

export type AttemptOutcome = 'succeeded' | 'failed' | 'timed_out' | 'cancelled';

export interface CompleteAttemptInput {
  /** Its worker stopped heartbeating: the attempt is recorded as `lost` (the task as failed/retried). */
  lost?: boolean;
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

type Completed = CompleteAttemptResult & { endedWorkflowId?: string };

export async function completeAttempt(
  pool: Pool,
  input: CompleteAttemptInput,
): Promise<CompleteAttemptResult> {
  const result = await withTransaction(
    pool,
    async (client, tx): Promise<Completed> => {
      const attemptStatus = input.requeue ? 'cancelled' : input.lost ? 'lost' : input.outcome;
      const outputJson = input.output === undefined ? null : JSON.stringify(input.output);
      const retrying =
        input.retryDelayMs !== undefined &&
        input.retryDelayMs !== null &&
        input.outcome !== 'succeeded' &&
        input.outcome !== 'cancelled';
      const ending = !input.requeue && !retrying;
      // One statement closes the attempt and, when the task ends, the task too. The task is only
      // touched if the attempt was still open: a cancel or a lost-worker decision made elsewhere wins.
      const closeSql = inlineParams(
        client,
        `WITH a AS (
         UPDATE task_attempts SET status = $2, finished_at = now(), exit_code = $3, http_status = $4,
                error = $5, output = $6::jsonb, log_bytes = $7, log_lines = $8, log_truncated = $9
          WHERE id = $1 AND status = 'running' RETURNING id),
       t AS (
         UPDATE task_runs SET status = $12::text::"TaskStatus", finished_at = now(), output = $6::jsonb,
                output_bytes = COALESCE(octet_length($6::text), 0), error = $5
          WHERE id = $10 AND status = 'running' AND $11::boolean AND EXISTS (SELECT 1 FROM a)
         RETURNING task_key, downstream_keys)
       SELECT (SELECT count(*) FROM a) AS closed, t.task_key, t.downstream_keys
         FROM (SELECT 1) one LEFT JOIN t ON true`,
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
          input.taskRunId,
          ending,
          input.outcome,
        ],
      );
      // BEGIN rides along with the first statement: one round trip less on every completion.
      const results = (await client.query(`BEGIN; ${closeSql}`)) as unknown as {
        rows: { closed: string; task_key: string | null; downstream_keys: string[] | null }[];
      }[];
      const closed = results[1]!;
      // Already closed elsewhere (cancelled, or declared lost): whoever closed it owns the outcome.
      if (closed.rows[0]!.closed === '0') return { applied: false };

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

      if (retrying) {
        const runAt = new Date(Date.now() + input.retryDelayMs!);
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

      const task = closed.rows[0]!;
      if (!task.task_key) return { applied: false };
      const changes: RunChange[] = [{ task: task.task_key, status: input.outcome }];
      const outcome: Outcome = input.outcome === 'succeeded' ? 'succeeded' : 'failed';
      const failed = input.outcome === 'failed' || input.outcome === 'timed_out' ? 1 : 0;
      const skipped = await propagate(
        client,
        input.runId,
        outcome,
        task.downstream_keys ?? [],
        changes,
      );
      const counted = await countTerminalAndCommit(
        client,
        input.runId,
        1 + skipped,
        failed,
        changes,
      );
      tx.markCommitted();
      return {
        applied: true,
        taskStatus: input.outcome,
        runStatus: counted.finishedStatus,
        ...(counted.finishedStatus ? { endedWorkflowId: counted.workflowId } : {}),
      };
    },
    { sendsBegin: true },
  );
  // A run that ended frees a slot of its workflow: the next queued run starts, in a transaction
  // of its own (the completion has committed). Housekeeping repeats this if the process dies here.
  const { endedWorkflowId, ...outcome } = result;
  if (endedWorkflowId) {
    await withTransaction(pool, (client) => startNextQueuedRun(client, endedWorkflowId));
  }
  return outcome;
}

async function keyOf(client: PoolClient, taskRunId: string): Promise<string> {
  const { rows } = await client.query<{ task_key: string }>(
    'SELECT task_key FROM task_runs WHERE id = $1',
    [taskRunId],
  );
  return rows[0]!.task_key;
}
