// Schedule, trigger and backfill changes wake the scheduler leader through this channel, so it
// never polls for them. The payload says what changed ("schedule:<id>", "backfill:<id>", ...).
import type { Pool, PoolClient } from '../../pool';

export const SCHEDULER_CHANNEL = 'dtss_schedules';

export async function notifyScheduler(db: Pool | PoolClient, what: string): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [SCHEDULER_CHANNEL, what]);
}
