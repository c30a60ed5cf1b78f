/**
 * The numbers dashboards show for one team over a time window: runs by status per bucket, success
 * rate, run duration percentiles per workflow, task throughput, queue depth and workers online.
 */
import type { Pool } from '../pool';
import { ceilHour, floorHour, readRolledTaskFigures, readRolledUntil } from './metricsRollup';
import type { RunStatus } from './runs/types';
import { readTaskFigures, type TaskFigures } from './taskFigures';
import { addHistogram, histogramPercentile, type WaitHistogram } from './waitHistogram';

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

interface WorkflowEnds {
  workflowId: string;
  workflow: string;
  ended: number;
  succeeded: number;
  failed: number;
  started: number;
  /** [p50, p95, p99] in ms; null when no run started. */
  percentiles: number[] | null;
}

/** p50, p95 and p99 of the durations of the runs that started, from one sort. */
const DURATION_PERCENTILES = `percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM r.finished_at - r.started_at) * 1000) FILTER (WHERE r.started_at IS NOT NULL)`;

export async function readTeamMetrics(
  db: Queryable,
  teamId: string,
  opts: { from: Date; to: Date; bucket: MetricsBucket; aliveWithinMs: number },
): Promise<TeamMetrics> {
  const window = [teamId, opts.from, opts.to];
  const [byStatus, ends, taskRows, queue, workers, waiting, running] = await Promise.all([
    db.query<{ bucket: Date; status: RunStatus; count: number }>({
      name: 'dtss_metrics_runs_by_status',
      text: `SELECT date_trunc($4, created_at) AS bucket, status, count(*)::int AS count
         FROM workflow_runs WHERE team_id = $1 AND created_at >= $2 AND created_at < $3
        GROUP BY 1, 2 ORDER BY 1, 2`,
      values: [...window, opts.bucket],
    }),
    // Ended runs per workflow, in one pass: the success rate, durations and failures all
    // come from it. Percentiles are of the runs that started (a run cancelled while queued has
    // no duration).
    db.query<WorkflowEnds>({
      name: 'dtss_metrics_workflow_ends',
      text: `SELECT r.workflow_id AS "workflowId", w.name AS workflow, count(*)::int AS ended,
              count(*) FILTER (WHERE r.status = 'succeeded')::int AS succeeded,
              count(*) FILTER (WHERE r.status IN ('failed', 'timed_out'))::int AS failed,
              count(*) FILTER (WHERE r.started_at IS NOT NULL)::int AS started,
              ${DURATION_PERCENTILES} AS percentiles
         FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id
        WHERE r.team_id = $1 AND r.finished_at >= $2 AND r.finished_at < $3
        GROUP BY 1, 2 ORDER BY 2`,
      values: window,
    }),
    readTaskRows(db, teamId, opts),
    db.query<{
      queuedTasks: number;
      retryWaitTasks: number;
      runningTasks: number;
      queuedRuns: number;
    }>({
      name: 'dtss_metrics_queue',
      text: `SELECT count(*) FILTER (WHERE t.status = 'queued')::int AS "queuedTasks",
              count(*) FILTER (WHERE t.status = 'retry_wait')::int AS "retryWaitTasks",
              count(*) FILTER (WHERE t.status = 'running')::int AS "runningTasks",
              (SELECT count(*)::int FROM workflow_runs
                WHERE team_id = $1 AND status = 'queued') AS "queuedRuns"
         FROM workflow_runs r JOIN task_runs t ON t.run_id = r.id
        WHERE r.team_id = $1 AND r.status IN ('queued', 'running')`,
      values: [teamId],
    }),
    db.query<{ n: number }>({
      name: 'dtss_metrics_workers',
      text: `SELECT count(*)::int AS n FROM workers
        WHERE status IN ('active', 'draining')
          AND last_heartbeat_at > now() - $1::int * interval '1 millisecond'`,
      values: [opts.aliveWithinMs],
    }),
    db.query<{ pool: string; n: number }>({
      name: 'dtss_metrics_waiting',
      text: `SELECT t.pool, count(*)::int AS n
         FROM workflow_runs r JOIN task_runs t ON t.run_id = r.id
        WHERE r.team_id = $1 AND r.status IN ('queued', 'running') AND t.status = 'queued'
        GROUP BY 1`,
      values: [teamId],
    }),
    db.query<{
      id: string;
      number: number;
      workflow: string;
      startedAt: Date | null;
      total: number;
    }>({
      name: 'dtss_metrics_running',
      text: `SELECT r.id, r.number, w.name AS workflow, r.started_at AS "startedAt",
              count(*) OVER ()::int AS total
         FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id
        WHERE r.team_id = $1 AND r.status = 'running'
        ORDER BY r.started_at NULLS LAST, r.id LIMIT 10`,
      values: [teamId],
    }),
  ]);
  const endedRuns = ends.rows.reduce((n, w) => n + w.ended, 0);
  const succeededRuns = ends.rows.reduce((n, w) => n + w.succeeded, 0);
  return {
    from: opts.from,
    to: opts.to,
    bucket: opts.bucket,
    runsByStatus: byStatus.rows,
    successRate: endedRuns ? succeededRuns / endedRuns : null,
    endedRuns,
    durations: ends.rows
      .filter((w) => w.started > 0)
      .map((w) => ({
        workflowId: w.workflowId,
        workflow: w.workflow,
        runs: w.started,
        p50Ms: Math.round(w.percentiles![0]!),
        p95Ms: Math.round(w.percentiles![1]!),
        p99Ms: Math.round(w.percentiles![2]!),
      })),
    taskThroughput: throughputOf(taskRows),
    queueDepth: queue.rows[0] ?? {
      queuedTasks: 0,
      retryWaitTasks: 0,
      queuedRuns: 0,
      runningTasks: 0,
    },
    workersOnline: workers.rows[0]?.n ?? 0,
    // Most failures first, then by name; the top 10.
    failing: ends.rows
      .filter((w) => w.failed > 0)
      .sort((a, b) => b.failed - a.failed || (a.workflow < b.workflow ? -1 : 1))
      .slice(0, 10)
      .map(({ workflowId, workflow, failed, ended }) => ({ workflowId, workflow, failed, ended })),
    pools: poolsOf(taskRows, waiting.rows),
    attempts: {
      total: taskRows.reduce((n, r) => n + r.attempts, 0),
      retries: taskRows.reduce((n, r) => n + r.retries, 0),
    },
    running: {
      total: running.rows[0]?.total ?? 0,
      runs: running.rows.map(({ total: _total, ...run }) => run),
    },
  };
}

