// Cancelling a backfill: it stops creating runs at once, and its active runs are cancelled.
import type { Pool } from '../../pool';
import { cancelRun } from '../runs/cancelRun';
import { backfillRefSchema, parseBackfillInput, type BackfillRef } from './types';

export interface CancelBackfillResult {
  /** false when it had already ended (or does not exist). */
  accepted: boolean;
  /** Its runs that were cancelled (or asked to stop). */
  cancelledRuns: number;
}

export async function cancelBackfill(
  pool: Pool,
  input: BackfillRef,
): Promise<CancelBackfillResult> {
  const { teamId, backfillId } = parseBackfillInput(backfillRefSchema, input);
  // The status changes first: from here the leader creates no run for it (its cursor update is
  // guarded by status = 'running', and cancels a run it created in the meantime).
  const { rowCount } = await pool.query(
    `UPDATE backfills SET status = 'cancelled', cursor = NULL, finished_at = now(), updated_at = now()
      WHERE id = $1 AND team_id = $2 AND status = 'running'`,
    [backfillId, teamId],
  );
  if (!rowCount) return { accepted: false, cancelledRuns: 0 };
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM workflow_runs WHERE backfill_id = $1 AND status IN ('queued', 'running')`,
    [backfillId],
  );
  let cancelledRuns = 0;
  for (const { id } of rows) if ((await cancelRun(pool, id)).accepted) cancelledRuns += 1;
  return { accepted: true, cancelledRuns };
}
