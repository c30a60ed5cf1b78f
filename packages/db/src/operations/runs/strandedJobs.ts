/**
 * A task's job locked by graphile-worker but never claimed: the worker took it and then never
 * heard the answer (Postgres stopped as the lock committed) or died between the lock and its claim
 * without being declared lost. A claim follows its lock within milliseconds, so a job locked far
 * longer while its task is still `queued` will never be claimed by that lock; left alone it would
 * wait for graphile-worker's 4-hour lock timeout, and its run with it. Found by the chaos suite.
 */
import type { Pool } from '../../pool';

/** How long a lock may stand without its claim before the job is handed out again. */
export const STRANDED_JOB_AFTER_MS = 30_000;

/**
 * Unlocks the jobs of `queued` tasks locked for longer than `afterMs`, so they are delivered again
 * (should the old lock still claim after the new one did, it finds the task running and leaves it
 * alone: see claimTask.ts, `firstDelivery`). Returns how many were unlocked.
 */
export async function unlockStrandedTaskJobs(
  pool: Pool,
  afterMs = STRANDED_JOB_AFTER_MS,
): Promise<number> {
  const { rowCount } = await pool.query(
    `UPDATE graphile_worker._private_jobs j
        SET locked_at = NULL, locked_by = NULL, run_at = greatest(j.run_at, now())
       FROM task_runs t
      WHERE j.locked_at < now() - $1::int * interval '1 millisecond'
        AND j.key LIKE 'task:%'
        AND t.id = substr(j.key, 6)::uuid
        AND t.status = 'queued'`,
    [afterMs],
  );
  return rowCount ?? 0;
}
