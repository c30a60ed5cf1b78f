import 'server-only';
import { listWorkers, readDatabaseHealth, type DatabaseHealth, type WorkerRow } from '@dtss/db';
import { getPool } from './db';

export interface Health {
  status: 'ok' | 'degraded';
  version: string;
  uptimeSeconds: number;
  time: string;
  database: DatabaseHealth;
  /** Workers that heartbeat within the liveness window. */
  workers: Pick<WorkerRow, 'name' | 'hostname' | 'pid' | 'pools' | 'status' | 'lastHeartbeatAt'>[];
}

// Three missed beats at the default 5 s interval.
const WORKER_LIVENESS_MS = 15_000;

export async function readHealth(): Promise<Health> {
  let database: DatabaseHealth;
  try {
    database = await readDatabaseHealth(getPool());
  } catch (err) {
    database = { ok: false, latencyMs: 0, error: (err as Error).message };
  }
  const workers = database.ok
    ? (await listWorkers(getPool(), { aliveWithinMs: WORKER_LIVENESS_MS }).catch(() => [])).map(
        ({ name, hostname, pid, pools, status, lastHeartbeatAt }) => ({
          name,
          hostname,
          pid,
          pools,
          status,
          lastHeartbeatAt,
        }),
      )
    : [];
  return {
    status: database.ok ? 'ok' : 'degraded',
    version: process.env.npm_package_version ?? '0.1.0',
    uptimeSeconds: Math.round(process.uptime()),
    time: new Date().toISOString(),
    database,
    workers,
  };
}
