/**
 * Fixed-window rate limits kept in the database, so every web process counts against the same
 * limit (sign-in attempts per email and IP, events published per team). One statement per hit.
 */
import type { Pool } from '../pool';

type Queryable = Pick<Pool, 'query'>;

export interface RateLimitRule {
  /** Hits allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Hits left in the current window (0 when refused). */
  remaining: number;
  /** When the window ends; a refused caller may retry then. */
  retryAfterMs: number;
}

/** Counts one hit for `key` and says whether it is within the rule. */
export async function hitRateLimit(
  db: Queryable,
  key: string,
  rule: RateLimitRule,
): Promise<RateLimitResult> {
  // A window that has ended starts over at this hit; the row is upserted atomically, so two
  // processes hitting at once both count. (expires_at is stored to the millisecond, so the wait
  // is clamped to the window.)
  const { rows } = await db.query<{ count: number; retry_ms: string }>(
    `INSERT INTO rate_limits (key, window_start, count, expires_at)
     VALUES ($1, now(), 1, now() + $2::bigint * interval '1 millisecond')
     ON CONFLICT (key) DO UPDATE
        SET window_start = CASE WHEN rate_limits.expires_at <= now() THEN now()
                                ELSE rate_limits.window_start END,
            count = CASE WHEN rate_limits.expires_at <= now() THEN 1
                         ELSE rate_limits.count + 1 END,
            expires_at = CASE WHEN rate_limits.expires_at <= now()
                              THEN now() + $2::bigint * interval '1 millisecond'
                              ELSE rate_limits.expires_at END
     RETURNING count, LEAST($2::bigint, GREATEST(0, ceil(extract(epoch FROM expires_at - now()) * 1000)))::text AS retry_ms`,
    [key, rule.windowMs],
  );
  const row = rows[0]!;
  return {
    allowed: row.count <= rule.limit,
    remaining: Math.max(0, rule.limit - row.count),
    retryAfterMs: Number(row.retry_ms),
  };
}

/** Forgets a key's count (e.g. after a successful sign-in). */
export async function resetRateLimit(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM rate_limits WHERE key = $1', [key]);
}

/** Deletes rows whose window has ended; returns how many. */
export async function pruneRateLimits(db: Queryable): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM rate_limits WHERE expires_at <= now()');
  return rowCount ?? 0;
}
