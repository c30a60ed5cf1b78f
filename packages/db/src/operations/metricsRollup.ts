/**
 * Rolls closed hours of task and run figures up into metrics_task_hours and metrics_run_hours,
 * oldest first, a batch of hours per call (the scheduler's leader calls it every minute). An hour
 * is closed GRACE_MS after its end: an end is stamped with its transaction's start, so a commit
 * late by less than that still lands in an hour not rolled up yet. One transaction per batch;
 * concurrent callers skip.
 */
import type { Pool } from '../pool';
import { withTransaction } from '../transaction';
import { RUN_FIGURES_ALL_TEAMS } from './runFigures';
import { TASK_FIGURES_ALL_TEAMS, type TaskFigures } from './taskFigures';
import type { WaitHistogram } from './waitHistogram';

export const GRACE_MS = 2 * 60_000;
const HOUR_MS = 3_600_000;
/** Arbitrary, fixed: the advisory lock of the rollup (one roller at a time). */
const ROLLUP_LOCK = 7_341_209;

export interface RollupResult {
  /** The hours this call rolled up ([from, to)), or null when none had closed since the last. */
  rolled: { from: Date; to: Date } | null;
  /** Every hour before this is rolled up (null: nothing yet). */
  rolledUntil: Date | null;
}

export async function rollUpMetrics(
  pool: Pool,
  opts: { now?: Date; maxHours?: number } = {},
): Promise<RollupResult> {
  const maxHours = opts.maxHours ?? 24;
  return withTransaction(pool, async (client) => {
    const locked = await client.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_xact_lock($1) AS ok',
      [ROLLUP_LOCK],
    );
    // Another roller is at work: it moves the watermark.
    if (!locked.rows[0]?.ok) return { rolled: null, rolledUntil: await readRolledUntil(client) };
    const state = await client.query<{ rolledUntil: Date | null }>(
      `INSERT INTO metrics_rollup (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET id = 1
       RETURNING rolled_until AS "rolledUntil"`,
    );
    const rolledUntil = state.rows[0]?.rolledUntil ?? null;
    const closedUntil = floorHour(new Date((opts.now ?? new Date()).getTime() - GRACE_MS));
    // Nothing rolled up yet: start at the hour of the oldest run.
    const from: Date =
      rolledUntil ??
      (
        await client.query<{ first: Date | null }>(
          `SELECT date_trunc('hour', min(created_at), 'UTC') AS first FROM workflow_runs`,
        )
      ).rows[0]?.first ??
      closedUntil;
    const to = new Date(Math.min(closedUntil.getTime(), from.getTime() + maxHours * HOUR_MS));
    if (to <= from) {
      if (!rolledUntil) await setRolledUntil(client, closedUntil);
      return { rolled: null, rolledUntil: rolledUntil ?? closedUntil };
    }
    // Rows of these hours may exist (the watermark was moved back): the batch replaces them.
    await client.query('DELETE FROM metrics_task_hours WHERE hour >= $1 AND hour < $2', [from, to]);
    await client.query('DELETE FROM metrics_run_hours WHERE hour >= $1 AND hour < $2', [from, to]);
    await client.query(
      `INSERT INTO metrics_run_hours (team_id, hour, workflow_id, succeeded, failed, timed_out,
                                      cancelled, started, duration_histogram)
       SELECT "teamId", at, "workflowId", succeeded, failed, "timedOut", cancelled, started,
              "durationHistogram"
         FROM (${RUN_FIGURES_ALL_TEAMS}) f`,
      [null, from, to, 'hour'],
    );
    await client.query(
      `INSERT INTO metrics_task_hours (team_id, hour, pool, tasks_succeeded, tasks_failed,
                                       tasks_ended, tasks_started, wait_histogram, attempts, retries)
       SELECT "teamId", at, pool, "tasksSucceeded", "tasksFailed", "tasksEnded", "tasksStarted",
              "waitHistogram", attempts, retries
         FROM (${TASK_FIGURES_ALL_TEAMS}) f`,
      [null, from, to, 'hour'],
    );
    // The UTC days whose last hour this batch rolled up (and their earlier hours, rolled before).
    const days = { from: floorDay(from), to: floorDay(to) };
    if (days.to > days.from) {
      await client.query('DELETE FROM metrics_run_days WHERE day >= $1 AND day < $2', [
        days.from,
        days.to,
      ]);
      await client.query(ROLL_DAYS, [days.from, days.to]);
    }
    await setRolledUntil(client, to);
    return { rolled: { from, to }, rolledUntil: to };
  });
}

async function setRolledUntil(client: Pick<Pool, 'query'>, at: Date): Promise<void> {
  await client.query(
    'UPDATE metrics_rollup SET rolled_until = $1, updated_at = now() WHERE id = 1',
    [at],
  );
}

/** Where the rolled-up hours end: every hour before it is in metrics_task_hours. */
export async function readRolledUntil(db: Pick<Pool, 'query'>): Promise<Date | null> {
  const { rows } = await db.query<{ rolledUntil: Date | null }>(
    'SELECT rolled_until AS "rolledUntil" FROM metrics_rollup WHERE id = 1',
  );
  return rows[0]?.rolledUntil ?? null;
}

export function floorHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

export function ceilHour(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / HOUR_MS) * HOUR_MS);
}

