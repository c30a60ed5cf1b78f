/**
 * Housekeeping (scheduler leader): workers that stopped heartbeating are marked `lost`, and each
 * attempt they were running is closed as `lost`; the task is retried per its policy (a lost worker
 * always counts as retryable while attempts remain) or fails, exactly as a failed attempt would.
 * The jobs the worker holds are unlocked: those of the swept tasks were retired when their jobs were
 * re-added (they are never delivered again), and those it took but had not claimed yet are
 * delivered again at once. Each lost worker is swept once (workers.swept_at): a silent but living
 * worker cannot open an attempt after that, since claims by a worker whose row is `lost` are
 * refused and their tasks given a fresh job (claimTask.ts); it claims again once a heartbeat made
 * it active, and is swept again if it is lost again.
 */
import { retryDelayMs, shouldRetry } from '@dtss/core';
import { engineEvents } from '../../observe';
import type { Pool } from '../../pool';
import { completeAttempt } from './completeAttempt';
import { loadVersion } from './versionCache';

export interface ReapResult {
  workers: string[];
  attempts: number;
}

export async function reapLostWorkers(pool: Pool, staleAfterMs: number): Promise<ReapResult> {
  // FOR UPDATE, not the UPDATE's own lock: it waits for claims in flight (they hold the worker's
  // row FOR KEY SHARE, see claimTask.ts), so the sweep below sees every attempt they opened, and a
  // claim that comes later finds the worker lost and is refused. A heartbeat that lands meanwhile
  // is seen too: the row is checked again once locked.
  const lost = await pool.query<{ id: string }>(
    `WITH stale AS (
       SELECT id FROM workers
        WHERE status IN ('active', 'draining')
          AND last_heartbeat_at < now() - $1::int * interval '1 millisecond'
          FOR UPDATE)
     UPDATE workers w SET status = 'lost', swept_at = NULL FROM stale WHERE w.id = stale.id
     RETURNING w.id`,
    [staleAfterMs],
  );
  const workerIds = lost.rows.map((r) => r.id);
  // Also workers lost earlier but not yet swept (a previous leader may have died mid-way).
  const { rows: unswept } = await pool.query<{ id: string }>(
    `SELECT id FROM workers WHERE status = 'lost' AND swept_at IS NULL`,
  );
  if (unswept.length === 0) return { workers: workerIds, attempts: 0 };
  const sweeping = unswept.map((w) => w.id);
  const { rows } = await pool.query<{
    id: string;
    task_run_id: string;
    run_id: string;
    attempt_number: number;
    task_key: string;
    workflow_version_id: string;
  }>(
    // A running task's open attempt is on its row. No index finds running tasks (so that their
    // updates stay in place): they are read through the running runs, once per lost worker.
    `SELECT t.attempt_id AS id, t.id AS task_run_id, t.run_id, t.attempt_count AS attempt_number,
            t.task_key, r.workflow_version_id
       FROM workflow_runs r JOIN task_runs t ON t.run_id = r.id
      WHERE r.status = 'running' AND t.status = 'running' AND t.attempt_id IS NOT NULL
        AND t.worker_id = ANY($1::uuid[])`,
    [sweeping],
  );
  let attempts = 0;
  for (const a of rows) {
    const version = await loadVersion(pool, a.workflow_version_id);
    const task = version.definition.tasks[a.task_key];
    const retry = task && shouldRetry(task.retries, a.attempt_number, { workerLost: true });
    const done = await completeAttempt(pool, {
      attemptId: a.id,
      taskRunId: a.task_run_id,
      runId: a.run_id,
      outcome: 'failed',
      lost: true,
      error: 'the worker running this attempt stopped heartbeating',
      retryDelayMs: retry && task ? retryDelayMs(task.retries, a.attempt_number) : null,
    });
    if (done.applied) {
      attempts++;
      engineEvents.attemptClosed(a.id, { task: !retry, run: !!done.runStatus });
    }
  }
  // Jobs it took but had not claimed (it died or was cut off in between) would stay locked until
  // graphile-worker's lock timeout with their task still queued: unlocked, they are delivered again
  // at once (a redelivery: see claimTask.ts). Its other jobs were retired when the sweep re-added
  // their tasks' jobs, and a retired job is never delivered again. Workers record graphile-worker's
  // `locked_by` for their jobs in their metadata (`jobsLockedBy`).
  await pool.query(
    `SELECT graphile_worker.force_unlock_workers(ids)
       FROM (SELECT array_agg(metadata->>'jobsLockedBy') AS ids FROM workers
              WHERE id = ANY($1::uuid[]) AND status = 'lost' AND metadata ? 'jobsLockedBy') w
      WHERE ids IS NOT NULL`,
    [sweeping],
  );
  // Swept only once every attempt is closed (an error above leaves it for the next pass). A worker
  // that comes back is active again, and swept again if it is lost again.
  await pool.query(
    `UPDATE workers SET swept_at = now() WHERE id = ANY($1::uuid[]) AND status = 'lost'`,
    [sweeping],
  );
  return { workers: workerIds, attempts };
}
