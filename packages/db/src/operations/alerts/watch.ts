// What the leader reads to evaluate alert rules: runs that ended since a cursor, active runs (for
// deadlines), recent successful durations, tasks retried many times, lost workers. Each reads one
// team through the indexes the run pages use; pools come from poolStats.ts.
import type { Pool } from '../../pool';

export interface EndedRun {
  id: string;
  number: number;
  workflowId: string;
  workflowName: string;
  status: 'succeeded' | 'failed' | 'cancelled' | 'timed_out';
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date;
  logicalDate: Date | null;
  /** The final status of the workflow's run before this one (by creation), if any. */
  previousStatus: string | null;
  /**
   * The first run (by creation) that did not succeed since the workflow's last success before
   * this one: a streak of failures is one incident.
   */
  firstFailedRunId: string;
  /** Tasks of this run that failed or timed out (at most 10). */
  failedTasks: string[];
}

/** Runs of the team that ended after `since`, oldest end first (at most `limit`). */
export async function readEndedRuns(
  pool: Pool,
  teamId: string,
  since: Date,
  limit = 500,
): Promise<EndedRun[]> {
  const { rows } = await pool.query<EndedRun>(
    `SELECT r.id, r.number, r.workflow_id AS "workflowId", w.name AS "workflowName", r.status,
            r.created_at AS "createdAt", r.started_at AS "startedAt", r.finished_at AS "finishedAt",
            r.logical_date AS "logicalDate",
            (SELECT p.status FROM workflow_runs p
              WHERE p.workflow_id = r.workflow_id AND p.created_at < r.created_at
                AND p.status IN ('succeeded', 'failed', 'cancelled', 'timed_out')
              ORDER BY p.created_at DESC LIMIT 1) AS "previousStatus",
            COALESCE((SELECT s.id FROM workflow_runs s
                       WHERE s.workflow_id = r.workflow_id AND s.created_at <= r.created_at
                         AND s.status IN ('failed', 'cancelled', 'timed_out')
                         AND s.created_at > COALESCE(
                               (SELECT max(p.created_at) FROM workflow_runs p
                                 WHERE p.workflow_id = r.workflow_id AND p.created_at < r.created_at
                                   AND p.status = 'succeeded'), '-infinity')
                       ORDER BY s.created_at LIMIT 1), r.id) AS "firstFailedRunId",
            ARRAY(SELECT t.task_key FROM task_runs t
                   WHERE t.run_id = r.id AND t.status IN ('failed', 'timed_out')
                   ORDER BY t.task_key LIMIT 10) AS "failedTasks"
       FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id
      WHERE r.team_id = $1 AND r.finished_at > $2
      ORDER BY r.finished_at, r.id
      LIMIT $3`,
    [teamId, since, limit],
  );
  return rows;
}

export interface ActiveRun {
  id: string;
  number: number;
  workflowId: string;
  workflowName: string;
  status: 'queued' | 'running';
  createdAt: Date;
  startedAt: Date | null;
  logicalDate: Date | null;
}

/** The team's queued and running runs. */
export async function readActiveRuns(pool: Pool, teamId: string): Promise<ActiveRun[]> {
  const { rows } = await pool.query<ActiveRun>(
    `SELECT r.id, r.number, r.workflow_id AS "workflowId", w.name AS "workflowName", r.status,
            r.created_at AS "createdAt", r.started_at AS "startedAt", r.logical_date AS "logicalDate"
       FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id
      WHERE r.team_id = $1 AND r.status IN ('queued', 'running')`,
    [teamId],
  );
  return rows;
}

/** Durations (ms) of the workflow's last `limit` successful runs, newest first. */
export async function readSuccessfulDurations(
  pool: Pool,
  workflowId: string,
  limit: number,
): Promise<number[]> {
  const { rows } = await pool.query<{ ms: number }>(
    `SELECT (extract(epoch FROM finished_at - started_at) * 1000)::float8 AS ms
       FROM workflow_runs
      WHERE workflow_id = $1 AND status = 'succeeded' AND started_at IS NOT NULL
      ORDER BY created_at DESC LIMIT $2`,
    [workflowId, limit],
  );
  return rows.map((r) => r.ms);
}

export interface RetriedTask {
  runId: string;
  runNumber: number;
  workflowId: string;
  workflowName: string;
  taskKey: string;
  attempts: number;
  status: string;
}

/** Tasks of the team's running runs with at least `minAttempts` attempts. */
export async function readRetriedTasks(
  pool: Pool,
  teamId: string,
  minAttempts: number,
): Promise<RetriedTask[]> {
  const { rows } = await pool.query<RetriedTask>(
    `SELECT r.id AS "runId", r.number AS "runNumber", r.workflow_id AS "workflowId",
            w.name AS "workflowName", t.task_key AS "taskKey", t.attempt_count AS attempts, t.status
       FROM workflow_runs r
       JOIN workflows w ON w.id = r.workflow_id
       JOIN task_runs t ON t.run_id = r.id
      WHERE r.team_id = $1 AND r.status = 'running' AND t.attempt_count >= $2`,
    [teamId, minAttempts],
  );
  return rows;
}

export interface LostWorker {
  id: string;
  name: string;
  pools: string[];
  status: string;
  lastHeartbeatAt: Date;
}

/** Workers declared lost whose last heartbeat is after `since`. */
export async function readLostWorkers(pool: Pool, since: Date): Promise<LostWorker[]> {
  const { rows } = await pool.query<LostWorker>(
    `SELECT id, name, pools, status, last_heartbeat_at AS "lastHeartbeatAt"
       FROM workers WHERE status = 'lost' AND last_heartbeat_at > $1`,
    [since],
  );
  return rows;
}

/** The current status of these workers (a lost worker that came back is active again). */
export async function readWorkerStatuses(pool: Pool, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await pool.query<{ id: string; status: string }>(
    'SELECT id, status FROM workers WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.status]));
}

/** The status and end of these runs (an incident tied to a run clears when it ends). */
export async function readRunEnds(
  pool: Pool,
  ids: string[],
): Promise<Map<string, { status: string; number: number; finishedAt: Date | null }>> {
  if (ids.length === 0) return new Map();
  const { rows } = await pool.query<{
    id: string;
    status: string;
    number: number;
    finishedAt: Date | null;
  }>(
    `SELECT id, status, number, finished_at AS "finishedAt" FROM workflow_runs WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}
