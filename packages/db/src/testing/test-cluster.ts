/**
 * Test databases: one Postgres per test run (embedded, or the server DTSS_TEST_ADMIN_URL names) and
 * one database per test file, cloned from a migrated template. Cloning a template takes tens of
 * milliseconds, migrating from scratch takes far longer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { quoteIdent } from '../postgres/create-database';
import { startEmbeddedPostgres, type RunningPostgres } from '../postgres/embedded';
import { prepareDatabase } from '../prepare';

export const ADMIN_URL_ENV = 'DTSS_TEST_ADMIN_URL';

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../../prisma/migrations');

/** Settings that make a throwaway cluster fast; durability is irrelevant for test data. */
export const TEST_SERVER_SETTINGS = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: 600,
};

export async function startTestCluster(dataDir?: string): Promise<RunningPostgres> {
  const dir =
    dataDir ??
    path.join(os.tmpdir(), `dtss-test-pg-${process.pid}-${randomBytes(3).toString('hex')}`);
  return startEmbeddedPostgres({
    dataDir: dir,
    port: await freePort(),
    settings: TEST_SERVER_SETTINGS,
  });
}

/** The template's name changes with the migrations, so a stale template is never reused. */
export function templateName(): string {
  const hash = createHash('sha256');
  for (const dir of readdirSync(MIGRATIONS_DIR).sort()) {
    if (dir.endsWith('.toml')) continue;
    hash.update(dir);
    hash.update(readFileSync(path.join(MIGRATIONS_DIR, dir, 'migration.sql')));
  }
  return `dtss_template_${hash.digest('hex').slice(0, 12)}`;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Creates the migrated template once per server (safe when several processes race for it). */
export async function ensureTemplate(adminUrl: string): Promise<string> {
  const name = templateName();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(727073690)');
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) {
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(building)}`);
      await admin.query(`CREATE DATABASE ${quoteIdent(building)}`);
      await prepareDatabase(withDatabase(adminUrl, building));
      await admin.query(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(name)}`);
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(727073690)').catch(() => {});
    await admin.end();
  }
  return name;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const adminUrl = process.env[ADMIN_URL_ENV];
  if (!adminUrl) {
    throw new Error(
      `${ADMIN_URL_ENV} is not set: run tests through vitest with @dtss/db/testing's global setup (npm test does)`,
    );
  }
  const template = await ensureTemplate(adminUrl);
  const name = `t_${label.replace(/\W/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(adminUrl, name),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
