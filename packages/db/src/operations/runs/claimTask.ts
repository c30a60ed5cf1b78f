/**
 * A worker claims a task when graphile-worker hands it the task's job: one statement moves the task
 * to `running` and opens a new attempt on the task's row (the attempt's own row is written once,
 * when it ends). If the task was already `running`, the job is being retried after its previous
 * holder died, so that attempt is recorded as `lost`.
 *
 * Only a worker whose row is active (or draining) may claim. One declared lost must first rejoin
 * through its heartbeat: the leader swept it once, so an attempt it opened now would be nobody's to
 * sweep should it die or go silent again, and its job would stay locked until graphile-worker's
 * lock timeout (4 hours). Its claim is refused, and the tasks get a fresh job in the same
 * statement (re-adding a job key retires the locked job), so no process can die between the two.
 */
import type { JsonValue } from '@dtss/core';
import type { Pool, PoolClient } from '../../pool';
import { withTransaction } from '../../transaction';
import { enqueueTaskJobs, taskJobSpecSql } from './jobs';
import type { RunNoticeSink } from './types';

export interface ClaimedTask {
  taskRunId: string;
  runId: string;
  teamId: string;
  taskKey: string;
  attemptId: string;
  attemptNumber: number;
  maxAttempts: number;
  /** The task has no downstream tasks (its completion needs no trigger-rule decisions). */
  leaf: boolean;
  /**
   * First attempts: seconds from queued to claimed, by the database's clock (for the worker's
   * queue wait histogram); null for later attempts (a retry's wait is its back-off).
   */
  queueWaitSeconds: number | null;
  workflowVersionId: string;
  runNumber: number;
  params: Record<string, JsonValue>;
  logicalDate: Date;
  triggerKind: string;
  event: { name: string; payload: JsonValue } | null;
}

/** What a task's run gives every one of its tasks; fixed for the run's life, so it can be cached. */
export type RunContext = Pick<
  ClaimedTask,
  'teamId' | 'workflowVersionId' | 'runNumber' | 'params' | 'logicalDate' | 'triggerKind' | 'event'
>;

/** A worker's cache of run contexts (see claimTasks' `runs`). */
export interface RunContextCache {
  get(runId: string): RunContext | undefined;
  set(runId: string, context: RunContext): void;
}

export async function claimTask(
  pool: Pool | PoolClient,
  taskRunId: string,
  workerId: string | null,
): Promise<ClaimedTask | null> {
  return (await claimTasks(pool, [taskRunId], workerId))[0] ?? null;
}

export interface ClaimOptions {
  /** Where the `running` changes go instead of a NOTIFY inside the statement (a worker's buffer). */
  notices?: RunNoticeSink;
  /**
   * Every job is on its first delivery (graphile-worker's attempt 1): no earlier holder can have
   * left an attempt open, so the statement skips looking for one. A task found `running` then is
   * held through another job of the same task (a job key re-added while this one was locked, see
   * reapLostWorkers.ts): it is left to its holder, and this job is a no-op.
   */
  firstDelivery?: boolean;
  /**
   * Run contexts already known: the claim statement only touches the tasks, and the contexts of
   * runs not in the cache are read in one more statement (and added to it).
   */
  runs?: RunContextCache;
  /**
   * Called when the claim was refused because the worker's row is not active (declared lost,
   * stopped or gone): nothing was claimed, and the tasks that were claimable got a fresh job.
   */
  onRefused?: () => void;
}

/**
 * When the job of a refused claim comes back: not at once, so that the refusing worker (which may
 * still be taking jobs until its heartbeat gets through) is unlikely to take it straight back,
 * while workers that poll find it within their next interval or two.
 */
export const REFUSED_CLAIM_RETRY_MS = 1_000;

/**
 * Claims several tasks in one statement (a worker batches the jobs that arrive together): one
 * statement, one NOTIFY per run, however many tasks. Tasks that can no longer be claimed
 * (cancelled, already finished) are left out of the result.
 */
