/**
 * The task figures of a time range, per team, time bucket and pool: tasks ended (by outcome),
 * tasks started with their queue waits (a histogram), attempts started and retries. One query for
 * both uses: the hourly rollup (every team, hour buckets) and a dashboard's edges that the rollup
 * does not cover yet (one team, minute or hour buckets).
 */
import type { Pool } from '../pool';
import { teamScopeSql } from './teamScope';
import { waitBucketSql, type WaitHistogram } from './waitHistogram';

type Queryable = Pick<Pool, 'query'>;

export interface TaskFigures {
  teamId: string;
  at: Date;
  pool: string;
  tasksSucceeded: number;
  tasksFailed: number;
  tasksEnded: number;
  tasksStarted: number;
  waitHistogram: WaitHistogram;
  attempts: number;
  retries: number;
}

/**
 * Runs that can hold a task or an attempt of [$2, $3): task_runs and task_attempts have no time
 * index, so they are reached through their runs. A run ends after its tasks, so such a task belongs
 * to a run that ended after the range's start, or to one still active. `teams` names the teams.
 */
function rangeRuns(teams: string): string {
  return `
    SELECT r.id, r.team_id FROM ${teams} CROSS JOIN LATERAL (
      SELECT id, team_id FROM workflow_runs
       WHERE team_id = tm.id AND finished_at >= $2 AND created_at < $3
      UNION ALL
      SELECT id, team_id FROM workflow_runs
       WHERE team_id = tm.id AND status IN ('queued', 'running') AND created_at < $3) r`;
}

/** $1: the team (null: every team, unless `oneTeam`); $2, $3: the range; $4: the bucket unit. */
function taskFiguresSql(oneTeam: boolean): string {
  const teams = teamScopeSql(oneTeam);
  // OFFSET 0 keeps each run's tasks an index lookup: flattened, the planner would rather read the
  // whole task table for a few thousand runs.
  const tasksOf = (where: string, cols: string) =>
    `CROSS JOIN LATERAL (SELECT ${cols} FROM task_runs t WHERE t.run_id = r.id AND ${where} OFFSET 0) t`;
  return `
    WITH runs AS MATERIALIZED (${rangeRuns(teams)}),
    ended AS (
      SELECT r.team_id, date_trunc($4, t.finished_at, 'UTC') AS at, t.pool,
             count(*) FILTER (WHERE t.status = 'succeeded')::int AS succeeded,
             count(*) FILTER (WHERE t.status IN ('failed', 'timed_out'))::int AS failed,
             count(*)::int AS ended
        FROM runs r ${tasksOf('t.finished_at >= $2 AND t.finished_at < $3', 't.finished_at, t.pool, t.status')}
       GROUP BY 1, 2, 3),
    waits AS (
      SELECT r.team_id, date_trunc($4, t.started_at, 'UTC') AS at, t.pool,
             ${waitBucketSql('extract(epoch FROM t.started_at - t.queued_at) * 1000')} AS bucket,
             count(*)::int AS n
        FROM runs r ${tasksOf(
          't.started_at >= $2 AND t.started_at < $3 AND t.queued_at IS NOT NULL AND t.started_at >= t.queued_at',
          't.started_at, t.queued_at, t.pool',
        )}
       GROUP BY 1, 2, 3, 4),
    started AS (
      SELECT team_id, at, pool, sum(n)::int AS started, jsonb_object_agg(bucket, n) AS histogram
        FROM waits GROUP BY 1, 2, 3),
    attempts AS (
      -- Ended attempts and each running task's open one (what the view task_attempts_all holds),
      -- looked up per task for the same reason.
      SELECT r.team_id, date_trunc($4, a.started_at, 'UTC') AS at, t.pool, count(*)::int AS attempts,
             count(*) FILTER (WHERE a.attempt_number > 1)::int AS retries
        FROM runs r ${tasksOf('true', 't.id, t.pool, t.status, t.attempt_id, t.attempt_started_at, t.attempt_count')}
       CROSS JOIN LATERAL (
         SELECT a.started_at, a.attempt_number FROM task_attempts a
          WHERE a.task_run_id = t.id AND a.started_at >= $2 AND a.started_at < $3
         UNION ALL
         SELECT t.attempt_started_at, t.attempt_count
          WHERE t.status = 'running' AND t.attempt_id IS NOT NULL
            AND t.attempt_started_at >= $2 AND t.attempt_started_at < $3) a
       GROUP BY 1, 2, 3)
    SELECT team_id AS "teamId", at, pool,
           coalesce(e.succeeded, 0) AS "tasksSucceeded", coalesce(e.failed, 0) AS "tasksFailed",
           coalesce(e.ended, 0) AS "tasksEnded", coalesce(s.started, 0) AS "tasksStarted",
           coalesce(s.histogram, '{}'::jsonb) AS "waitHistogram",
           coalesce(a.attempts, 0) AS attempts, coalesce(a.retries, 0) AS retries
      FROM ended e FULL JOIN started s USING (team_id, at, pool)
      FULL JOIN attempts a USING (team_id, at, pool)`;
}

export const TASK_FIGURES_ALL_TEAMS = taskFiguresSql(false);

/** One team's task figures of [from, to), per `unit` bucket and pool, read from the task rows. */
export async function readTaskFigures(
  db: Queryable,
  teamId: string,
  range: { from: Date; to: Date; unit: 'minute' | 'hour' | 'day' },
): Promise<TaskFigures[]> {
  if (range.from >= range.to) return [];
  const { rows } = await db.query<TaskFigures>({
    name: 'dtss_task_figures_team',
    text: taskFiguresSql(true),
    values: [teamId, range.from, range.to, range.unit],
  });
  return rows;
}
