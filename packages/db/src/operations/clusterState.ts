/**
 * The engine's state as Prometheus reads it at scrape time (the web process's `/metrics`): runs in
 * progress by status, tasks in the queue per pool and status with the queue's depth and its oldest
 * wait, workers by status with the stalest live heartbeat, and whether a scheduler leads. One
 * statement; every part is bounded by what is in flight, never by history:
 * - runs through the index on `workflow_runs.status`, for the statuses a run passes through only
 *   (finished runs are counted by the processes that finish them: `dtss_runs_finished_total`);
 * - tasks through their graphile-worker jobs (a task has one exactly while it is queued, waits for
 *   a retry or runs; see poolStats.ts), since task_runs has no index on status;
 * - workers and leases are small tables.
 * Labels are pools and statuses only: no team, workflow, run or task is named.
 */
import type { Pool } from '../pool';

export interface ClusterState {
  /** Runs now queued or running, by status (zero ones included). */
  runs: { status: string; count: number }[];
  /** Tasks with a job now, by pool and status (`queued`, `retry_wait`, `running`). */
  tasks: { pool: string; status: string; count: number }[];
  /** Per pool: tasks ready to run and not started (queued, or a retry whose back-off is over). */
  queues: { pool: string; depth: number; oldestAgeSeconds: number }[];
  /** Worker rows by status (zero ones included). */
  workers: { status: string; count: number }[];
  /** Seconds since the stalest `active` worker's last heartbeat (0 with none). */
  maxHeartbeatAgeSeconds: number;
  /** A scheduler holds an unexpired `scheduler` lease. */
  leaderPresent: boolean;
}

export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const;
export const QUEUED_TASK_STATUSES = ['queued', 'retry_wait', 'running'] as const;
export const WORKER_STATUSES = ['active', 'draining', 'lost', 'stopped'] as const;

interface Row {
  runs: { status: string; count: number }[] | null;
  tasks: { pool: string; status: string; count: number; ready: number; oldest: number | null }[];
  workers: { status: string; count: number }[] | null;
  heartbeat_age: number | null;
  leader: boolean;
}

export async function readClusterState(pool: Pool): Promise<ClusterState> {
  const { rows } = await pool.query<Row>({
    name: 'dtss_cluster_state',
    text: `SELECT
      (SELECT json_agg(json_build_object('status', s.status, 'count', s.n))
         FROM (SELECT status::text, count(*)::int AS n FROM workflow_runs
                WHERE status IN ('queued', 'running') GROUP BY status) s) AS runs,
      (SELECT COALESCE(json_agg(json_build_object('pool', q.pool, 'status', q.status,
                                 'count', q.n, 'ready', q.ready, 'oldest', q.oldest)), '[]')
         FROM (SELECT t.pool, t.status::text AS status, count(*)::int AS n,
                      count(*) FILTER (WHERE t.status = 'queued' OR t.next_attempt_at <= now())::int
                        AS ready,
                      extract(epoch FROM now() - min(
                        CASE WHEN t.status = 'retry_wait' THEN t.next_attempt_at
                             ELSE COALESCE(t.queued_at, t.created_at) END)
                        FILTER (WHERE t.status = 'queued' OR
                                (t.status = 'retry_wait' AND t.next_attempt_at <= now())))::float8
                        AS oldest
                 FROM graphile_worker.jobs j
                 JOIN task_runs t
                   ON t.id = CASE WHEN j.key LIKE 'task:%' THEN substr(j.key, 6)::uuid END
                WHERE j.task_identifier LIKE 'dtss:pool:%'
                  AND t.status IN ('queued', 'retry_wait', 'running')
                GROUP BY t.pool, t.status) q) AS tasks,
      (SELECT json_agg(json_build_object('status', w.status, 'count', w.n))
         FROM (SELECT status::text, count(*)::int AS n FROM workers GROUP BY status) w) AS workers,
      (SELECT extract(epoch FROM now() - min(last_heartbeat_at))::float8
         FROM workers WHERE status = 'active') AS heartbeat_age,
      EXISTS (SELECT 1 FROM leases WHERE name = 'scheduler' AND expires_at > now()) AS leader`,
  });
  const row = rows[0]!;
  const counted = (list: { status: string; count: number }[] | null, statuses: readonly string[]) =>
    statuses.map((status) => ({
      status,
      count: list?.find((r) => r.status === status)?.count ?? 0,
    }));
  const queues = new Map<string, { pool: string; depth: number; oldestAgeSeconds: number }>();
  for (const t of row.tasks) {
    const q = queues.get(t.pool) ?? { pool: t.pool, depth: 0, oldestAgeSeconds: 0 };
    if (t.status !== 'running') q.depth += t.ready;
    if (t.oldest !== null) q.oldestAgeSeconds = Math.max(q.oldestAgeSeconds, Math.max(0, t.oldest));
    queues.set(t.pool, q);
  }
  return {
    runs: counted(row.runs, ACTIVE_RUN_STATUSES),
    tasks: row.tasks.map(({ pool, status, count }) => ({ pool, status, count })),
    queues: [...queues.values()],
    workers: counted(row.workers, WORKER_STATUSES),
    maxHeartbeatAgeSeconds: Math.max(0, row.heartbeat_age ?? 0),
    leaderPresent: row.leader,
  };
}
