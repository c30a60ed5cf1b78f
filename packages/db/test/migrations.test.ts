/**
 * The migration runner against a real Postgres: it applies the folder once, is a no-op afterwards,
 * is safe when processes race, records history exactly as Prisma does, and refuses a history it
 * cannot trust. The last block checks the records with Prisma's own engine (WebAssembly build).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  noFilter,
  openSchemaEngine,
  readMigrationsList,
  withPanicMessage,
} from '../scripts/lib/schema-engine';
import {
  applyMigrations,
  checksumMatches,
  CREATE_MIGRATIONS_TABLE,
  getMigrationStatus,
  MigrationError,
  readMigrationFiles,
} from '../src/migrate';
import { ADMIN_URL_ENV } from '../src/testing';

const FOLDER = readMigrationFiles();
const NAMES = FOLDER.map((m) => m.name);

// ─── helpers: empty databases and throwaway migration folders ──────────────────────────────────

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function adminUrl(): string {
  const url = process.env[ADMIN_URL_ENV];
  if (!url) throw new Error(`${ADMIN_URL_ENV} is not set (vitest's global setup sets it)`);
  return url;
}

async function admin<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

/** A new, empty database (not the migrated template): the runner must start from nothing. */
async function emptyDatabase(label: string): Promise<string> {
  const name = `t_migrate_${label}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  cleanups.push(async () => {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** A migrations folder in Prisma's layout, from name → SQL. */
function migrationsFolder(migrations: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dtss-migrations-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

const historyOf = (url: string) =>
  query<MigrationRow>(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at');

const columnsOf = (url: string) =>
  query(
    url,
    `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
       FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = '_prisma_migrations'
      ORDER BY ordinal_position`,
  );

async function rejection(promise: Promise<unknown>): Promise<MigrationError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MigrationError);
  return err as MigrationError;
}

// ─── the real migrations folder ─────────────────────────────────────────────────────────────────

describe('applyMigrations on the repository migrations', () => {
  it('has at least the initial migration, in Prisma layout', () => {
    expect(NAMES.length).toBeGreaterThan(0);
    for (const name of NAMES) expect(name).toMatch(/^\d{14}_[a-z0-9_]+$/);
  });

  it('applies every migration to an empty database, then is a no-op', async () => {
    const url = await emptyDatabase('twice');
    let t = performance.now();
    const first = await applyMigrations(url);
    const freshMs = performance.now() - t;
    expect(first).toEqual({ applied: NAMES, latest: NAMES.at(-1) });

    t = performance.now();
    const second = await applyMigrations(url);
    const noopMs = performance.now() - t;
    expect(second).toEqual({ applied: [], latest: NAMES.at(-1) });
    expect(await historyOf(url)).toHaveLength(NAMES.length);
    console.info(
      `applyMigrations: fresh database ${freshMs.toFixed(0)} ms, nothing pending ${noopMs.toFixed(1)} ms`,
    );
  });

  it('records each migration as Prisma does', async () => {
    const url = await emptyDatabase('rows');
    await applyMigrations(url);
    const rows = await historyOf(url);
    expect(rows.map((r) => r.migration_name)).toEqual(NAMES);
    for (const row of rows) {
      const file = readFileSync(
        new URL(`../../../prisma/migrations/${row.migration_name}/migration.sql`, import.meta.url),
      );
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
    }
    // Prisma's DDL, column for column.
    expect(await columnsOf(url)).toEqual([
      col('id', 'character varying', 36, 'NO', null),
      col('checksum', 'character varying', 64, 'NO', null),
      col('finished_at', 'timestamp with time zone', null, 'YES', null),
      col('migration_name', 'character varying', 255, 'NO', null),
      col('logs', 'text', null, 'YES', null),
      col('rolled_back_at', 'timestamp with time zone', null, 'YES', null),
      col('started_at', 'timestamp with time zone', null, 'NO', 'now()'),
      col('applied_steps_count', 'integer', null, 'NO', '0'),
    ]);
  });

  it('applies exactly once when three processes start at the same time', async () => {
    const url = await emptyDatabase('race');
    const results = await Promise.all([1, 2, 3].map(() => applyMigrations(url)));
    expect(results.flatMap((r) => r.applied)).toEqual(NAMES);
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
    for (const r of results) expect(r.latest).toBe(NAMES.at(-1));
    expect(await historyOf(url)).toHaveLength(NAMES.length);
  });

  it('refuses to run when an applied migration no longer matches its file', async () => {
    const url = await emptyDatabase('tamper');
    await applyMigrations(url);
    await query(url, `UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2`, [
      'f'.repeat(64),
      NAMES[0],
    ]);
    const err = await rejection(applyMigrations(url));
    expect(err.code).toBe('checksum_mismatch');
    expect(err.message).toContain(NAMES[0]);
    expect((await getMigrationStatus(url)).modified).toEqual([NAMES[0]]);
  });

  it('reports the status without changing anything', async () => {
    const url = await emptyDatabase('status');
    expect(await getMigrationStatus(url)).toEqual({
      applied: [],
      pending: NAMES,
      latest: null,
      failed: [],
      modified: [],
      unknown: [],
    });
    expect(await query(url, `SELECT to_regclass('_prisma_migrations') AS t`)).toEqual([
      { t: null },
    ]);

    await applyMigrations(url);
    const status = await getMigrationStatus(url);
    expect(status.pending).toEqual([]);
    expect(status.latest).toBe(NAMES.at(-1));
    expect(status.applied.map((a) => a.name)).toEqual(NAMES);
    for (const a of status.applied) expect(a.finishedAt).toBeInstanceOf(Date);
  });
});

// ─── behaviour on synthetic folders ─────────────────────────────────────────────────────────────

describe('applyMigrations on other histories', () => {
  it('applies only the new migrations of a folder that grew', async () => {
    const url = await emptyDatabase('grow');
    const one = { '20260101000000_a': 'CREATE TABLE a (id int);' };
    await applyMigrations(url, { migrationsDir: migrationsFolder(one) });
    const two = { ...one, '20260102000000_b': 'CREATE TABLE b (id int);' };
    const result = await applyMigrations(url, { migrationsDir: migrationsFolder(two) });
    expect(result).toEqual({ applied: ['20260102000000_b'], latest: '20260102000000_b' });
  });

  it('rolls a failing migration back entirely, records nothing for it, and says where it failed', async () => {
    const url = await emptyDatabase('fail');
    const dir = migrationsFolder({
      '20260101000000_ok': 'CREATE TABLE ok (id int);',
      '20260102000000_bad': 'CREATE TABLE half (id int);\nINSERT INTO missing_table VALUES (1);\n',
    });
    const err = await rejection(applyMigrations(url, { migrationsDir: dir }));
    expect(err.code).toBe('apply_failed');
    expect(err.message).toContain('20260102000000_bad');
    expect(err.message).toContain('line 2');
    expect(err.message).toContain('missing_table');
    const rows = await historyOf(url);
    expect(rows.map((r) => r.migration_name)).toEqual(['20260101000000_ok']);
    expect(await query(url, `SELECT to_regclass('half') AS t`)).toEqual([{ t: null }]);
  });

  it('refuses while a failed migration is recorded, and proceeds once it is marked rolled back', async () => {
    const url = await emptyDatabase('failed');
    const dir = migrationsFolder({ '20260101000000_a': 'CREATE TABLE a (id int);' });
    await query(url, CREATE_MIGRATIONS_TABLE);
    // What Prisma's CLI leaves behind when a migration fails half-way.
    await query(
      url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at)
       VALUES ('00000000-0000-4000-8000-000000000000', $1, '20260101000000_a', 'boom', now())`,
      ['0'.repeat(64)],
    );
    const err = await rejection(applyMigrations(url, { migrationsDir: dir }));
    expect(err.code).toBe('failed_migration');
    expect(err.message).toContain('20260101000000_a');
    expect(err.message).toContain('boom');
    expect((await getMigrationStatus(url, { migrationsDir: dir })).failed).toEqual([
      '20260101000000_a',
    ]);

    await query(url, `UPDATE _prisma_migrations SET rolled_back_at = now()`);
    const result = await applyMigrations(url, { migrationsDir: dir });
    expect(result.applied).toEqual(['20260101000000_a']);
    expect(await historyOf(url)).toHaveLength(2); // the rolled-back row stays, as in Prisma
  });

  it('refuses a database whose schema has tables but no migration history', async () => {
    const url = await emptyDatabase('foreign');
    await query(url, 'CREATE TABLE someone_elses (id int)');
    const err = await rejection(applyMigrations(url));
    expect(err.code).toBe('schema_not_empty');
    expect(err.message).toContain('someone_elses');
  });

  it('tolerates migrations the database has and the folder does not (older code, newer database)', async () => {
    const url = await emptyDatabase('ahead');
    const one = { '20260101000000_a': 'CREATE TABLE a (id int);' };
    const two = { ...one, '20260102000000_b': 'CREATE TABLE b (id int);' };
    await applyMigrations(url, { migrationsDir: migrationsFolder(two) });
    const dir = migrationsFolder(one);
    expect(await applyMigrations(url, { migrationsDir: dir })).toEqual({
      applied: [],
      latest: '20260102000000_b',
    });
    expect((await getMigrationStatus(url, { migrationsDir: dir })).unknown).toEqual([
      '20260102000000_b',
    ]);
  });

  it('waits for a process holding the migration lock, up to lockTimeoutMs', async () => {
    const url = await emptyDatabase('lock');
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(72707369)');
      const err = await rejection(applyMigrations(url, { lockTimeoutMs: 200 }));
      expect(err.code).toBe('lock_timeout');
      // Released while we wait: the waiting process goes on and migrates.
      const waiting = applyMigrations(url, { lockTimeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, 100));
      await holder.query('SELECT pg_advisory_unlock(72707369)');
      expect((await waiting).applied).toEqual(NAMES);
    } finally {
      await holder.end();
    }
  });

  it('refuses a folder locked to another provider', async () => {
    const dir = migrationsFolder({ '20260101000000_a': 'SELECT 1;' });
    writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "mysql"\n');
    const err = await rejection(
      applyMigrations(await emptyDatabase('provider'), { migrationsDir: dir }),
    );
    expect(err.code).toBe('provider_mismatch');
  });
});

