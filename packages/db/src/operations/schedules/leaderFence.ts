// Fencing the scheduler leader's writes: a write carries the lease it was decided under, and the
// statement checks in the database that this lease is still held (FOR SHARE: a successor cannot
// take the lease until the write has committed or rolled back).
import type { Pool, PoolClient } from '../../pool';

export interface LeaderFence {
  /** Lease name, e.g. "scheduler". */
  name: string;
  holderId: string;
  fencingToken: bigint;
}

/**
 * SQL condition that holds only while the fence's lease is current; pushes its parameters onto
 * `params`. Without a fence (tests, one-off tools) it is TRUE.
 */
export function fenceCondition(fence: LeaderFence | null | undefined, params: unknown[]): string {
  if (!fence) return 'TRUE';
  params.push(fence.name, fence.holderId, fence.fencingToken.toString());
  const n = params.length;
  return `EXISTS (SELECT 1 FROM leases WHERE name = $${n - 2} AND holder_id = $${n - 1}
                     AND fencing_token = $${n}::bigint AND expires_at > clock_timestamp() FOR SHARE)`;
}

/** A cheap check before work that cannot itself be fenced (createRun is its own transaction). */
export async function holdsLease(
  db: Pool | PoolClient,
  fence: LeaderFence | null | undefined,
): Promise<boolean> {
  if (!fence) return true;
  const params: unknown[] = [];
  const { rows } = await db.query<{ ok: boolean }>(
    `SELECT ${fenceCondition(fence, params)} AS ok`,
    params,
  );
  return rows[0]!.ok;
}

/**
 * Milliseconds until the named lease expires, by the database's clock (0 when expired or absent):
 * a follower tries again right then, so it takes over within the TTL of the leader's last renewal.
 */
export async function msUntilLeaseExpiry(pool: Pool, name: string): Promise<number> {
  const { rows } = await pool.query<{ ms: number }>(
    `SELECT GREATEST(0, extract(epoch FROM expires_at - clock_timestamp()) * 1000)::float8 AS ms
       FROM leases WHERE name = $1`,
    [name],
  );
  return rows[0]?.ms ?? 0;
}
