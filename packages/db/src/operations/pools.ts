import type { Pool } from '../pool';

/** Cluster-wide slot limits of pools (pools without a row, or with null slots, are unlimited). */
export async function readPoolLimits(pool: Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ name: string; slots: number }>(
    'SELECT name, slots FROM pools WHERE slots IS NOT NULL',
  );
  return new Map(rows.map((r) => [r.name, r.slots]));
}

/** Sets (or with null, removes) the limit of a pool. */
export async function setPoolLimit(
  pool: Pool,
  name: string,
  slots: number | null,
  description?: string,
): Promise<void> {
  if (slots !== null && (!Number.isInteger(slots) || slots < 1)) {
    throw new Error(`pool slots must be a positive integer or null, got ${slots}`);
  }
  await pool.query(
    `INSERT INTO pools (name, slots, description) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET slots = EXCLUDED.slots,
            description = COALESCE(EXCLUDED.description, pools.description), updated_at = now()`,
    [name, slots, description ?? null],
  );
}
