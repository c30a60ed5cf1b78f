import type { Pool } from '../../pool';
import { cancelRun } from './cancelRun';

/**
 * Housekeeping (scheduler leader): runs past their `runTimeout` are stopped like a cancel and end
 * as `timed_out`. Returns how many it stopped.
 */
export async function timeOutRuns(pool: Pool, limit = 100): Promise<number> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM workflow_runs
      WHERE status IN ('queued', 'running') AND timeout_at <= now() AND cancel_requested_at IS NULL
      ORDER BY timeout_at LIMIT $1`,
    [limit],
  );
  let stopped = 0;
  for (const { id } of rows) if ((await cancelRun(pool, id)).accepted) stopped++;
  return stopped;
}
