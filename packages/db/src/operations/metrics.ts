/**
 * The numbers dashboards show for one team over a time window: runs by status per bucket, success
 * rate, run duration percentiles per workflow, task throughput, queue depth and workers online.
 */
import type { Pool } from '../pool';
import type { RunStatus } from './runs/types';

type Queryable = Pick<Pool, 'query'>;

export type MetricsBucket = 'minute' | 'hour' | 'day';

export interface TeamMetrics {
  from: Date;
  to: Date;
  bucket: MetricsBucket;
  /** Runs created per bucket, by status (buckets with no runs are absent). */
  runsByStatus: { bucket: Date; status: RunStatus; count: number }[];
  /** Of the runs that ended in the window: succeeded / ended (null when none ended). */
  successRate: number | null;
  endedRuns: number;
  /** Durations (start to end) of runs that ended in the window, per workflow. */
  durations: {
    workflowId: string;
    workflow: string;
    runs: number;
    p50Ms: number;
    p95Ms: number;
    p99Ms: number;
  }[];
  /** Workflows with runs that failed (or timed out) in the window, most failures first (top 10). */
  failing: { workflowId: string; workflow: string; failed: number; ended: number }[];
  /**
   * Per pool, tasks that started in the window and how long they waited for a worker (queued to
   * started of their last attempt), with the tasks waiting in it right now.
   */
  pools: {
    pool: string;
    started: number;
    waitP50Ms: number | null;
    waitP95Ms: number | null;
    waitingNow: number;
  }[];
  /** Attempts that started in the window, and of them the retries (attempt 2 and later). */
  attempts: { total: number; retries: number };
  /** Runs running right now (the 10 that started first), and how many there are. */
  running: {
    total: number;
    runs: { id: string; number: number; workflow: string; startedAt: Date | null }[];
  };
  /** Tasks that ended per bucket. */
  taskThroughput: { bucket: Date; succeeded: number; failed: number; total: number }[];
  /** Right now: tasks waiting for a worker, runs waiting for a slot. */
  queueDepth: {
    queuedTasks: number;
    retryWaitTasks: number;
    queuedRuns: number;
    runningTasks: number;
  };
  /** Workers (cluster-wide) that heartbeat within `aliveWithinMs`. */
  workersOnline: number;
}