describe('checksumMatches', () => {
  const sha = (s: string) => createHash('sha256').update(s).digest();

  it('accepts the file with either line ending, like Prisma', () => {
    const lf = 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    expect(checksumMatches(lf, sha(crlf).toString('hex'))).toBe(true);
    expect(checksumMatches(crlf, sha(lf).toString('hex'))).toBe(true);
    expect(checksumMatches(lf, sha(`${lf} `).toString('hex'))).toBe(false);
  });

  it('accepts the unpadded hex that very old Prisma versions recorded', () => {
    // A script whose digest has a byte below 0x10, so padding matters.
    let script = 'x';
    while (!sha(script).some((b) => b < 16)) script += 'x';
    const unpadded = Array.from(sha(script), (b) => b.toString(16)).join('');
    expect(unpadded.length).toBeLessThan(64);
    expect(checksumMatches(script, unpadded)).toBe(true);
  });
});

// ─── cross-check with Prisma's own engine ───────────────────────────────────────────────────────

describe("Prisma's engine reads our history as its own", () => {
  it('sees nothing pending, edited or failed after our runner migrated the database', async () => {
    const url = await emptyDatabase('prisma_reads');
    await applyMigrations(url);
    const { engine, close } = await openSchemaEngine({ databaseUrl: url });
    try {
      const diagnosis = await withPanicMessage(() =>
        engine.diagnoseMigrationHistory({
          migrationsList: readMigrationsList(),
          optInToShadowDatabase: false,
          filters: noFilter(),
        }),
      );
      expect(diagnosis).toMatchObject({
        editedMigrationNames: [],
        failedMigrationNames: [],
        hasMigrationsTable: true,
        history: null,
      });
    } finally {
      close();
    }
  });

  it("and we read Prisma's: a database Prisma's engine migrated has nothing pending for us", async () => {
    const url = await emptyDatabase('we_read');
    const { engine, close } = await openSchemaEngine({ databaseUrl: url });
    try {
      const out = await withPanicMessage(() =>
        engine.applyMigrations({ migrationsList: readMigrationsList(), filters: noFilter() }),
      );
      expect(out.appliedMigrationNames).toEqual(NAMES);
    } finally {
      close();
    }
    expect(await applyMigrations(url)).toEqual({ applied: [], latest: NAMES.at(-1) });
    // Same table shape and same kind of rows as ours.
    const ours = await emptyDatabase('compare');
    await applyMigrations(ours);
    expect(await columnsOf(url)).toEqual(await columnsOf(ours));
    const theirs = await historyOf(url);
    const mine = await historyOf(ours);
    expect(
      theirs.map(({ checksum, migration_name, applied_steps_count }) => ({
        checksum,
        migration_name,
        applied_steps_count,
      })),
    ).toEqual(
      mine.map(({ checksum, migration_name, applied_steps_count }) => ({
        checksum,
        migration_name,
        applied_steps_count,
      })),
    );
  });
});

function col(
  column_name: string,
  data_type: string,
  character_maximum_length: number | null,
  is_nullable: 'YES' | 'NO',
  column_default: string | null,
) {
  return { column_name, data_type, character_maximum_length, is_nullable, column_default };
}
