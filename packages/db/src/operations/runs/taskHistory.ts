import type { Pool } from '../../pool';

export interface TaskDurationHistory {
  /** How many of the workflow's recent successful runs the medians come from. */
  runs: number;
  /** Median run duration (started → finished) over those runs; null without any. */
  runMedianMs: number | null;
  /** Per task key: medians of queued → started and started → finished of its successful runs. */
  tasks: Record<string, { waitMs: number; runMs: number; samples: number }>;
}

/**
 * Medians of the workflow's last `limit` successful runs (other than `excludeRunId`), per task:
 * what a forecast of a running run is built from. Uses the (workflow_id, created_at) index and
 * task_runs' run_id key: at most `limit` runs' tasks are read.
 */
export async function readTaskDurationHistory(
  pool: Pool,
  workflowId: string,
  opts: { limit?: number; excludeRunId?: string | null } = {},
): Promise<TaskDurationHistory> {
  const limit = opts.limit ?? 20;
  const { rows: runRows } = await pool.query<{ runs: number; median: number | null }>(
    `WITH recent AS (
       SELECT id, started_at, finished_at FROM workflow_runs
        WHERE workflow_id = $1 AND status = 'succeeded' AND id IS DISTINCT FROM $2::uuid
          AND started_at IS NOT NULL AND finished_at IS NOT NULL
        ORDER BY created_at DESC LIMIT $3)
     SELECT count(*)::int AS runs,
            percentile_cont(0.5) WITHIN GROUP (
              ORDER BY extract(epoch FROM finished_at - started_at) * 1000) AS median
       FROM recent`,
    [workflowId, opts.excludeRunId ?? null, limit],
  );
  const { rows } = await pool.query<{ key: string; wait: number; run: number; samples: number }>(
    `WITH recent AS (
       SELECT id FROM workflow_runs
        WHERE workflow_id = $1 AND status = 'succeeded' AND id IS DISTINCT FROM $2::uuid
          AND started_at IS NOT NULL AND finished_at IS NOT NULL
        ORDER BY created_at DESC LIMIT $3)
     SELECT t.task_key AS key,
            percentile_cont(0.5) WITHIN GROUP (
              ORDER BY extract(epoch FROM t.started_at - coalesce(t.queued_at, t.started_at)) * 1000
            ) AS wait,
            percentile_cont(0.5) WITHIN GROUP (
              ORDER BY extract(epoch FROM t.finished_at - t.started_at) * 1000) AS run,
            count(*)::int AS samples
       FROM recent r JOIN task_runs t ON t.run_id = r.id
      WHERE t.status = 'succeeded' AND t.started_at IS NOT NULL AND t.finished_at IS NOT NULL
      GROUP BY t.task_key`,
    [workflowId, opts.excludeRunId ?? null, limit],
  );
  const tasks: TaskDurationHistory['tasks'] = {};
  for (const r of rows)
    tasks[r.key] = {
      waitMs: Math.max(0, Math.round(Number(r.wait))),
      runMs: Math.max(0, Math.round(Number(r.run))),
      samples: r.samples,
    };
  const head = runRows[0];
  return {
    runs: head?.runs ?? 0,
    runMedianMs: head?.median == null ? null : Math.round(Number(head.median)),
    tasks,
  };
}
