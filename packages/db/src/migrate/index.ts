/**
 * Applies the migrations in prisma/migrations at start-up, without Prisma's native engine.
 *
 * Safe to call from every process at every start: when nothing is pending it costs one query and
 * takes no lock; otherwise it takes Prisma's advisory lock, re-reads the history and applies what
 * is still pending, each migration in its own transaction. The history is kept in Prisma's own
 * `_prisma_migrations` table, so Prisma's CLI agrees with it (see history.ts).
 */
import pg from 'pg';
import { MigrationError } from './errors';
import { defaultMigrationsDir, readMigrationFiles } from './files';
import {
  analyze,
  applyOne,
  assertHealthy,
  initializeHistory,
  PRISMA_MIGRATE_LOCK_ID,
  readHistory,
  type HistoryRow,
} from './history';

export { MigrationError, type MigrationErrorCode } from './errors';
export {
  checksumMatches,
  defaultMigrationsDir,
  migrationChecksum,
  readMigrationFiles,
  type MigrationFile,
} from './files';
export { CREATE_MIGRATIONS_TABLE, PRISMA_MIGRATE_LOCK_ID } from './history';

export interface MigrateOptions {
  /** Folder of `<timestamp>_<name>/migration.sql`; default prisma/migrations (or DTSS_MIGRATIONS_DIR). */
  migrationsDir?: string;
  /** Progress messages ("applied 20261126070409_init in 85 ms"). */
  log?: (message: string) => void;
  /** How long to wait for another process that is migrating. Default 60 s. */
  lockTimeoutMs?: number;
}

export interface ApplyMigrationsResult {
  /** Migrations this call applied, in order (empty when the database was up to date). */
  applied: string[];
  /** The newest migration applied to the database, or null for none. */
  latest: string | null;
}

export async function applyMigrations(
  databaseUrl: string,
  opts: MigrateOptions = {},
): Promise<ApplyMigrationsResult> {
  const files = readMigrationFiles(opts.migrationsDir ?? defaultMigrationsDir());
  const client = await connect(databaseUrl);
  try {
    // Fast path: one query, no lock. Refuses a broken history before doing anything.
    const history = await readHistory(client);
    if (history) {
      const analysis = analyze(files, history);
      assertHealthy(analysis);
      if (analysis.pending.length === 0) return { applied: [], latest: latestOf(analysis.applied) };
    }

    await lock(client, opts.lockTimeoutMs ?? 60_000);
    try {
      // Another process may have migrated while we waited: decide again, under the lock.
      await initializeHistory(client);
      const analysis = analyze(files, (await readHistory(client)) ?? []);
      assertHealthy(analysis);
      const applied: string[] = [];
      for (const file of analysis.pending) {
        const started = performance.now();
        await applyOne(client, file);
        applied.push(file.name);
        opts.log?.(
          `applied migration ${file.name} in ${Math.round(performance.now() - started)} ms`,
        );
      }
      const names = [...analysis.applied.map((r) => r.migrationName), ...applied].sort();
      return { applied, latest: names.at(-1) ?? null };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_ID]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

export interface MigrationStatus {
  /** Migrations applied to the database, oldest name first. */
  applied: { name: string; finishedAt: Date }[];
  /** Migrations in the folder not yet applied. */
  pending: string[];
  /** The newest applied migration, or null. */
  latest: string | null;
  /** Recorded as failed by Prisma's CLI: applyMigrations refuses until resolved. */
  failed: string[];
  /** Applied, but the file changed since: applyMigrations refuses. */
  modified: string[];
  /** Applied to the database but absent from this code's folder (the database is ahead). */
  unknown: string[];
}

/** The database's migration state against the folder, without changing anything (one query). */
export async function getMigrationStatus(
  databaseUrl: string,
  opts: Pick<MigrateOptions, 'migrationsDir'> = {},
): Promise<MigrationStatus> {
  const files = readMigrationFiles(opts.migrationsDir ?? defaultMigrationsDir());
  const client = await connect(databaseUrl);
  try {
    const analysis = analyze(files, (await readHistory(client)) ?? []);
    return {
      applied: analysis.applied.map((r) => ({ name: r.migrationName, finishedAt: r.finishedAt! })),
      pending: analysis.pending.map((f) => f.name),
      latest: latestOf(analysis.applied),
      failed: analysis.failed.map((r) => r.migrationName),
      modified: analysis.modified,
      unknown: analysis.unknown,
    };
  } finally {
    await client.end().catch(() => {});
  }
}

function latestOf(applied: HistoryRow[]): string | null {
  return applied.at(-1)?.migrationName ?? null;
}

/**
 * Migrations live in `public`, as Prisma's engine puts them for a URL without `?schema=`; the
 * search_path is pinned so a role's own search_path cannot send tables elsewhere.
 */
async function connect(databaseUrl: string): Promise<pg.Client> {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema');
  if (schema !== null && schema !== 'public') {
    throw new Error(
      `DTSS keeps its tables in the "public" schema; remove ?schema=${schema} from the database URL`,
    );
  }
  url.searchParams.delete('schema');
  const client = new pg.Client({
    connectionString: url.toString(),
    application_name: 'dtss-migrate',
    options: '-c search_path=public',
  });
  await client.connect();
  return client;
}

async function lock(client: pg.Client, timeoutMs: number): Promise<void> {
  await client.query(`SELECT set_config('lock_timeout', $1, false)`, [
    `${Math.max(1, Math.round(timeoutMs))}ms`,
  ]);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_ID]);
  } catch (err) {
    if ((err as { code?: string }).code === '55P03') {
      throw new MigrationError(
        'lock_timeout',
        `another process held the migration lock (pg_advisory_lock(${PRISMA_MIGRATE_LOCK_ID})) for more than ${timeoutMs} ms`,
        { cause: err },
      );
    }
    throw err;
  } finally {
    await client.query('RESET lock_timeout');
  }
}
