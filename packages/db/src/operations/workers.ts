import type { Pool } from '../pool';

export type WorkerStatus = 'active' | 'draining' | 'stopped' | 'lost';

export interface WorkerRegistration {
  id: string;
  name: string;
  hostname: string;
  pid: number;
  version: string;
  pools: string[];
  concurrency: number;
  metadata?: Record<string, unknown>;
}

/** Inserts the worker row, or revives it when a process restarts with the same id. */
export async function registerWorker(pool: Pool, w: WorkerRegistration): Promise<void> {
  await pool.query(
    `INSERT INTO workers (id, name, hostname, pid, version, pools, concurrency, status,
                          started_at, last_heartbeat_at, running_tasks, metadata)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', now(), now(), 0, $8)
     ON CONFLICT (id) DO UPDATE
        SET name = EXCLUDED.name, hostname = EXCLUDED.hostname, pid = EXCLUDED.pid,
            version = EXCLUDED.version, pools = EXCLUDED.pools,
            concurrency = EXCLUDED.concurrency, status = 'active', started_at = now(),
            last_heartbeat_at = now(), stopped_at = NULL, running_tasks = 0,
            metadata = EXCLUDED.metadata`,
    [w.id, w.name, w.hostname, w.pid, w.version, w.pools, w.concurrency, w.metadata ?? {}],
  );
}

export interface HeartbeatAnswer {
  /** The status stored now. */
  status: WorkerStatus;
  /** The status before this beat: `lost` when the leader had declared the worker lost. */
  previousStatus: WorkerStatus;
}

/**
 * Records liveness and load; returns the status stored for the worker so that a drain requested
 * elsewhere (UI, API) reaches the process on its next beat, and the one before, so that a worker
 * declared lost while it was silent learns it (it is active again from this beat on). Null when
 * the row is gone.
 */
export async function heartbeatWorker(
  pool: Pool,
  id: string,
  runningTasks: number,
  /** Replaces the worker's metadata (learnt after it registered); omitted, it is kept. */
  metadata?: Record<string, unknown>,
): Promise<HeartbeatAnswer | null> {
  // The row is locked first to read the status this beat replaces (RETURNING sees only the new
  // one); NO KEY UPDATE is the lock the UPDATE takes anyway.
  const { rows } = await pool.query<HeartbeatAnswer>(
    `WITH before AS (SELECT status FROM workers WHERE id = $1 FOR NO KEY UPDATE)
     UPDATE workers w SET last_heartbeat_at = now(), running_tasks = $2,
            status = CASE WHEN w.status = 'lost' THEN 'active' ELSE w.status END,
            metadata = COALESCE($3::jsonb, w.metadata)
       FROM before
      WHERE w.id = $1
     RETURNING w.status, before.status AS "previousStatus"`,
    [id, runningTasks, metadata === undefined ? null : JSON.stringify(metadata)],
  );
  return rows[0] ?? null;
}

export async function setWorkerStatus(pool: Pool, id: string, status: WorkerStatus): Promise<void> {
  await pool.query(
    `UPDATE workers SET status = $2::"WorkerStatus",
            stopped_at = CASE WHEN $2::"WorkerStatus" = 'stopped' THEN now() ELSE stopped_at END,
            running_tasks = CASE WHEN $2::"WorkerStatus" = 'stopped' THEN 0 ELSE running_tasks END
      WHERE id = $1`,
    [id, status],
  );
}

export interface WorkerRow {
  id: string;
  name: string;
  hostname: string;
  pid: number;
  version: string;
  pools: string[];
  concurrency: number;
  runningTasks: number;
  status: WorkerStatus;
  startedAt: Date;
  lastHeartbeatAt: Date;
  stoppedAt: Date | null;
  /** Time since the last heartbeat by the database's clock (a browser's clock may be off). */
  silentForMs: number;
}

export interface ListWorkersOptions {
  /** Only workers that beat within this window and are neither stopped nor lost. */
  aliveWithinMs?: number;
  /**
   * Workers still running that beat within this window, and those that stopped or were lost
   * within it (a drain can be watched to its end, a lost worker stays in sight for a while).
   */
  recentWithinMs?: number;
  /** Only workers serving at least one of these pools (a team's: see teamPoolNames). */
  servingAnyOf?: string[];
}

const WORKER_COLUMNS = `id, name, hostname, pid, version, pools, concurrency,
       running_tasks AS "runningTasks", status, started_at AS "startedAt",
       last_heartbeat_at AS "lastHeartbeatAt", stopped_at AS "stoppedAt",
       floor(extract(epoch FROM now() - last_heartbeat_at) * 1000)::int AS "silentForMs"`;

/** Workers newest first (an order their status changes never reshuffle). */
export async function listWorkers(pool: Pool, opts: ListWorkersOptions = {}): Promise<WorkerRow[]> {
  const { rows } = await pool.query<WorkerRow>(
    `SELECT ${WORKER_COLUMNS}
       FROM workers
      WHERE ($1::int IS NULL
             OR (status IN ('active', 'draining')
                 AND last_heartbeat_at > now() - $1::int * interval '1 millisecond'))
        AND ($2::int IS NULL
             OR (status IN ('active', 'draining')
                 AND last_heartbeat_at > now() - $2::int * interval '1 millisecond')
             OR (status IN ('stopped', 'lost')
                 AND COALESCE(stopped_at, last_heartbeat_at)
                     > now() - $2::int * interval '1 millisecond'))
        AND ($3::text[] IS NULL OR pools && $3::text[])
      ORDER BY started_at DESC, id`,
    [opts.aliveWithinMs ?? null, opts.recentWithinMs ?? null, opts.servingAnyOf ?? null],
  );
  return rows;
}

/** One worker by id, whatever its status; null when no worker has that id. */
export async function findWorker(pool: Pool, id: string): Promise<WorkerRow | null> {
  const { rows } = await pool.query<WorkerRow>(
    `SELECT ${WORKER_COLUMNS} FROM workers WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}
