import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolOptions {
  /** Shows in pg_stat_activity, so an operator can tell processes apart. */
  applicationName: string;
  max?: number;
  /**
   * Plan prepared statements once per connection. Postgres otherwise re-plans a statement whose
   * generic plan looks costlier (e.g. `id = ANY($1)`) on every call; the engine's hot statements
   * are key lookups where the generic plan is the right one.
   */
  genericPlans?: boolean;
}

export function createPool(databaseUrl: string, opts: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    application_name: opts.applicationName,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    ...(opts.genericPlans ? { options: '-c plan_cache_mode=force_generic_plan' } : {}),
  });
  // A client losing its server (DB restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
