/**
 * Cancelling a run: tasks that have not started are cancelled at once (and their jobs removed);
 * running ones are told through NOTIFY, and their workers kill the processes and close the
 * attempts as cancelled. The run ends as `cancelled` when its last task has ended.
 */
import type { Pool } from '../../pool';
import { engineEvents } from '../../observe';
import { withTransaction } from '../../transaction';
import { countTerminal, propagate } from './propagate';
import { removeTaskJobs } from './jobs';
import { notifyRunChanges } from './notify';
import { CANCEL_CHANNEL, type RunChange } from './types';

export interface CancelRunResult {
  /** false when the run had already ended (or does not exist). */
  accepted: boolean;
  /** Tasks still running, whose workers were asked to stop them. */
  stopping: number;
}

export async function cancelRun(pool: Pool, runId: string): Promise<CancelRunResult> {
  const done = await withTransaction(pool, async (client) => {
    // Past its deadline, a cancelled run ends as timed_out (see countTerminal).
    const run = await client.query(
      `UPDATE workflow_runs SET cancel_requested_at = COALESCE(cancel_requested_at, now()),
              error = CASE WHEN timeout_at <= now() THEN 'the run exceeded its runTimeout'
                           ELSE error END
        WHERE id = $1 AND status IN ('queued', 'running') RETURNING trigger_kind`,
      [runId],
    );
    if (!run.rowCount) return { accepted: false, stopping: 0, ended: null };
    // `always` tasks (cleanup) are spared: they still run once their upstream tasks have ended.
    const cancelled = await client.query<{
      id: string;
      task_key: string;
      downstream_keys: string[];
    }>(
      `UPDATE task_runs SET status = 'cancelled', finished_at = now()
        WHERE run_id = $1 AND status IN ('pending', 'queued', 'retry_wait')
          AND trigger_rule <> 'always'
       RETURNING id, task_key, downstream_keys`,
      [runId],
    );
    await removeTaskJobs(
      client,
      cancelled.rows.map((r) => r.id),
    );
    const running = await client.query<{ id: string }>(
      `SELECT id FROM task_runs WHERE run_id = $1 AND status = 'running'`,
      [runId],
    );
    const changes: RunChange[] = cancelled.rows.map((r) => ({
      task: r.task_key,
      status: 'cancelled',
    }));
    // Cancelled counts as failed upstream: spared `always` tasks learn their upstream has ended.
    const skipped = await propagate(
      client,
      runId,
      'failed',
      cancelled.rows.flatMap((r) => r.downstream_keys),
      changes,
    );
    await countTerminal(client, runId, (cancelled.rowCount ?? 0) + skipped, 0, changes);
    if (running.rowCount) {
      await client.query('SELECT pg_notify($1, $2)', [
        CANCEL_CHANNEL,
        JSON.stringify({ runId, taskRunIds: running.rows.map((r) => r.id) }),
      ]);
    }
    await notifyRunChanges(client, runId, changes);
    // Nothing was running: the run ended here (its status is the last run-level change).
    const end = [...changes].reverse().find((c) => !c.task);
    return {
      accepted: true,
      stopping: running.rowCount ?? 0,
      ended: end ? { status: end.status, triggerKind: run.rows[0]!.trigger_kind as string } : null,
    };
  });
  if (done.ended) engineEvents.runFinished(done.ended.status, done.ended.triggerKind, runId);
  return { accepted: done.accepted, stopping: done.stopping };
}
