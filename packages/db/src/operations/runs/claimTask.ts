/**
 * A worker claims a task when graphile-worker hands it the task's job: one statement moves the task
 * to `running` and opens a new attempt. If the task was already `running`, the job is being retried
 * after its previous holder died, so that attempt is closed as `lost`.
 */
import type { JsonValue } from '@dtss/core';
import type { Pool, PoolClient } from '../../pool';
import { withTransaction } from '../../transaction';
import { enqueueTaskJobs } from './jobs';

export interface ClaimedTask {
  taskRunId: string;
  runId: string;
  teamId: string;
  taskKey: string;
  attemptId: string;
  attemptNumber: number;
  maxAttempts: number;
  workflowVersionId: string;
  runNumber: number;
  params: Record<string, JsonValue>;
  logicalDate: Date;
  triggerKind: string;
  event: { name: string; payload: JsonValue } | null;
}

export async function claimTask(
  pool: Pool | PoolClient,
  taskRunId: string,
  workerId: string | null,
): Promise<ClaimedTask | null> {
  return (await claimTasks(pool, [taskRunId], workerId))[0] ?? null;
}

/**
 * Claims several tasks in one statement (a worker batches the jobs that arrive together): one
 * statement, one NOTIFY per run, however many tasks. Tasks that can no longer be claimed
 * (cancelled, already finished) are left out of the result.
 */
export async function claimTasks(
  pool: Pool | PoolClient,
  taskRunIds: string[],
  workerId: string | null,
): Promise<ClaimedTask[]> {
  if (taskRunIds.length === 0) return [];
  // A named (prepared) statement: each connection plans it once.
  const { rows } = await pool.query<ClaimedTask>({
    name: 'dtss_claim_tasks',
    text: `WITH t AS (
       UPDATE task_runs SET status = 'running', attempt_count = attempt_count + 1,
              started_at = COALESCE(started_at, now()), next_attempt_at = NULL
        WHERE id = ANY($1::uuid[]) AND status IN ('queued', 'retry_wait', 'running')
       RETURNING id, run_id, task_key, attempt_count, max_attempts),
     lost AS (
       UPDATE task_attempts SET status = 'lost', finished_at = now(),
              error = 'the worker running this attempt stopped responding'
        WHERE task_run_id IN (SELECT id FROM t) AND status = 'running'
       RETURNING 1),
     a AS (
       INSERT INTO task_attempts (task_run_id, run_id, attempt_number, worker_id, status,
                                  started_at, heartbeat_at)
       SELECT id, run_id, attempt_count, $2, 'running', now(), now() FROM t
       RETURNING id, task_run_id, attempt_number),
     n AS (
       SELECT pg_notify('dtss_run_events', json_build_object('runId', run_id, 'changes',
                json_agg(json_build_object('task', task_key, 'status', 'running')))::text)
         FROM t GROUP BY run_id)
     SELECT t.id AS "taskRunId", t.run_id AS "runId", r.team_id AS "teamId", t.task_key AS "taskKey",
            a.id AS "attemptId", a.attempt_number AS "attemptNumber", t.max_attempts AS "maxAttempts",
            r.workflow_version_id AS "workflowVersionId", r.number AS "runNumber", r.params,
            r.logical_date AS "logicalDate", r.trigger_kind AS "triggerKind",
            CASE WHEN e.id IS NULL THEN NULL
                 ELSE json_build_object('name', e.name, 'payload', e.payload) END AS event,
            (SELECT count(*) FROM lost) AS lost, (SELECT count(*) FROM n) AS notified
       FROM t JOIN a ON a.task_run_id = t.id JOIN workflow_runs r ON r.id = t.run_id
       LEFT JOIN events e ON e.id = r.event_id`,
    values: [taskRunIds, workerId],
  });
  return rows;
}

/** Outputs and statuses of the given tasks of a run (for templates and DTSS_UPSTREAM). */
export async function readTaskOutputs(
  pool: Pool,
  runId: string,
  taskKeys: string[],
): Promise<Record<string, { output: JsonValue | null; status: string }>> {
  if (taskKeys.length === 0) return {};
  const { rows } = await pool.query<{ task_key: string; output: JsonValue | null; status: string }>(
    `SELECT task_key, output, status FROM task_runs WHERE run_id = $1 AND task_key = ANY($2::text[])`,
    [runId, taskKeys],
  );
  return Object.fromEntries(rows.map((r) => [r.task_key, { output: r.output, status: r.status }]));
}

/** How long a task waits before asking again for a slot of a full pool. */
export const POOL_FULL_RETRY_MS = 250;

/**
 * claimTask for a pool with a cluster-wide slot limit: under a per-pool advisory lock, count the
 * pool's running tasks; when the pool is full the task stays `queued` and its job comes back after
 * POOL_FULL_RETRY_MS ('deferred').
 */
export async function claimTaskWithinPoolLimit(
  pool: Pool,
  taskRunId: string,
  workerId: string | null,
  poolName: string,
  slots: number,
): Promise<ClaimedTask | null | 'deferred'> {
  return withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('dtss-pool:' || $1, 0))`, [
      poolName,
    ]);
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM task_runs WHERE status = 'running' AND pool = $1`,
      [poolName],
    );
    if (Number(rows[0]!.n) >= slots) {
      await enqueueTaskJobs(client, [taskRunId], new Date(Date.now() + POOL_FULL_RETRY_MS));
      return 'deferred';
    }
    return claimTask(client, taskRunId, workerId);
  });
}
