import type { Pool } from '../pool';

export interface DatabaseHealth {
  ok: boolean;
  latencyMs: number;
  serverVersion?: string;
  migration?: { latest: string | null; appliedAt: string | null; applied: number };
  error?: string;
}

/** One round trip: reachability, server version and the newest applied migration. */
export async function readDatabaseHealth(pool: Pool): Promise<DatabaseHealth> {
  const started = performance.now();
  try {
    const { rows } = await pool.query<{
      version: string;
      latest: string | null;
      applied_at: Date | null;
      applied: string;
    }>(
      `SELECT current_setting('server_version') AS version, m.latest, m.applied_at, m.applied
         FROM (SELECT (SELECT migration_name FROM _prisma_migrations
                        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
                        ORDER BY migration_name DESC LIMIT 1) AS latest,
                      (SELECT max(finished_at) FROM _prisma_migrations) AS applied_at,
                      (SELECT count(*) FROM _prisma_migrations
                        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL) AS applied) m`,
    );
    const row = rows[0]!;
    return {
      ok: true,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      serverVersion: row.version,
      migration: {
        latest: row.latest,
        appliedAt: row.applied_at?.toISOString() ?? null,
        applied: Number(row.applied),
      },
    };
  } catch (err) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: err instanceof Error ? err.message : String(err),
    };
  }
}
