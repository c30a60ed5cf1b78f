import type { JsonValue } from '@dtss/core';
import type { Pool } from '../../pool';
import type { RunView, TaskAttemptView, TaskRunView } from './types';

/** A run with its tasks (by key) and every attempt; null when it does not exist. */
export async function getRun(pool: Pool, runId: string): Promise<RunView | null> {
  if (!/^[0-9a-f-]{36}$/i.test(runId)) return null;
  // One snapshot for the three reads: a run never shows as ended next to a task still running.
  const client = await pool.connect();
  const runQ = () =>
    client.query<Omit<RunView, 'tasks'>>(
      `SELECT r.id, r.number, r.team_id AS "teamId", r.workflow_id AS "workflowId",
            w.name AS "workflowName", v.version, r.workflow_version_id AS "versionId", r.status, r.trigger_kind AS "triggerKind",
            r.params, r.logical_date AS "logicalDate", r.created_at AS "createdAt",
            r.started_at AS "startedAt", r.finished_at AS "finishedAt", r.error
       FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id
       JOIN workflow_versions v ON v.id = r.workflow_version_id
      WHERE r.id = $1`,
      [runId],
    );
  const tasksQ = () =>
    client.query<Omit<TaskRunView, 'attemptHistory'> & { id: string }>(
      `SELECT id, task_key AS key, status, kind, pool, attempt_count AS attempts,
            max_attempts AS "maxAttempts", queued_at AS "queuedAt", started_at AS "startedAt",
            finished_at AS "finishedAt", next_attempt_at AS "nextAttemptAt", output, error
       FROM task_runs WHERE run_id = $1 ORDER BY created_at, task_key`,
      [runId],
    );
  const attemptsQ = () =>
    client.query<TaskAttemptView & { taskRunId: string }>(
      // Per task (a lateral lookup that OFFSET 0 keeps from being flattened): joined as a set,
      // the planner read all of task_attempts and task_runs once they were large (300 ms at a
      // million attempts, for a run of one task).
      `SELECT t.id AS "taskRunId", a.attempt_number AS number, a.status, a.worker_id AS "workerId",
            a.started_at AS "startedAt", a.finished_at AS "finishedAt", a.exit_code AS "exitCode",
            a.http_status AS "httpStatus", a.error
       FROM task_runs t
       CROSS JOIN LATERAL (SELECT * FROM task_attempts_all a WHERE a.task_run_id = t.id OFFSET 0) a
      WHERE t.run_id = $1 ORDER BY a.attempt_number`,
      [runId],
    );
  let run, tasks, attempts;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    run = await runQ();
    tasks = await tasksQ();
    attempts = await attemptsQ();
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  const row = run.rows[0];
  if (!row) return null;
  const byTask = new Map<string, TaskAttemptView[]>();
  for (const { taskRunId, ...a } of attempts.rows) {
    byTask.set(taskRunId, [...(byTask.get(taskRunId) ?? []), a]);
  }
  return {
    ...row,
    params: row.params as Record<string, JsonValue>,
    tasks: tasks.rows.map(({ id, ...t }) => ({ ...t, attemptHistory: byTask.get(id) ?? [] })),
  };
}