export async function readTeamMetrics(
  db: Queryable,
  teamId: string,
  opts: { from: Date; to: Date; bucket: MetricsBucket; aliveWithinMs: number },
): Promise<TeamMetrics> {
  const window = [teamId, opts.from, opts.to];
  const [
    byStatus,
    ended,
    durations,
    throughput,
    queue,
    workers,
    failing,
    pools,
    attempts,
    running,
  ] = await Promise.all([
    db.query<{ bucket: Date; status: RunStatus; count: number }>(
      `SELECT date_trunc($4, created_at) AS bucket, status, count(*)::int AS count
         FROM workflow_runs WHERE team_id = $1 AND created_at >= $2 AND created_at < $3
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [...window, opts.bucket],
    ),
    db.query<{ ended: number; succeeded: number }>(
      `SELECT count(*)::int AS ended, count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded
         FROM workflow_runs
        WHERE team_id = $1 AND finished_at >= $2 AND finished_at < $3`,
      window,
    ),
    db.query<TeamMetrics['durations'][number]>(
      `SELECT r.workflow_id AS "workflowId", w.name AS workflow, count(*)::int AS runs,
              round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.finished_at - r.started_at) * 1000))::float8 AS "p50Ms",
              round(percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM r.finished_at - r.started_at) * 1000))::float8 AS "p95Ms",
              round(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM r.finished_at - r.started_at) * 1000))::float8 AS "p99Ms"
         FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id
        WHERE r.team_id = $1 AND r.finished_at >= $2 AND r.finished_at < $3
          AND r.started_at IS NOT NULL
        GROUP BY 1, 2 ORDER BY 2`,
      window,
    ),
    db.query<{ bucket: Date; succeeded: number; failed: number; total: number }>(
      `SELECT date_trunc($4, t.finished_at) AS bucket,
              count(*) FILTER (WHERE t.status = 'succeeded')::int AS succeeded,
              count(*) FILTER (WHERE t.status IN ('failed', 'timed_out'))::int AS failed,
              count(*)::int AS total
         FROM task_runs t JOIN workflow_runs r ON r.id = t.run_id
        WHERE r.team_id = $1 AND t.finished_at >= $2 AND t.finished_at < $3
        GROUP BY 1 ORDER BY 1`,
      [...window, opts.bucket],
    ),
    db.query<{
      queuedTasks: number;
      retryWaitTasks: number;
      runningTasks: number;
      queuedRuns: number;
    }>(
      `SELECT count(*) FILTER (WHERE t.status = 'queued')::int AS "queuedTasks",
              count(*) FILTER (WHERE t.status = 'retry_wait')::int AS "retryWaitTasks",
              count(*) FILTER (WHERE t.status = 'running')::int AS "runningTasks",
              (SELECT count(*)::int FROM workflow_runs
                WHERE team_id = $1 AND status = 'queued') AS "queuedRuns"
         FROM workflow_runs r JOIN task_runs t ON t.run_id = r.id
        WHERE r.team_id = $1 AND r.status IN ('queued', 'running')`,
      [teamId],
    ),
    db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM workers
        WHERE status IN ('active', 'draining')
          AND last_heartbeat_at > now() - $1::int * interval '1 millisecond'`,
      [opts.aliveWithinMs],
    ),
    db.query<TeamMetrics['failing'][number]>(
      `SELECT r.workflow_id AS "workflowId", w.name AS workflow,
              count(*) FILTER (WHERE r.status IN ('failed', 'timed_out'))::int AS failed,
              count(*)::int AS ended
         FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id
        WHERE r.team_id = $1 AND r.finished_at >= $2 AND r.finished_at < $3
        GROUP BY 1, 2
       HAVING count(*) FILTER (WHERE r.status IN ('failed', 'timed_out')) > 0
        ORDER BY 3 DESC, 2 LIMIT 10`,
      window,
    ),
    db.query<TeamMetrics['pools'][number]>(
      `WITH started AS (
         SELECT t.pool, count(*)::int AS started,
                round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.started_at - t.queued_at) * 1000))::float8 AS "waitP50Ms",
                round(percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM t.started_at - t.queued_at) * 1000))::float8 AS "waitP95Ms"
           FROM task_runs t JOIN workflow_runs r ON r.id = t.run_id
          WHERE r.team_id = $1 AND t.started_at >= $2 AND t.started_at < $3
            AND t.queued_at IS NOT NULL AND t.started_at >= t.queued_at
          GROUP BY 1),
       waiting AS (
         SELECT t.pool, count(*)::int AS n
           FROM task_runs t JOIN workflow_runs r ON r.id = t.run_id
          WHERE r.team_id = $1 AND r.status IN ('queued', 'running') AND t.status = 'queued'
          GROUP BY 1)
       SELECT coalesce(s.pool, q.pool) AS pool, coalesce(s.started, 0) AS started,
              s."waitP50Ms", s."waitP95Ms", coalesce(q.n, 0) AS "waitingNow"
         FROM started s FULL JOIN waiting q ON q.pool = s.pool
        ORDER BY 1`,
      window,
    ),
    db.query<{ total: number; retries: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE a.attempt_number > 1)::int AS retries
         FROM task_attempts_all a JOIN workflow_runs r ON r.id = a.run_id
        WHERE r.team_id = $1 AND a.started_at >= $2 AND a.started_at < $3`,
      window,
    ),
    db.query<{
      id: string;
      number: number;
      workflow: string;
      startedAt: Date | null;
      total: number;
    }>(
      `SELECT r.id, r.number, w.name AS workflow, r.started_at AS "startedAt",
              count(*) OVER ()::int AS total
         FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id
        WHERE r.team_id = $1 AND r.status = 'running'
        ORDER BY r.started_at NULLS LAST, r.id LIMIT 10`,
      [teamId],
    ),
  ]);
  const endedRow = ended.rows[0] ?? { ended: 0, succeeded: 0 };
  return {
    from: opts.from,
    to: opts.to,
    bucket: opts.bucket,
    runsByStatus: byStatus.rows,
    successRate: endedRow.ended ? endedRow.succeeded / endedRow.ended : null,
    endedRuns: endedRow.ended,
    durations: durations.rows,
    taskThroughput: throughput.rows,
    queueDepth: queue.rows[0] ?? {
      queuedTasks: 0,
      retryWaitTasks: 0,
      queuedRuns: 0,
      runningTasks: 0,
    },
    workersOnline: workers.rows[0]?.n ?? 0,
    failing: failing.rows,
    pools: pools.rows,
    attempts: attempts.rows[0] ?? { total: 0, retries: 0 },
    running: {
      total: running.rows[0]?.total ?? 0,
      runs: running.rows.map(({ total: _total, ...run }) => run),
    },
  };
}
