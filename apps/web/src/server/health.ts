import 'server-only';
import { readDatabaseHealth, type DatabaseHealth } from '@dtss/db';
import { getPool } from './db';

export interface Health {
  status: 'ok' | 'degraded';
  version: string;
  uptimeSeconds: number;
  time: string;
  database: DatabaseHealth;
}

export async function readHealth(): Promise<Health> {
  let database: DatabaseHealth;
  try {
    database = await readDatabaseHealth(getPool());
  } catch (err) {
    database = { ok: false, latencyMs: 0, error: (err as Error).message };
  }
  return {
    status: database.ok ? 'ok' : 'degraded',
    version: process.env.npm_package_version ?? '0.1.0',
    uptimeSeconds: Math.round(process.uptime()),
    time: new Date().toISOString(),
    database,
  };
}