export async function claimTasks(
  pool: Pool | PoolClient,
  taskRunIds: string[],
  workerId: string | null,
  options: ClaimOptions = {},
): Promise<ClaimedTask[]> {
  if (taskRunIds.length === 0) return [];
  const announce = options.notices === undefined;
  const closeLost = options.firstDelivery !== true;
  // A named (prepared) statement per variant: each connection plans it once.
  const { rows: result } = await pool.query<ClaimStatementRow>({
    name: `dtss_claim_tasks${announce ? '_n' : ''}${closeLost ? '_l' : ''}`,
    text: claimSql(announce, closeLost),
    values: [taskRunIds, workerId],
  });
  if (result[0]?.refused) options.onRefused?.();
  // The statement answers one row even when nothing was claimed (it carries `refused`).
  const rows = result.filter((r): r is ClaimStatementRow & ClaimedTaskRow => r.taskRunId !== null);
  if (options.notices) {
    for (const row of rows) {
      options.notices.add(row.runId, [{ task: row.taskKey, status: 'running' }]);
    }
  }
  const contexts = await runContexts(pool, [...new Set(rows.map((r) => r.runId))], options.runs);
  return rows.map((row) => ({ ...row, ...contexts.get(row.runId)! }));
}

type ClaimedTaskRow = Omit<ClaimedTask, keyof RunContext>;
type ClaimStatementRow = { [K in keyof ClaimedTaskRow]: ClaimedTaskRow[K] | null } & {
  refused: boolean;
};

/** The contexts of these runs: from the cache when there, else read (and cached). */
async function runContexts(
  pool: Pool | PoolClient,
  runIds: string[],
  cache: RunContextCache | undefined,
): Promise<Map<string, RunContext>> {
  const found = new Map<string, RunContext>();
  const missing: string[] = [];
  for (const id of runIds) {
    const known = cache?.get(id);
    if (known) found.set(id, known);
    else missing.push(id);
  }
  if (missing.length === 0) return found;
  const { rows } = await pool.query<RunContext & { id: string }>({
    name: 'dtss_run_contexts',
    text: `SELECT r.id, r.team_id AS "teamId", r.workflow_version_id AS "workflowVersionId",
                  r.number AS "runNumber", r.params, r.logical_date AS "logicalDate",
                  r.trigger_kind AS "triggerKind",
                  CASE WHEN e.id IS NULL THEN NULL
                       ELSE json_build_object('name', e.name, 'payload', e.payload) END AS event
             FROM workflow_runs r LEFT JOIN events e ON e.id = r.event_id
            WHERE r.id = ANY($1::uuid[])`,
    values: [missing],
  });
  for (const { id, ...context } of rows) {
    found.set(id, context);
    cache?.set(id, context);
  }
  return found;
}

const claimSqlCache = new Map<string, string>();

/**
 * The claim statement ($1 task run ids, $2 worker). It touches only the tasks (the runs' contexts
 * are read apart, see runContexts), which keeps it small to start on every call: each task to
 * `running` with a new open attempt on its row (ct; the attempt's own row is written when it
 * ends); with `closeLost`, an attempt left open by an earlier holder of the job is recorded as
 * lost first (ol, cl); with `announce`, one NOTIFY per run (cn).
 *
 * Nothing happens unless the worker may claim (ok): its row is active or draining. Its row is held
 * FOR KEY SHARE, which the leader's FOR UPDATE when it declares workers lost waits for (and the other
 * way round): a claim that commits before a worker is declared lost is seen by its sweep, and one
 * that waited for the declaration sees the worker lost. Heartbeats do not wait for claims (an
 * UPDATE that keeps the key does not conflict with KEY SHARE). A refused claim re-adds the jobs
 * of the tasks it would have claimed (rq); the main query answers one row even then.
 */
