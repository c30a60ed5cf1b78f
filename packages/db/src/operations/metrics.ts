/**
 * The numbers dashboards show for one team over a time window: runs by status per bucket, success
 * rate, run duration percentiles per workflow, task throughput, queue depth and workers online.
 */
import type { Pool } from '../pool';
import {
  ceilDay,
  ceilHour,
  floorDay,
  floorHour,
  readRolledRunBuckets,
  readRolledRunWorkflows,
  readRolledTaskFigures,
  readRolledUntil,
  type RunCounts,
  type RunSpan,
} from './metricsRollup';
import { readRunFigures } from './runFigures';
import type { RunStatus } from './runs/types';
import { readTaskFigures, type TaskFigures } from './taskFigures';
import { addHistogram, histogramPercentile, type WaitHistogram } from './waitHistogram';

type Queryable = Pick<Pool, 'query'>;

export type MetricsBucket = 'minute' | 'hour' | 'day';

export interface TeamMetrics {
  from: Date;
  to: Date;
  bucket: MetricsBucket;
  /** Runs that ended per bucket, by final status (buckets with no runs are absent). */
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
  // Minute buckets are finer than the rollup: those periods are read from the rows alone.
  const rolledUntil = opts.bucket === 'minute' ? null : await readRolledUntil(db);
  const [runParts, names, taskRows, queue, workers, waiting, running] = await Promise.all([
    readRunParts(db, teamId, opts, rolledUntil),
    db.query<{ id: string; name: string }>({
      name: 'dtss_metrics_workflow_names',
      text: 'SELECT id, name FROM workflows WHERE team_id = $1',
      values: [teamId],
    }),
    readTaskRows(db, teamId, opts, rolledUntil),
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
  const runs = summariseRuns(runParts, new Map(names.rows.map((w) => [w.id, w.name])));
  return {
    from: opts.from,
    to: opts.to,
    bucket: opts.bucket,
    ...runs,
    taskThroughput: throughputOf(taskRows),
    queueDepth: queue.rows[0] ?? {
      queuedTasks: 0,
      retryWaitTasks: 0,
      queuedRuns: 0,
      runningTasks: 0,
    },
    workersOnline: workers.rows[0]?.n ?? 0,
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
  rolledUntil: Date | null,
): Promise<TaskFigures[]> {
  const { from, to, bucket } = opts;
  const { start, end } = rolledSpan(from, to, rolledUntil);
  if (bucket === 'minute' || end <= start)
    return readTaskFigures(db, teamId, { from, to, unit: bucket });
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

/** The whole hours of [from, to) that the rollup covers (none when end <= start). */
function rolledSpan(from: Date, to: Date, rolledUntil: Date | null) {
  const start = ceilHour(from);
  const end = new Date(Math.min(floorHour(to).getTime(), rolledUntil?.getTime() ?? 0));
  return { start, end };
}

interface RunParts {
  byBucket: (RunCounts & { at: Date })[];
  byWorkflow: (RunCounts & { workflowId: string; started: number; histogram: WaitHistogram })[];
}

/**
 * The team's runs that ended in the period: rolled-up UTC days and hours in the middle (days where
 * the buckets allow), rows at the edges.
 */
async function readRunParts(
  db: Queryable,
  teamId: string,
  opts: { from: Date; to: Date; bucket: MetricsBucket },
  rolledUntil: Date | null,
): Promise<RunParts> {
  const { from, to, bucket } = opts;
  const { start, end } = rolledSpan(from, to, rolledUntil);
  const edges =
    bucket === 'minute' || end <= start
      ? [{ from, to, unit: bucket }]
      : [
          { from, to: start, unit: bucket },
          { from: end, to, unit: bucket },
        ];
  const parts: RunParts = { byBucket: [], byWorkflow: [] };
  const reads: Promise<void>[] = edges.map(async (range) => {
    for (const r of await readRunFigures(db, teamId, range)) {
      const counts = {
        succeeded: r.succeeded,
        failed: r.failed,
        timedOut: r.timedOut,
        cancelled: r.cancelled,
      };
      parts.byBucket.push({ at: r.at, ...counts });
      parts.byWorkflow.push({
        workflowId: r.workflowId,
        ...counts,
        started: r.started,
        histogram: r.durationHistogram,
      });
    }
  });
  if (bucket !== 'minute' && end > start) {
    // Whole days from the day rows, the hours around them from the hour rows.
    const days = { from: ceilDay(start), to: floorDay(end) };
    const spans: [RunSpan, Date, Date][] =
      days.to > days.from
        ? [
            ['hour', start, days.from],
            ['day', days.from, days.to],
            ['hour', days.to, end],
          ]
        : [['hour', start, end]];
    for (const [span, a, b] of spans) {
      reads.push(
        readRolledRunWorkflows(db, teamId, span, { from: a, to: b }).then((rows) => {
          parts.byWorkflow.push(...rows);
        }),
      );
    }
    // Hour buckets need the hour rows; day buckets can take the day rows.
    for (const [span, a, b] of bucket === 'day' ? spans : [['hour', start, end] as const]) {
      reads.push(
        readRolledRunBuckets(db, teamId, span, { from: a, to: b, unit: bucket }).then((rows) => {
          parts.byBucket.push(...rows);
        }),
      );
    }
  }
  await Promise.all(reads);
  return parts;
}

const STATUS_OF: [keyof RunCounts, RunStatus][] = [
  ['succeeded', 'succeeded'],
  ['failed', 'failed'],
  ['timedOut', 'timed_out'],
  ['cancelled', 'cancelled'],
];

/** Runs ended per bucket by final status, and per workflow: success, durations, failures. */
function summariseRuns(parts: RunParts, names: Map<string, string>) {
  const byBucket = new Map<number, { at: Date; counts: Map<RunStatus, number> }>();
  for (const b of parts.byBucket) {
    const key = b.at.getTime();
    let e = byBucket.get(key);
    if (!e) byBucket.set(key, (e = { at: b.at, counts: new Map() }));
    for (const [field, status] of STATUS_OF)
      if (b[field]) e.counts.set(status, (e.counts.get(status) ?? 0) + b[field]);
  }
  const runsByStatus = [...byBucket.values()]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .flatMap((e) =>
      [...e.counts]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([status, count]) => ({ bucket: e.at, status, count })),
    );

  const byWorkflow = new Map<string, RunCounts & { started: number; histogram: WaitHistogram }>();
  for (const w of parts.byWorkflow) {
    let e = byWorkflow.get(w.workflowId);
    if (!e) {
      e = { succeeded: 0, failed: 0, timedOut: 0, cancelled: 0, started: 0, histogram: {} };
      byWorkflow.set(w.workflowId, e);
    }
    for (const [field] of STATUS_OF) e[field] += w[field];
    e.started += w.started;
    addHistogram(e.histogram, w.histogram);
  }
  // A workflow deleted meanwhile has no name: its runs are going with it.
  const workflows = [...byWorkflow]
    .filter(([id]) => names.has(id))
    .map(([id, e]) => ({
      ...e,
      workflowId: id,
      workflow: names.get(id)!,
      ended: e.succeeded + e.failed + e.timedOut + e.cancelled,
    }))
    .sort((a, b) => (a.workflow < b.workflow ? -1 : a.workflow > b.workflow ? 1 : 0));
  const endedRuns = workflows.reduce((n, w) => n + w.ended, 0);
  const succeeded = workflows.reduce((n, w) => n + w.succeeded, 0);
  return {
    runsByStatus,
    successRate: endedRuns ? succeeded / endedRuns : null,
    endedRuns,
    durations: workflows
      .filter((w) => w.started > 0)
      .map((w) => ({
        workflowId: w.workflowId,
        workflow: w.workflow,
        runs: w.started,
        p50Ms: histogramPercentile(w.histogram, 0.5)!,
        p95Ms: histogramPercentile(w.histogram, 0.95)!,
        p99Ms: histogramPercentile(w.histogram, 0.99)!,
      })),
    // Most failures (timed out included) first, then by name; the top 10.
    failing: workflows
      .map((w) => ({ ...w, failed: w.failed + w.timedOut }))
      .filter((w) => w.failed > 0)
      .sort((a, b) => b.failed - a.failed || (a.workflow < b.workflow ? -1 : 1))
      .slice(0, 10)
      .map(({ workflowId, workflow, failed, ended }) => ({ workflowId, workflow, failed, ended })),
  };
}
