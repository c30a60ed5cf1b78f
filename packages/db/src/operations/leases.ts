import type { Pool } from '../pool';

export interface Lease {
  name: string;
  holderId: string;
  /** Grows by one on every change of holder: a stale leader's writes can be fenced off with it. */
  fencingToken: bigint;
  expiresAt: Date;
}

interface LeaseRow {
  name: string;
  holder_id: string;
  fencing_token: string;
  expires_at: Date;
}

const toLease = (r: LeaseRow): Lease => ({
  name: r.name,
  holderId: r.holder_id,
  fencingToken: BigInt(r.fencing_token),
  expiresAt: r.expires_at,
});

/**
 * Takes the lease when it is free or expired (or already ours). Time is the database's clock, so
 * processes on machines with skewed clocks still agree. Null when someone else holds it.
 */
export async function acquireLease(
  pool: Pool,
  name: string,
  holderId: string,
  ttlMs: number,
): Promise<Lease | null> {
  const { rows } = await pool.query<LeaseRow>(
    `INSERT INTO leases (name, holder_id, fencing_token, acquired_at, renewed_at, expires_at)
     VALUES ($1, $2, 1, now(), now(), now() + $3 * interval '1 millisecond')
     ON CONFLICT (name) DO UPDATE
        SET holder_id = EXCLUDED.holder_id,
            fencing_token = leases.fencing_token
              + CASE WHEN leases.holder_id = EXCLUDED.holder_id THEN 0 ELSE 1 END,
            acquired_at = CASE WHEN leases.holder_id = EXCLUDED.holder_id
                               THEN leases.acquired_at ELSE now() END,
            renewed_at = now(), expires_at = EXCLUDED.expires_at
      WHERE leases.expires_at < now() OR leases.holder_id = EXCLUDED.holder_id
     RETURNING name, holder_id, fencing_token, expires_at`,
    [name, holderId, ttlMs],
  );
  return rows[0] ? toLease(rows[0]) : null;
}

/** Extends a lease we still hold; null means it was lost (expired and possibly taken over). */
export async function renewLease(pool: Pool, lease: Lease, ttlMs: number): Promise<Lease | null> {
  const { rows } = await pool.query<LeaseRow>(
    `UPDATE leases SET renewed_at = now(), expires_at = now() + $4 * interval '1 millisecond'
      WHERE name = $1 AND holder_id = $2 AND fencing_token = $3 AND expires_at > now()
     RETURNING name, holder_id, fencing_token, expires_at`,
    [lease.name, lease.holderId, lease.fencingToken.toString(), ttlMs],
  );
  return rows[0] ? toLease(rows[0]) : null;
}

/** Gives the lease up at once so a successor need not wait for expiry. */
export async function releaseLease(pool: Pool, lease: Lease): Promise<void> {
  await pool.query(
    `UPDATE leases SET expires_at = now() - interval '1 millisecond'
      WHERE name = $1 AND holder_id = $2 AND fencing_token = $3`,
    [lease.name, lease.holderId, lease.fencingToken.toString()],
  );
}
