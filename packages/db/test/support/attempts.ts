// What the completion tests need again and again: the queued tasks of a run, and an attempt to
// close as the one-statement completion reads it.
import type { Pool } from '../../src';
import type { AttemptCloseRow } from '../../src/operations/runs/oneStatementCompletion';

/** Ids of the run's queued tasks, by task key. */
export async function queuedTaskIds(pool: Pool, runId: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM task_runs WHERE run_id = $1 AND status = 'queued' ORDER BY task_key`,
    [runId],
  );
  return rows.map((r) => r.id);
}

/** A claimed attempt closed as succeeded (unless `fields` say otherwise), with no output or log. */
export function closeRow(
  claimed: { attemptId: string; taskRunId: string },
  fields: Partial<AttemptCloseRow> = {},
): AttemptCloseRow {
  return {
    attempt_id: claimed.attemptId,
    task_run_id: claimed.taskRunId,
    status: 'succeeded',
    outcome: 'succeeded',
    exit_code: null,
    http_status: null,
    error: null,
    output: null,
    log_bytes: 0,
    log_lines: 0,
    log_truncated: false,
    ...fields,
  };
}
