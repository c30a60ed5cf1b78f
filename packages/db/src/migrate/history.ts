/**
 * Prisma's migration history table, `_prisma_migrations`, read and written the way Prisma's schema
 * engine does (same DDL, same columns and values), so `prisma migrate status|deploy` run elsewhere
 * against the same database sees one consistent history.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { MigrationError } from './errors';
import { checksumMatches, type MigrationFile } from './files';

/** The id Prisma's engine locks with (`pg_advisory_lock(72707369)`) while it migrates. */
export const PRISMA_MIGRATE_LOCK_ID = 72707369;

/** Verbatim from Prisma's Postgres connector. */
export const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

/** Tables Prisma tolerates in a "fresh" database (PostGIS creates this one in public). */
const IGNORED_TABLES = ['spatial_ref_sys'];

export interface HistoryRow {
  id: string;
  migrationName: string;
  checksum: string;
  startedAt: Date;
  finishedAt: Date | null;
  rolledBackAt: Date | null;
  logs: string | null;
}

const UNDEFINED_TABLE = '42P01';

/** The rows, oldest first; null when the table does not exist. */
export async function readHistory(client: pg.ClientBase): Promise<HistoryRow[] | null> {
  try {
    const { rows } = await client.query<{
      id: string;
      migration_name: string;
      checksum: string;
      started_at: Date;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      logs: string | null;
    }>(
      `SELECT id, migration_name, checksum, started_at, finished_at, rolled_back_at, logs
         FROM _prisma_migrations ORDER BY started_at, migration_name`,
    );
    return rows.map((r) => ({
      id: r.id,
      migrationName: r.migration_name,
      checksum: r.checksum,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      rolledBackAt: r.rolled_back_at,
      logs: r.logs,
    }));
  } catch (err) {
    if ((err as { code?: string }).code === UNDEFINED_TABLE) return null;
    throw err;
  }
}

/**
 * Creates the table, as Prisma does, unless the schema already holds other tables: then this is
 * not a database these migrations made, and applying them on top would be a guess.
 */
export async function initializeHistory(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`,
  );
  const names = rows.map((r) => r.relname);
  if (names.includes('_prisma_migrations')) return;
  const foreign = names.filter((n) => !IGNORED_TABLES.includes(n));
  if (foreign.length) {
    throw new MigrationError(
      'schema_not_empty',
      `the database's "${await currentSchema(client)}" schema already has tables (${foreign.slice(0, 5).join(', ')}` +
        `${foreign.length > 5 ? ', ...' : ''}) but no _prisma_migrations table, so it was not made by DTSS's ` +
        `migrations. Use an empty database, or baseline it (mark the migrations it already has as applied).`,
    );
  }
  await client.query(CREATE_MIGRATIONS_TABLE);
}

async function currentSchema(client: pg.ClientBase): Promise<string> {
  const { rows } = await client.query<{ s: string }>('SELECT current_schema() AS s');
  return rows[0]?.s ?? 'public';
}

/** Rows that count: the latest non-rolled-back row of each migration. */
export function effectiveRows(history: HistoryRow[]): Map<string, HistoryRow> {
  const byName = new Map<string, HistoryRow>();
  for (const row of history) if (row.rolledBackAt === null) byName.set(row.migrationName, row);
  return byName;
}

export interface HistoryAnalysis {
  applied: HistoryRow[];
  pending: MigrationFile[];
  /** Recorded as started but neither finished nor rolled back (Prisma's "failed" state). */
  failed: HistoryRow[];
  /** Applied, but the file changed since. */
  modified: string[];
  /** Applied in the database, absent from the folder (e.g. newer code migrated this database). */
  unknown: string[];
}

export function analyze(files: MigrationFile[], history: HistoryRow[]): HistoryAnalysis {
  const rows = effectiveRows(history);
  const filesByName = new Map(files.map((f) => [f.name, f]));
  const all = [...rows.values()];
  const applied = all
    .filter((r) => r.finishedAt !== null)
    .sort((a, b) =>
      a.migrationName < b.migrationName ? -1 : a.migrationName > b.migrationName ? 1 : 0,
    );
  return {
    applied,
    pending: files.filter((f) => !rows.has(f.name)),
    failed: all.filter((r) => r.finishedAt === null),
    modified: applied
      .filter((r) => {
        const file = filesByName.get(r.migrationName);
        return file !== undefined && !checksumMatches(file.sql, r.checksum);
      })
      .map((r) => r.migrationName),
    unknown: applied.filter((r) => !filesByName.has(r.migrationName)).map((r) => r.migrationName),
  };
}

/** Throws when the history forbids migrating: a failed migration, or an edited applied one. */
export function assertHealthy(analysis: HistoryAnalysis): void {
  if (analysis.failed.length) {
    const details = analysis.failed
      .map(
        (r) =>
          `- ${r.migrationName} (started ${r.startedAt.toISOString()})${r.logs?.trim() ? `:\n${r.logs.trim()}` : ''}`,
      )
      .join('\n');
    throw new MigrationError(
      'failed_migration',
      `_prisma_migrations records failed migrations; fix the database by hand, then mark each one ` +
        `rolled back (\`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '<name>' ` +
        `AND finished_at IS NULL\`, or \`prisma migrate resolve --rolled-back <name>\`) and start again:\n${details}`,
    );
  }
  if (analysis.modified.length) {
    throw new MigrationError(
      'checksum_mismatch',
      `these migrations were changed after they were applied to this database: ${analysis.modified.join(', ')}. ` +
        `Applied migrations are immutable: restore the files (git checkout -- prisma/migrations) and put ` +
        `the change in a new migration.`,
    );
  }
}

/**
 * Applies one migration in a transaction, recording it exactly as Prisma does on success
 * (new uuid id, checksum, started_at, finished_at, applied_steps_count = 1, logs NULL).
 * On failure nothing is recorded: the transaction rolled the migration back entirely.
 */
export async function applyOne(client: pg.ClientBase, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at)
       VALUES ($1, $2, $3, clock_timestamp())`,
      [id, file.checksum, file.name],
    );
    try {
      await client.query(file.sql);
    } catch (err) {
      throw new MigrationError('apply_failed', describeSqlError(file, err), { cause: err });
    }
    await client.query(
      `UPDATE _prisma_migrations
          SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1
        WHERE id = $1`,
      [id],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

function describeSqlError(file: MigrationFile, err: unknown): string {
  const e = err as { message?: string; position?: string; code?: string };
  let where = '';
  const pos = Number(e.position);
  if (Number.isInteger(pos) && pos > 0) {
    const before = file.sql.slice(0, pos - 1);
    const line = before.split('\n').length;
    const text = file.sql.split('\n')[line - 1]?.trim() ?? '';
    where = ` at line ${line}: ${text}`;
  }
  return (
    `migration ${file.name} failed and was rolled back${where}\n` +
    `${e.code ? `[${e.code}] ` : ''}${e.message ?? String(err)}`
  );
}
