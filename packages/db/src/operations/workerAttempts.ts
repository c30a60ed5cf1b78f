/**
 * A worker's recent attempts, as one team may see them: only attempts of that team's runs (a
 * worker serves every team). Read for the workers page.
 */
import type { Pool } from '../pool';

export interface WorkerAttemptRow {
  attemptId: string;
  runId: string;
  runNumber: number;
  workflowName: string;
  taskKey: string;
  attemptNumber: number;
  status: 'running' | 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'lost';
  startedAt: Date;
  finishedAt: Date | null;
  exitCode: number | null;
  httpStatus: number | null;
  /** The attempt's error, cut to ERROR_CHARS (the run page has it whole). */
  error: string | null;
}

export interface WorkerAttempts {
  attempts: WorkerAttemptRow[];
  /**
   * Fewer than `limit` attempts were found and the search stopped at the worker's latest
   * `scanLimit` attempts: older ones of the team may exist.
   */
  scanLimitReached: boolean;
}

/**
 * How many of a worker's latest ended attempts are searched for the team's. A busy worker serving
 * many teams may have run millions: a team with none among them would otherwise read them all.
 */
export const WORKER_ATTEMPTS_SCAN_LIMIT = 10_000;
const ERROR_CHARS = 300;

/**
 * Newest first: the attempts the worker runs now for the team's runs (open attempts live on their
 * task's row, found through the team's running runs: task_runs has no index on the worker, so its
 * updates stay in place), then its ended attempts along task_attempts(worker_id, started_at DESC),
 * read until `limit` of them are the team's, at most `scanLimit` of them.
 */
export async function listWorkerAttempts(
  pool: Pool,
  opts: { workerId: string; teamId: string; limit: number; scanLimit?: number },
): Promise<WorkerAttempts> {
  const scanLimit = opts.scanLimit ?? WORKER_ATTEMPTS_SCAN_LIMIT;
  const { rows } = await pool.query<WorkerAttemptRow>({
    name: 'dtss_worker_attempts',
    text: `SELECT x.id AS "attemptId", x.run_id AS "runId", x.number AS "runNumber",
                  w.name AS "workflowName", t.task_key AS "taskKey",
                  x.attempt_number AS "attemptNumber", x.status, x.started_at AS "startedAt",
                  x.finished_at AS "finishedAt", x.exit_code AS "exitCode",
                  x.http_status AS "httpStatus", left(x.error, ${ERROR_CHARS}) AS error
             FROM (SELECT t.attempt_id AS id, t.id AS task_run_id, t.run_id, r.number,
                          r.workflow_id, t.attempt_count AS attempt_number,
                          'running'::"AttemptStatus" AS status, t.attempt_started_at AS started_at,
                          NULL::timestamptz AS finished_at, NULL::int AS exit_code,
                          NULL::int AS http_status, NULL::text AS error
                     FROM workflow_runs r JOIN task_runs t ON t.run_id = r.id
                    WHERE r.team_id = $2 AND r.status = 'running' AND t.status = 'running'
                      AND t.worker_id = $1 AND t.attempt_id IS NOT NULL
                   UNION ALL
                   (SELECT a.id, a.task_run_id, a.run_id, r.number, r.workflow_id,
                           a.attempt_number, a.status, a.started_at, a.finished_at, a.exit_code,
                           a.http_status, a.error
                      FROM (SELECT * FROM task_attempts WHERE worker_id = $1
                             ORDER BY started_at DESC LIMIT $4) a
                      JOIN workflow_runs r ON r.id = a.run_id
                     WHERE r.team_id = $2
                     ORDER BY a.started_at DESC LIMIT $3)) x
             JOIN task_runs t ON t.id = x.task_run_id
             JOIN workflows w ON w.id = x.workflow_id
            ORDER BY x.started_at DESC, x.id
            LIMIT $3`,
    values: [opts.workerId, opts.teamId, opts.limit, scanLimit],
  });
  let scanLimitReached = false;
  if (rows.length < opts.limit) {
    // The search read all of the worker's latest attempts: were there more than it reads?
    const { rows: counted } = await pool.query<{ n: number }>({
      name: 'dtss_worker_attempts_scanned',
      text: `SELECT count(*)::int AS n FROM (SELECT 1 FROM task_attempts WHERE worker_id = $1
              ORDER BY started_at DESC LIMIT $2) a`,
      values: [opts.workerId, scanLimit + 1],
    });
    scanLimitReached = (counted[0]?.n ?? 0) > scanLimit;
  }
  return { attempts: rows, scanLimitReached };
}
