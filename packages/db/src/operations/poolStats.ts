/**
 * Pools as the cluster sees them now: the slot cap of their row, the workers serving them, the
 * tasks running in them and the tasks waiting for them, with how long those have waited. Read for
 * the workers page. Figures only: no workflow, run or team is named.
 */
import type { Pool } from '../pool';

export interface PoolStatsRow {
  name: string;
  /** The pool row's cluster-wide cap on tasks running at once; null: no row, or no cap. */
  slots: number | null;
  /** Live workers serving it that take tasks (draining ones do not). */
  workers: number;
  /** Their summed concurrency (a worker serving two pools counts in both). */
  capacity: number;
  /** Tasks running in it now. */
  busy: number;
  /** Tasks ready to run and not started: queued, or a retry whose back-off is over. */
  waiting: number;
  /** Ages of the waiting tasks now (ms since each became ready); null when none waits. */
  oldestWaitMs: number | null;
  medianWaitMs: number | null;
  p95WaitMs: number | null;
  /** Named by a pool row or by a live worker (not only by waiting tasks). */
  known: boolean;
}

/**
 * The tasks in the queue are read through their graphile-worker jobs (the public view
 * graphile_worker.jobs): a task has a job, keyed `task:<id>`, exactly while it is queued, waits
 * for a retry or runs. That set is small next to task_runs, which has no index on status (its
 * updates stay in place, see the schema), and each task's row is then read by its key.
 */
export async function readPoolStats(
  pool: Pool,
  opts: { aliveWithinMs: number },
): Promise<PoolStatsRow[]> {
  const { rows } = await pool.query<PoolStatsRow>({
    name: 'dtss_pool_stats',
    text: `WITH live AS (
              SELECT unnest(pools) AS pool, status, concurrency FROM workers
               WHERE status IN ('active', 'draining')
                 AND last_heartbeat_at > now() - $1::int * interval '1 millisecond'),
            served AS (
              SELECT pool, count(*) FILTER (WHERE status = 'active')::int AS workers,
                     COALESCE(sum(concurrency) FILTER (WHERE status = 'active'), 0)::int AS capacity
                FROM live GROUP BY pool),
            queue AS (
              -- A job's key names its task; a job whose key was cleared was retired (its task
              -- re-enqueued under a new job with that key), so a task counts once.
              SELECT t.pool, t.status = 'running' AS busy,
                     CASE WHEN t.status = 'retry_wait' THEN t.next_attempt_at
                          ELSE COALESCE(t.queued_at, t.created_at) END AS ready_at
                FROM graphile_worker.jobs j
                -- (the CASE: no other job's key is ever cast, whatever order the filters run in)
                JOIN task_runs t
                  ON t.id = CASE WHEN j.key LIKE 'task:%' THEN substr(j.key, 6)::uuid END
               WHERE j.task_identifier LIKE 'dtss:pool:%'
                 AND (t.status IN ('running', 'queued')
                      OR (t.status = 'retry_wait' AND t.next_attempt_at <= now()))),
            queued AS (
              SELECT pool, count(*) FILTER (WHERE busy)::int AS busy,
                     count(*) FILTER (WHERE NOT busy)::int AS waiting,
                     max(wait_ms) FILTER (WHERE NOT busy) AS oldest,
                     percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_ms)
                       FILTER (WHERE NOT busy) AS median,
                     percentile_cont(0.95) WITHIN GROUP (ORDER BY wait_ms)
                       FILTER (WHERE NOT busy) AS p95
                FROM (SELECT pool, busy,
                             greatest(extract(epoch FROM now() - ready_at) * 1000, 0) AS wait_ms
                        FROM queue) q
               GROUP BY pool),
            names AS (
              SELECT name FROM pools UNION SELECT pool FROM served UNION SELECT pool FROM queued)
          SELECT n.name, p.slots, COALESCE(s.workers, 0) AS workers,
                 COALESCE(s.capacity, 0) AS capacity, COALESCE(q.busy, 0) AS busy,
                 COALESCE(q.waiting, 0) AS waiting, round(q.oldest)::float8 AS "oldestWaitMs",
                 round(q.median)::float8 AS "medianWaitMs", round(q.p95)::float8 AS "p95WaitMs",
                 (p.name IS NOT NULL OR s.pool IS NOT NULL) AS known
            FROM names n
            LEFT JOIN pools p ON p.name = n.name
            LEFT JOIN served s ON s.pool = n.name
            LEFT JOIN queued q ON q.pool = n.name
           ORDER BY n.name`,
    values: [opts.aliveWithinMs],
  });
  return rows;
}

/**
 * The pools a team's tasks use, which is what a team member may see of the cluster's workers and
 * pools: `default` (every task without a pool), the pools its workflows' current versions name,
 * and those of the versions its queued and running runs were made from (an archived workflow's
 * or an older version's run still waiting or running). Read from the definitions, not from the
 * task rows: a few versions, however many tasks their runs have.
 */
export async function teamPoolNames(pool: Pool, teamId: string): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>({
    name: 'dtss_team_pool_names',
    text: `WITH versions AS (
              SELECT current_version_id AS id FROM workflows
               WHERE team_id = $1 AND archived_at IS NULL AND current_version_id IS NOT NULL
              UNION
              SELECT workflow_version_id FROM workflow_runs
               WHERE team_id = $1 AND status IN ('queued', 'running'))
          SELECT 'default' AS name
          UNION
          SELECT COALESCE(t.value->>'pool', 'default')
            FROM versions v
            JOIN workflow_versions wv ON wv.id = v.id
           CROSS JOIN LATERAL jsonb_each(wv.definition->'tasks') t
          ORDER BY name`,
    values: [teamId],
  });
  return rows.map((r) => r.name);
}
