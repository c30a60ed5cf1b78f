/**
 * A Postgres server for scripts that need scratch databases (authoring migrations): the server
 * DATABASE_URL points at, or the embedded one under .dtss/migrations-pg (port DTSS_MIGRATIONS_PG_PORT,
 * default 54417). Scratch databases are created and dropped; existing ones are never touched.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/postgres/embedded';
import { REPO_ROOT } from './schema-engine';

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface ScratchServer {
  /** Creates an empty database and returns its URL. */
  createDatabase(label: string): Promise<string>;
  /** Drops every database this object created, then stops the server if it started it. */
  close(): Promise<void>;
}

export async function openScratchServer(): Promise<ScratchServer> {
  let adminUrl: string;
  let stop = async () => {};
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/postgres';
    adminUrl = u.toString();
  } else {
    const port = Number(process.env.DTSS_MIGRATIONS_PG_PORT ?? 54417);
    const server = await startEmbeddedPostgres({
      dataDir: path.join(REPO_ROOT, '.dtss/migrations-pg'),
      port,
    });
    adminUrl = server.adminUrl;
    stop = () => server.stop();
  }
  const created: string[] = [];
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  return {
    async createDatabase(label) {
      const name = `dtss_${label}_${randomBytes(4).toString('hex')}`;
      await admin(`CREATE DATABASE ${quoteIdent(name)}`);
      created.push(name);
      const u = new URL(adminUrl);
      u.pathname = `/${name}`;
      return u.toString();
    },
    async close() {
      try {
        for (const name of created)
          await admin(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      } finally {
        await stop();
      }
    },
  };
}
