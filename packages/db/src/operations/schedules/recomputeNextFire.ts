// next_fire_at after a schedule is created, edited or resumed. Fires missed while it was paused
// count as missed: they follow its catch-up policy, like fires missed while the scheduler was down.
import { nextFireAfter } from '@dtss/core';
import type { Pool, PoolClient } from '../../pool';
import { cronSpec } from './cronSpecs';
import { notifyScheduler } from './notify';

export interface NextFireFacts {
  cron: string;
  timezone: string;
  enabled: boolean;
  startAt: Date | null;
  endAt: Date | null;
  lastFireAt: Date | null;
}

/** Null when disabled or when no instant is left before endAt. */
export function computeNextFireAt(s: NextFireFacts, now: Date): Date | null {
  if (!s.enabled) return null;
  const after = s.lastFireAt ?? now;
  return nextFireAfter(cronSpec(s.cron), s.timezone, after, { startAt: s.startAt, endAt: s.endAt });
}

/**
 * Recomputes and stores next_fire_at (and wakes the leader). `fromNow` ignores the last fire, for a
 * changed cron, time zone or start date: instants of the old timing are not caught up.
 */
export async function recomputeNextFire(
  db: Pool | PoolClient,
  scheduleId: string,
  opts: { now?: Date; fromNow?: boolean } = {},
): Promise<Date | null> {
  const { rows } = await db.query<NextFireFacts>(
    `SELECT cron, timezone, enabled, start_at AS "startAt", end_at AS "endAt",
            last_fire_at AS "lastFireAt" FROM schedules WHERE id = $1`,
    [scheduleId],
  );
  const row = rows[0];
  if (!row) return null;
  const now = opts.now ?? new Date();
  const last = row.lastFireAt && !opts.fromNow ? row.lastFireAt : null;
  const next = computeNextFireAt({ ...row, lastFireAt: last }, now);
  await db.query(
    `UPDATE schedules SET next_fire_at = $2, updated_at = now(),
            buffered_fire_at = CASE WHEN $2::timestamptz IS NULL THEN NULL ELSE buffered_fire_at END
      WHERE id = $1`,
    [scheduleId, next],
  );
  await notifyScheduler(db, `schedule:${scheduleId}`);
  return next;
}

/**
 * Enabled schedules without a next instant (stored before next_fire_at was maintained, or edited
 * by hand) get one; run by each new leader. Schedules past their end date stay without one.
 */
export async function fillMissingNextFires(pool: Pool, now: Date = new Date()): Promise<number> {
  const { rows } = await pool.query<NextFireFacts & { id: string }>(
    `SELECT id, cron, timezone, enabled, start_at AS "startAt", end_at AS "endAt",
            last_fire_at AS "lastFireAt"
       FROM schedules WHERE enabled AND next_fire_at IS NULL`,
  );
  let filled = 0;
  for (const row of rows) {
    const next = computeNextFireAt(row, now);
    if (!next) continue;
    const { rowCount } = await pool.query(
      `UPDATE schedules SET next_fire_at = $2, updated_at = now()
        WHERE id = $1 AND enabled AND next_fire_at IS NULL`,
      [row.id, next],
    );
    filled += rowCount ?? 0;
  }
  return filled;
}
