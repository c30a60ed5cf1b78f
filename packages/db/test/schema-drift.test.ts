/**
 * Drift check: the migrations folder must produce exactly the database schema.prisma describes.
 * A fresh database is migrated with the production runner, then Prisma's schema engine
 * (WebAssembly) diffs it against schema.prisma; any SQL in that diff is drift.
 *
 * Fix drift by creating a migration: `npx tsx packages/db/scripts/migration-create.ts <name>`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffDatabaseToSchema, MIGRATIONS_DIR, SCHEMA_PATH } from '../scripts/lib/schema-engine';
import { applyMigrations } from '../src/migrate';
import { ADMIN_URL_ENV } from '../src/testing';

let url: string;
let dropDatabase = async () => {};

beforeAll(async () => {
  const adminUrl = process.env[ADMIN_URL_ENV];
  if (!adminUrl) throw new Error(`${ADMIN_URL_ENV} is not set (vitest's global setup sets it)`);
  const name = `t_drift_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  dropDatabase = () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  url = u.toString();
  await applyMigrations(url);
});

afterAll(async () => {
  await dropDatabase();
});

describe('schema drift', () => {
  it('the migrations produce exactly the database schema.prisma describes', async () => {
    const drift = await diffDatabaseToSchema(url);
    expect(
      drift,
      `schema.prisma and prisma/migrations disagree. Create a migration with\n` +
        `  npx tsx packages/db/scripts/migration-create.ts <name>\n` +
        `The SQL that would bring the migrated database to schema.prisma:\n\n${drift}\n`,
    ).toBe('');
  });

  it('detects a change (the check is not vacuous)', async () => {
    const schema = readFileSync(SCHEMA_PATH, 'utf8');
    const changed = schema.replace(
      /(model Team \{\n)/,
      '$1  driftProbe String? @map("drift_probe")\n',
    );
    expect(changed).not.toBe(schema);
    const drift = await diffDatabaseToSchema(url, changed);
    expect(drift).toMatch(/ALTER TABLE "teams"[^;]*ADD COLUMN\s+"drift_probe" TEXT/);
  });

  it('the migrations folder is locked to PostgreSQL', () => {
    expect(readFileSync(`${MIGRATIONS_DIR}/migration_lock.toml`, 'utf8')).toMatch(
      /^provider = "postgresql"$/m,
    );
  });
});