/** One team's rolled-up task figures of whole hours [from, to), per `unit` bucket and pool. */
export async function readRolledTaskFigures(
  db: Pick<Pool, 'query'>,
  teamId: string,
  range: { from: Date; to: Date; unit: 'hour' | 'day' },
): Promise<TaskFigures[]> {
  if (range.from >= range.to) return [];
  const { rows } = await db.query<TaskFigures>({
    name: 'dtss_rolled_task_figures',
    text: `SELECT team_id AS "teamId", date_trunc($4, hour, 'UTC') AS at, pool,
                  tasks_succeeded AS "tasksSucceeded", tasks_failed AS "tasksFailed",
                  tasks_ended AS "tasksEnded", tasks_started AS "tasksStarted",
                  wait_histogram AS "waitHistogram", attempts, retries
             FROM metrics_task_hours
            WHERE team_id = $1 AND hour >= $2 AND hour < $3`,
    values: [teamId, range.from, range.to, range.unit],
  });
  return rows;
}

export interface RunCounts {
  succeeded: number;
  failed: number;
  timedOut: number;
  cancelled: number;
}

/** Where rolled-up run ends are kept: per hour, and (once all its hours are) per UTC day. */
export type RunSpan = 'hour' | 'day';
const RUN_TABLE = { hour: 'metrics_run_hours', day: 'metrics_run_days' } as const;
const COUNTS = `sum(succeeded)::int AS succeeded, sum(failed)::int AS failed,
                sum(timed_out)::int AS "timedOut", sum(cancelled)::int AS cancelled`;

/** One team's rolled-up run ends of [from, to) (whole spans) per `unit` bucket. */
export async function readRolledRunBuckets(
  db: Pick<Pool, 'query'>,
  teamId: string,
  span: RunSpan,
  range: { from: Date; to: Date; unit: 'hour' | 'day' },
): Promise<(RunCounts & { at: Date })[]> {
  if (range.from >= range.to) return [];
  const { rows } = await db.query<RunCounts & { at: Date }>({
    name: `dtss_rolled_run_buckets_${span}`,
    text: `SELECT date_trunc($4, ${span}, 'UTC') AS at, ${COUNTS}
             FROM ${RUN_TABLE[span]} WHERE team_id = $1 AND ${span} >= $2 AND ${span} < $3
            GROUP BY 1`,
    values: [teamId, range.from, range.to, range.unit],
  });
  return rows;
}

/** One team's rolled-up run ends of [from, to) (whole spans) per workflow, histograms summed. */
export async function readRolledRunWorkflows(
  db: Pick<Pool, 'query'>,
  teamId: string,
  span: RunSpan,
  range: { from: Date; to: Date },
): Promise<(RunCounts & { workflowId: string; started: number; histogram: WaitHistogram })[]> {
  if (range.from >= range.to) return [];
  const { rows } = await db.query<
    RunCounts & { workflowId: string; started: number; histogram: WaitHistogram }
  >({
    name: `dtss_rolled_run_workflows_${span}`,
    text: `WITH h AS MATERIALIZED (
             SELECT workflow_id, succeeded, failed, timed_out, cancelled, started,
                    duration_histogram
               FROM ${RUN_TABLE[span]} WHERE team_id = $1 AND ${span} >= $2 AND ${span} < $3),
           merged AS (
             SELECT workflow_id, jsonb_object_agg(bucket, n) AS histogram
               FROM (SELECT workflow_id, e.key AS bucket, sum(e.value::int) AS n
                       FROM h, jsonb_each_text(h.duration_histogram) e GROUP BY 1, 2) b
              GROUP BY 1)
           SELECT c.workflow_id AS "workflowId", c.succeeded, c.failed, c."timedOut",
                  c.cancelled, c.started, coalesce(m.histogram, '{}'::jsonb) AS histogram
             FROM (SELECT workflow_id, ${COUNTS}, sum(started)::int AS started
                     FROM h GROUP BY 1) c
             LEFT JOIN merged m USING (workflow_id)`,
    values: [teamId, range.from, range.to],
  });
  return rows;
}

/** metrics_run_hours of [from, to) (whole UTC days) summed into metrics_run_days. */
const ROLL_DAYS = `
  WITH h AS MATERIALIZED (
    SELECT *, date_trunc('day', hour, 'UTC') AS day FROM metrics_run_hours
     WHERE hour >= $1 AND hour < $2),
  merged AS (
    SELECT team_id, day, workflow_id, jsonb_object_agg(bucket, n) AS histogram
      FROM (SELECT team_id, day, workflow_id, e.key AS bucket, sum(e.value::int) AS n
              FROM h, jsonb_each_text(h.duration_histogram) e GROUP BY 1, 2, 3, 4) b
     GROUP BY 1, 2, 3)
  INSERT INTO metrics_run_days (team_id, day, workflow_id, succeeded, failed, timed_out,
                                cancelled, started, duration_histogram)
  SELECT c.team_id, c.day, c.workflow_id, c.succeeded, c.failed, c.timed_out, c.cancelled,
         c.started, coalesce(m.histogram, '{}'::jsonb)
    FROM (SELECT team_id, day, workflow_id, sum(succeeded)::int AS succeeded,
                 sum(failed)::int AS failed, sum(timed_out)::int AS timed_out,
                 sum(cancelled)::int AS cancelled, sum(started)::int AS started
            FROM h GROUP BY 1, 2, 3) c
    LEFT JOIN merged m USING (team_id, day, workflow_id)`;

const DAY_MS = 24 * HOUR_MS;

export function floorDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function ceilDay(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / DAY_MS) * DAY_MS);
}
