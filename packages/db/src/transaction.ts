import type { Pool, PoolClient } from './pool';

export interface TransactionControl {
  /** `fn` sent the COMMIT itself (together with its last statement, to save a round trip). */
  markCommitted(): void;
}

/**
 * Runs `fn` in one transaction on one connection: COMMIT on success, ROLLBACK on any throw. With
 * `sendsBegin`, `fn` sends BEGIN itself together with its first statement (one round trip less).
 */
export async function withTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient, tx: TransactionControl) => Promise<T>,
  opts: { sendsBegin?: boolean } = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    if (!opts.sendsBegin) await client.query('BEGIN');
    let committed = false;
    const result = await fn(client, { markCommitted: () => (committed = true) });
    if (!committed) await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
