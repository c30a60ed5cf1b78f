/**
 * Per-team retention (teams.log_retention_days, teams.run_retention_days; NULL keeps forever): the
 * log lines of runs finished longer ago than the first, and whole finished runs (tasks, attempts,
 * logs, by the foreign keys' cascades) older than the second. Each call is one small statement on
 * one team, so the caller can pace them and the engine never waits behind a long delete: finished
 * runs are rows no worker touches, and each batch is bounded by its tasks, not only its runs (a
 * 1,000-task fan-out is a big run).
 */
import type { Pool } from '../pool';

type Queryable = Pick<Pool, 'query'>;

export interface RetentionTeam {
  id: string;
  logRetentionDays: number | null;
  runRetentionDays: number | null;
}

export interface RetentionBatchLimits {
  /** At most this many runs per statement. */
  runs: number;
  /** And at most this many of their tasks (a single bigger run still goes alone). */
  tasks: number;
}

export const RETENTION_BATCH: RetentionBatchLimits = { runs: 200, tasks: 2_000 };

/** Teams with something to prune, by their settings. */
export async function readRetentionTeams(pool: Pool): Promise<RetentionTeam[]> {
  const { rows } = await pool.query<RetentionTeam>({
    name: 'retention_teams',
    text: `SELECT id, log_retention_days AS "logRetentionDays", run_retention_days AS "runRetentionDays"
             FROM teams
            WHERE log_retention_days IS NOT NULL OR run_retention_days IS NOT NULL
            ORDER BY id`,
  });
  return rows;
}

/**
 * Deletes the log lines of the next runs (by finished_at, id, after where the last call got to)
 * that finished more than the team's log retention ago, and moves the team's cursor past them.
 * Returns how many runs it went through (0: the team's logs are pruned up to its cutoff).
 */
export async function pruneExpiredLogs(
  pool: Pool,
  teamId: string,
  limits: RetentionBatchLimits = RETENTION_BATCH,
): Promise<{ runs: number; chunks: number }> {
  const { rows } = await pool.query<{ runs: number; chunks: number }>({
    name: 'retention_prune_logs',
    text: `WITH team AS (
             SELECT id, now() - make_interval(days => log_retention_days) AS cutoff,
                    coalesce(logs_pruned_finished_at, '-infinity') AS after_at,
                    coalesce(logs_pruned_run_id, '00000000-0000-0000-0000-000000000000') AS after_id
               FROM teams WHERE id = $1 AND log_retention_days IS NOT NULL
           ), candidates AS (
             SELECT r.id, r.finished_at, r.tasks_total
               FROM workflow_runs r, team
              WHERE r.team_id = team.id
                AND r.finished_at >= team.after_at AND r.finished_at < team.cutoff
                AND (r.finished_at, r.id) > (team.after_at, team.after_id)
              ORDER BY r.finished_at, r.id
              LIMIT $2
           ), batch AS (
             SELECT id, finished_at FROM (
               SELECT id, finished_at, sum(tasks_total) OVER (ORDER BY finished_at, id) AS upto,
                      row_number() OVER (ORDER BY finished_at, id) AS n
                 FROM candidates) c
              WHERE upto <= $3 OR n = 1
           ), gone AS (
             DELETE FROM log_chunks l USING batch WHERE l.run_id = batch.id RETURNING 1
           ), last AS (
             SELECT id, finished_at FROM batch ORDER BY finished_at DESC, id DESC LIMIT 1
           ), moved AS (
             UPDATE teams t SET logs_pruned_finished_at = last.finished_at, logs_pruned_run_id = last.id
               FROM last WHERE t.id = $1 RETURNING 1
           )
           SELECT (SELECT count(*)::int FROM batch) AS runs,
                  (SELECT count(*)::int FROM gone) AS chunks,
                  (SELECT count(*)::int FROM moved) AS moved`,
    values: [teamId, limits.runs, limits.tasks],
  });
  const r = rows[0]!;
  return { runs: r.runs, chunks: r.chunks };
}

/**
 * Deletes the team's next finished runs older than its run retention, with everything under them.
 * Returns how many runs and tasks went (0 runs: nothing older is left).
 */
export async function pruneExpiredRuns(
  pool: Pool,
  teamId: string,
  limits: RetentionBatchLimits = RETENTION_BATCH,
): Promise<{ runs: number; tasks: number }> {
  const { rows } = await pool.query<{ runs: number; tasks: number }>({
    name: 'retention_prune_runs',
    text: `WITH team AS (
             SELECT id, now() - make_interval(days => run_retention_days) AS cutoff
               FROM teams WHERE id = $1 AND run_retention_days IS NOT NULL
           ), candidates AS (
             SELECT r.id, r.finished_at, r.tasks_total
               FROM workflow_runs r, team
              WHERE r.team_id = team.id AND r.finished_at < team.cutoff
                AND r.status IN ('succeeded', 'failed', 'cancelled', 'timed_out')
              ORDER BY r.finished_at
              LIMIT $2
              FOR UPDATE OF r SKIP LOCKED
           ), batch AS (
             SELECT id, tasks_total FROM (
               SELECT id, tasks_total, sum(tasks_total) OVER (ORDER BY finished_at, id) AS upto,
                      row_number() OVER (ORDER BY finished_at, id) AS n
                 FROM candidates) c
              WHERE upto <= $3 OR n = 1
           ), gone AS (
             DELETE FROM workflow_runs r USING batch WHERE r.id = batch.id RETURNING batch.tasks_total
           )
           SELECT count(*)::int AS runs, coalesce(sum(tasks_total), 0)::int AS tasks FROM gone`,
    values: [teamId, limits.runs, limits.tasks],
  });
  return rows[0]!;
}

export interface TeamRetention {
  logRetentionDays: number | null;
  runRetentionDays: number | null;
}

/** A team's retention settings (days; null keeps forever). */
export async function readTeamRetention(
  db: Queryable,
  teamId: string,
): Promise<TeamRetention | null> {
  const { rows } = await db.query<TeamRetention>(
    `SELECT log_retention_days AS "logRetentionDays", run_retention_days AS "runRetentionDays"
       FROM teams WHERE id = $1`,
    [teamId],
  );
  return rows[0] ?? null;
}

/**
 * Changes a team's retention; returns the settings before and after (null: no such team). The log
 * cursor stays: runs it passed are older than any cutoff it has seen, and their lines are gone
 * whatever the new setting says.
 */
export async function setTeamRetention(
  db: Queryable,
  teamId: string,
  days: TeamRetention,
): Promise<{ before: TeamRetention; after: TeamRetention } | null> {
  const { rows } = await db.query<
    TeamRetention & { beforeLogs: number | null; beforeRuns: number | null }
  >(
    `UPDATE teams t SET log_retention_days = $2, run_retention_days = $3, updated_at = now()
       FROM (SELECT id, log_retention_days, run_retention_days FROM teams WHERE id = $1 FOR UPDATE) old
      WHERE t.id = old.id
      RETURNING t.log_retention_days AS "logRetentionDays", t.run_retention_days AS "runRetentionDays",
                old.log_retention_days AS "beforeLogs", old.run_retention_days AS "beforeRuns"`,
    [teamId, days.logRetentionDays, days.runRetentionDays],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    before: { logRetentionDays: row.beforeLogs, runRetentionDays: row.beforeRuns },
    after: { logRetentionDays: row.logRetentionDays, runRetentionDays: row.runRetentionDays },
  };
}