/**
 * The team's task figures of the window: whole hours the rollup covers from metrics_task_hours,
 * the rest (the edges, the hours not rolled up yet, any minute buckets) from the task rows.
 */
async function readTaskRows(
  db: Queryable,
  teamId: string,
  opts: { from: Date; to: Date; bucket: MetricsBucket },
): Promise<TaskFigures[]> {
  const { from, to, bucket } = opts;
  if (bucket === 'minute') return readTaskFigures(db, teamId, { from, to, unit: 'minute' });
  const rolledUntil = await readRolledUntil(db);
  const start = ceilHour(from);
  const end = new Date(Math.min(floorHour(to).getTime(), rolledUntil?.getTime() ?? 0));
  if (end <= start) return readTaskFigures(db, teamId, { from, to, unit: bucket });
  const parts = await Promise.all([
    readTaskFigures(db, teamId, { from, to: start, unit: bucket }),
    readRolledTaskFigures(db, teamId, { from: start, to: end, unit: bucket }),
    readTaskFigures(db, teamId, { from: end, to, unit: bucket }),
  ]);
  return parts.flat();
}

function throughputOf(rows: TaskFigures[]): TeamMetrics['taskThroughput'] {
  const byBucket = new Map<number, TeamMetrics['taskThroughput'][number]>();
  for (const r of rows) {
    if (r.tasksEnded === 0) continue;
    const key = r.at.getTime();
    const b = byBucket.get(key) ?? { bucket: r.at, succeeded: 0, failed: 0, total: 0 };
    b.succeeded += r.tasksSucceeded;
    b.failed += r.tasksFailed;
    b.total += r.tasksEnded;
    byBucket.set(key, b);
  }
  return [...byBucket.values()].sort((a, b) => a.bucket.getTime() - b.bucket.getTime());
}

function poolsOf(
  rows: TaskFigures[],
  waiting: { pool: string; n: number }[],
): TeamMetrics['pools'] {
  const byPool = new Map<string, { started: number; waits: WaitHistogram; waitingNow: number }>();
  const entry = (pool: string) => {
    let e = byPool.get(pool);
    if (!e) byPool.set(pool, (e = { started: 0, waits: {}, waitingNow: 0 }));
    return e;
  };
  for (const r of rows) {
    if (r.tasksStarted === 0) continue;
    const e = entry(r.pool);
    e.started += r.tasksStarted;
    addHistogram(e.waits, r.waitHistogram);
  }
  for (const w of waiting) entry(w.pool).waitingNow = w.n;
  return [...byPool]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([pool, e]) => ({
      pool,
      started: e.started,
      waitP50Ms: histogramPercentile(e.waits, 0.5),
      waitP95Ms: histogramPercentile(e.waits, 0.95),
      waitingNow: e.waitingNow,
    }));
}
