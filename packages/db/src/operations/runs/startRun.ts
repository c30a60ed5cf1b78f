import type { PoolClient } from '../../pool';
import { enqueueTaskJobs } from './jobs';
import type { RunChange } from './types';

/**
 * Moves a run from `queued` to `running`: its root tasks (no upstream) become `queued` and get
 * their jobs, in the caller's transaction. A run with no tasks ends at once as succeeded.
 */
export async function startRun(client: PoolClient, runId: string): Promise<RunChange[]> {
  const started = await client.query<{ tasks_total: number }>(
    `UPDATE workflow_runs SET status = 'running', started_at = now()
      WHERE id = $1 AND status = 'queued' RETURNING tasks_total`,
    [runId],
  );
  if (!started.rowCount) return [];
  const roots = await client.query<{ id: string; task_key: string }>(
    `UPDATE task_runs SET status = 'queued', queued_at = now()
      WHERE run_id = $1 AND status = 'pending' AND upstream_total = 0 RETURNING id, task_key`,
    [runId],
  );
  await enqueueTaskJobs(
    client,
    roots.rows.map((r) => r.id),
  );
  return [
    { status: 'running' },
    ...roots.rows.map((r) => ({ task: r.task_key, status: 'queued' as const })),
  ];
}
