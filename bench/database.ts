/**
 * The one Postgres server of a benchmark run: the test cluster (fsync off), restarted once with
 * pg_stat_statements preloaded so the profile can count statements. Tracking stays off while
 * scenarios are measured and is switched on only for the profile passes.
 */
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { prepareDatabase, quoteIdent } from '@dtss/db/setup';
import { startTestCluster } from '@dtss/db/testing';

export interface BenchServer {
  dataDir: string;
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export async function startServer(): Promise<BenchServer> {
  const dataDir = path.join(os.tmpdir(), `dtss-bench-pg-${process.pid}`);
  let server = await startTestCluster(dataDir);
  await withClient(server.adminUrl, async (c) => {
    await c.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
    await c.query(`ALTER SYSTEM SET pg_stat_statements.track = 'none'`);
    await c.query(`ALTER SYSTEM SET pg_stat_statements.max = 5000`);
    await c.query(`ALTER SYSTEM SET pg_stat_statements.track_planning = on`);
  });
  await server.stop();
  server = await startTestCluster(dataDir);
  await withClient(server.adminUrl, (c) =>
    c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'),
  );
  const running = server;
  return {
    dataDir,
    adminUrl: running.adminUrl,
    urlFor: (db) => running.urlFor(db),
    async stop() {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh database with DTSS's migrations and graphile-worker's schema. */
export async function createDatabase(server: BenchServer, name: string): Promise<string> {
  await withClient(server.adminUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const url = server.urlFor(name);
  await prepareDatabase(url);
  return url;
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'dtss-bench' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Same housekeeping before every measured scenario on both sides: no dead rows, fresh stats. */
export async function settle(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('VACUUM ANALYZE');
    await c.query('CHECKPOINT');
  });
}

/** Postgres's clock in ms (µs resolution), for clock offsets. */
export function pgClock(client: pg.Client): () => Promise<number> {
  return async () => {
    const { rows } = await client.query<{ t: number }>(
      'SELECT extract(epoch FROM clock_timestamp())::float8 * 1000 AS t',
    );
    return rows[0]!.t;
  };
}

// Profile: pg_stat_statements -----------------------------------------------------------------

export interface StatementStat {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  /** Time spent planning (statements sent without a cached plan are planned on every call). */
  planMs: number;
  rows: number;
  /** Shared buffers read (hit or not) over all calls: how much a statement had to walk. */
  buffers: number;
}

export async function startStatementTracking(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (c) => {
    await c.query(`ALTER SYSTEM SET pg_stat_statements.track = 'top'`);
    await c.query('SELECT pg_reload_conf()');
    await c.query('SELECT pg_stat_statements_reset()');
  });
  // Backends read the new setting when they next finish a command; give idle ones a moment.
  await new Promise((r) => setTimeout(r, 300));
  await withClient(adminUrl, (c) => c.query('SELECT pg_stat_statements_reset()'));
}

export async function readStatementStats(
  adminUrl: string,
  database: string,
): Promise<StatementStat[]> {
  return withClient(adminUrl, async (c) => {
    const { rows } = await c.query<StatementStat>(
      `SELECT s.query, s.calls::int AS calls, s.total_exec_time AS "totalMs",
              s.mean_exec_time AS "meanMs", s.total_plan_time AS "planMs",
              s.rows::int AS rows, (s.shared_blks_hit + s.shared_blks_read)::int AS buffers
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = $1 ORDER BY s.total_exec_time DESC`,
      [database],
    );
    await c.query(`ALTER SYSTEM SET pg_stat_statements.track = 'none'`);
    await c.query('SELECT pg_reload_conf()');
    return rows;
  });
}

// Profile: what the database sessions are doing, sampled -------------------------------------

export interface ActivitySample {
  /** `active: Lock/transactionid`, `active: cpu`, `idle in transaction`, `idle`… */
  state: string;
  query: string;
  samples: number;
}

/**
 * Samples pg_stat_activity of one database every few ms until `stop` resolves: a poor man's
 * active-session history. Each sample of each session counts once, so the shares show where the
 * sessions spend their time (running, waiting on a lock, waiting for the client).
 */
export async function sampleActivity(
  adminUrl: string,
  database: string,
  stop: Promise<unknown>,
  everyMs = 5,
): Promise<{ samples: number; sessions: ActivitySample[] }> {
  return withClient(adminUrl, async (c) => {
    let done = false;
    void stop.finally(() => (done = true));
    const counts = new Map<string, ActivitySample>();
    let samples = 0;
    while (!done) {
      const { rows } = await c.query<{ state: string; query: string }>(
        `SELECT CASE WHEN state = 'active'
                     THEN 'active: ' || COALESCE(wait_event_type || '/' || wait_event, 'cpu')
                     ELSE COALESCE(state, '?') END AS state,
                CASE WHEN state = 'active' OR state LIKE 'idle in%'
                     THEN left(regexp_replace(query, '\\s+', ' ', 'g'), 70) ELSE '' END AS query
           FROM pg_stat_activity
          WHERE datname = $1 AND backend_type = 'client backend'
            AND application_name NOT LIKE 'dtss-bench%' AND application_name NOT LIKE 'bench-graphile:driver'`,
        [database],
      );
      samples++;
      for (const r of rows) {
        const key = `${r.state}|${r.query}`;
        const entry = counts.get(key) ?? { state: r.state, query: r.query, samples: 0 };
        entry.samples++;
        counts.set(key, entry);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
    return { samples, sessions: [...counts.values()].sort((a, b) => b.samples - a.samples) };
  });
}
