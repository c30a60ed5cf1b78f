/**
 * The runs that ended in a time range, per team, time bucket and workflow: how many by final
 * status, and the durations of those that started (a histogram). Read from the covering index of
 * workflow_runs (team, finished_at, …); one query for the hourly rollup and for a dashboard's edges.
 */
import type { Pool } from '../pool';
import { teamScopeSql } from './teamScope';
import { waitBucketSql, type WaitHistogram } from './waitHistogram';

type Queryable = Pick<Pool, 'query'>;

export interface RunFigures {
  teamId: string;
  at: Date;
  workflowId: string;
  succeeded: number;
  failed: number;
  timedOut: number;
  cancelled: number;
  started: number;
  durationHistogram: WaitHistogram;
}

/** $1: the team (null: every team, unless `oneTeam`); $2, $3: the range; $4: the bucket unit. */
function runFiguresSql(oneTeam: boolean): string {
  const teams = teamScopeSql(oneTeam);
  return `
    WITH ends AS MATERIALIZED (
      SELECT r.team_id, date_trunc($4, r.finished_at, 'UTC') AS at, r.workflow_id, r.status,
             extract(epoch FROM r.finished_at - r.started_at) * 1000 AS ms
        FROM ${teams} CROSS JOIN LATERAL (
          SELECT team_id, finished_at, started_at, workflow_id, status FROM workflow_runs
           WHERE team_id = tm.id AND finished_at >= $2 AND finished_at < $3) r),
    counts AS (
      SELECT team_id, at, workflow_id,
             count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
             count(*) FILTER (WHERE status = 'failed')::int AS failed,
             count(*) FILTER (WHERE status = 'timed_out')::int AS timed_out,
             count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
             count(ms)::int AS started
        FROM ends GROUP BY 1, 2, 3),
    buckets AS (
      SELECT team_id, at, workflow_id, ${waitBucketSql('ms')} AS bucket, count(*)::int AS n
        FROM ends WHERE ms IS NOT NULL GROUP BY 1, 2, 3, 4),
    histograms AS (
      SELECT team_id, at, workflow_id, jsonb_object_agg(bucket, n) AS histogram
        FROM buckets GROUP BY 1, 2, 3)
    SELECT c.team_id AS "teamId", c.at, c.workflow_id AS "workflowId", c.succeeded, c.failed,
           c.timed_out AS "timedOut", c.cancelled, c.started,
           coalesce(h.histogram, '{}'::jsonb) AS "durationHistogram"
      FROM counts c LEFT JOIN histograms h USING (team_id, at, workflow_id)`;
}

export const RUN_FIGURES_ALL_TEAMS = runFiguresSql(false);

/** One team's runs that ended in [from, to), per `unit` bucket and workflow, from workflow_runs. */
export async function readRunFigures(
  db: Queryable,
  teamId: string,
  range: { from: Date; to: Date; unit: 'minute' | 'hour' | 'day' },
): Promise<RunFigures[]> {
  if (range.from >= range.to) return [];
  const { rows } = await db.query<RunFigures>({
    name: 'dtss_run_figures_team',
    text: runFiguresSql(true),
    values: [teamId, range.from, range.to, range.unit],
  });
  return rows;
}
