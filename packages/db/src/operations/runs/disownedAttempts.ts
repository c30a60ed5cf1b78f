/**
 * Which of the attempts a worker is executing are no longer its own: the database no longer has
 * their task `running` that attempt on that worker. The leader swept them when it declared the
 * worker lost, a redelivered job gave the task to another worker, or the task ended otherwise. Their
 * outcome is decided; the worker stops their processes and records nothing for them.
 */
import type { Pool } from '../../pool';

export interface HeldAttempt {
  taskRunId: string;
  attemptId: string;
}

/** One statement, by primary key, whatever the number of attempts; returns the disowned ids. */
export async function findDisownedAttempts(
  pool: Pool,
  workerId: string,
  attempts: readonly HeldAttempt[],
): Promise<string[]> {
  if (attempts.length === 0) return [];
  const { rows } = await pool.query<{ attempt_id: string }>({
    name: 'dtss_disowned_attempts',
    text: `SELECT a.attempt_id
             FROM unnest($1::uuid[], $2::uuid[]) AS a(task_run_id, attempt_id)
            WHERE NOT EXISTS (
                    SELECT 1 FROM task_runs t
                     WHERE t.id = a.task_run_id AND t.status = 'running'
                       AND t.attempt_id = a.attempt_id AND t.worker_id = $3::uuid)`,
    values: [attempts.map((a) => a.taskRunId), attempts.map((a) => a.attemptId), workerId],
  });
  return rows.map((r) => r.attempt_id);
}