function claimSql(announce: boolean, closeLost: boolean): string {
  const key = `${announce}:${closeLost}`;
  const cached = claimSqlCache.get(key);
  if (cached) return cached;
  const text = `WITH w AS (
       SELECT id FROM workers
        WHERE id = $2::uuid AND status IN ('active', 'draining')
          FOR KEY SHARE),
     ok AS (SELECT $2::uuid IS NULL OR EXISTS (SELECT 1 FROM w) AS ok),
     rq AS (
       SELECT count(*) AS n
         FROM graphile_worker.add_jobs(ARRAY(
                SELECT ${taskJobSpecSql('t', `now() + interval '${REFUSED_CLAIM_RETRY_MS} milliseconds'`)}
                  FROM task_runs t
                 WHERE t.id = ANY($1::uuid[]) AND t.status IN ('queued', 'retry_wait')))
        -- A one-time filter: when the worker may claim, add_jobs is never called.
        WHERE NOT (SELECT ok FROM ok)),
     ${
       closeLost
         ? `ol AS (
       SELECT id, run_id, attempt_id, attempt_count, worker_id, attempt_started_at
         FROM task_runs
        WHERE id = ANY($1::uuid[]) AND status = 'running' AND attempt_id IS NOT NULL
          AND (SELECT ok FROM ok)
          FOR UPDATE),
     cl AS (
       INSERT INTO task_attempts (id, task_run_id, run_id, attempt_number, worker_id, status,
                                  started_at, finished_at, error)
       SELECT attempt_id, id, run_id, attempt_count, worker_id, 'lost', attempt_started_at, now(),
              'the worker running this attempt stopped responding'
         FROM ol
       ON CONFLICT DO NOTHING
       RETURNING 1),
     `
         : ''
     }ct AS (
       UPDATE task_runs SET status = 'running', attempt_count = attempt_count + 1,
              started_at = COALESCE(started_at, now()), next_attempt_at = NULL,
              attempt_id = gen_random_uuid(), worker_id = $2::uuid, attempt_started_at = now()
        WHERE id = ANY($1::uuid[])
          AND status IN ('queued', 'retry_wait'${closeLost ? ", 'running'" : ''})
          AND (SELECT ok FROM ok)${
            // Evaluated once before the first row: the lost attempt is recorded from the old values.
            closeLost ? ' AND (SELECT count(*) FROM cl) >= 0' : ''
          }
       RETURNING id, run_id, task_key, attempt_id, attempt_count, max_attempts, downstream_keys,
                 CASE WHEN attempt_count = 1
                      THEN greatest(extract(epoch FROM now() - queued_at), 0)::float8 END AS wait)${
                        announce
                          ? `,
     cn AS (
       SELECT pg_notify('dtss_run_events', CASE WHEN octet_length(x.changes::text) < 7000
                THEN json_build_object('runId', x.run_id, 'changes', x.changes)
                ELSE json_build_object('runId', x.run_id, 'changes', '[]'::json, 'truncated', true)
              END::text)
         FROM (SELECT run_id, json_agg(json_build_object('task', task_key, 'status', 'running'))
                        AS changes
                 FROM ct GROUP BY run_id) x)`
                          : ''
                      }
     SELECT ct.id AS "taskRunId", ct.run_id AS "runId", ct.task_key AS "taskKey",
            ct.attempt_id AS "attemptId", ct.attempt_count AS "attemptNumber",
            ct.max_attempts AS "maxAttempts", cardinality(ct.downstream_keys) = 0 AS leaf,
            ct.wait AS "queueWaitSeconds",
            NOT (SELECT ok FROM ok) AND (SELECT n FROM rq) >= 0 AS refused${
              announce ? ', (SELECT count(*) FROM cn) AS notified' : ''
            }
       FROM (SELECT) AS one LEFT JOIN ct ON true`;
  claimSqlCache.set(key, text);
  return text;
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
 * pool's leases (one per running task, see PoolLease), freeing those whose task no longer runs
 * that attempt; when the pool is full the task stays `queued` and its job comes back after
 * POOL_FULL_RETRY_MS ('deferred'), else the claim takes a lease. 'refused': the worker may not
 * claim (see ClaimOptions.onRefused).
 */
export async function claimTaskWithinPoolLimit(
  pool: Pool,
  taskRunId: string,
  workerId: string | null,
  poolName: string,
  slots: number,
): Promise<ClaimedTask | null | 'deferred' | 'refused'> {
  return withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('dtss-pool:' || $1, 0))`, [
      poolName,
    ]);
    // Leases are freed here, not by the many ways a task stops running (completion, retry,
    // hand-back, lost worker): a lease counts only while its task runs that very attempt.
    const { rows } = await client.query<{ n: string }>(
      `WITH freed AS (
         DELETE FROM pool_leases l WHERE l.pool = $1 AND NOT EXISTS (
           SELECT 1 FROM task_runs t
            WHERE t.id = l.task_run_id AND t.status = 'running' AND t.attempt_id = l.attempt_id)
         RETURNING 1)
       SELECT (SELECT count(*) FROM pool_leases WHERE pool = $1) - (SELECT count(*) FROM freed) AS n`,
      [poolName],
    );
    if (Number(rows[0]!.n) >= slots) {
      await enqueueTaskJobs(client, [taskRunId], new Date(Date.now() + POOL_FULL_RETRY_MS));
      return 'deferred';
    }
    let refused = false;
    const [claimed] = await claimTasks(client, [taskRunId], workerId, {
      onRefused: () => (refused = true),
    });
    if (refused) return 'refused';
    if (claimed) {
      await client.query(
        `INSERT INTO pool_leases (task_run_id, pool, attempt_id) VALUES ($1, $2, $3)
         ON CONFLICT (task_run_id) DO UPDATE
           SET pool = EXCLUDED.pool, attempt_id = EXCLUDED.attempt_id, created_at = now()`,
        [claimed.taskRunId, poolName, claimed.attemptId],
      );
    }
    return claimed ?? null;
  });
}
