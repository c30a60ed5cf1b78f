/**
 * For tests that must write nothing: a checksum of every table of the test database (row count and an md5 of
 * its rows, in a stable order). Cheap on a test database of a few hundred rows.
 */
import type { Pool } from 'pg';

export type Snapshot = Record<string, string>;

/**
 * `{ table: "rows:md5" }` for every table of the public schema but Prisma's migration log: equal
 * snapshots before and after a test's calls mean that they wrote nothing.
 */
export async function snapshotTables(pool: Pool): Promise<Snapshot> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename`,
  );
  const parts = tables.map(
    ({ name }) =>
      `SELECT ${quoteLiteral(name)} AS name, count(*)::int AS n,
              coalesce(md5(string_agg(md5(x::text), '' ORDER BY md5(x::text))), '') AS sum
         FROM ${quoteIdent(name)} x`,
  );
  const { rows } = await pool.query<{ name: string; n: number; sum: string }>(
    parts.join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.name, `${r.n}:${r.sum}`]));
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;
