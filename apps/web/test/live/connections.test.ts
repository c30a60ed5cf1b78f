// 200 browser tabs must not mean 200 database connections: every open stream of a web process
// shares its one LISTEN connection and its pool. Checked on pg_stat_activity of the test database
// while 200 SSE streams are open against a real server process.
//
// Only client connections count. Postgres's own processes show in pg_stat_activity too: an
// autovacuum worker has this database's datname and an empty application_name while it analyzes the
// tables this test fills (log_chunks, workflow_runs, ...). On a busy host such a worker lives long
// enough to be sampled, and it once made the count 12.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream, type SseMessage } from '@dtss/client';
import {
  appendLogChunk,
  claimTask,
  createPool,
  createPrismaClient,
  type ClaimedTask,
  type Pool,
  type PrismaClient,
} from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { createTeam, createToken, saveWorkflow, startRun, taskRunIds } from '../support/fixtures';
import { startRouteServer, type RouteServer } from '../support/start-route-server';

const RUNS = 100; // one status stream and one log stream each: 200 streams
const WEB_POOL_MAX = 10; // apps/web/src/server/db.ts
const APP = 'connections-test';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let server: RouteServer;
let token: string;
let teamId: string;

beforeAll(async () => {
  db = await createTestDatabase('web_live_connections');
  pool = createPool(db.url, { applicationName: APP, max: 4 });
  prisma = createPrismaClient(db.url, { pool });
  teamId = await createTeam(pool, 'team');
  token = await createToken(pool, teamId, 'viewer');
  await saveWorkflow(prisma, teamId, 'name: one\ntasks:\n  a: { kind: shell, command: echo a }\n');
  server = await startRouteServer(db.url);
});

afterAll(async () => {
  await server?.stop();
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

/**
 * Client connections to the test database other than this test's own pool: whatever the server
 * process opened, by any name. Postgres's background processes (autovacuum workers, parallel
 * workers) are not connections and do not count.
 */
async function serverConnections(): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND backend_type = 'client backend'
        AND application_name <> $1`,
    [APP],
  );
  return rows[0]!.n;
}

/** Client connections to the test database whose last statement was a LISTEN, and the hub's. */
async function listeners(): Promise<{ listening: number; hub: number }> {
  const { rows } = await pool.query<{ listening: number; hub: number }>(
    `SELECT count(*) FILTER (WHERE query ILIKE 'LISTEN %')::int AS listening,
            count(*) FILTER (WHERE application_name = 'dtss-web-live')::int AS hub
       FROM pg_stat_activity
      WHERE datname = current_database() AND backend_type = 'client backend'`,
  );
  return rows[0]!;
}

interface Stream {
  events: SseMessage[];
  abort: AbortController;
  done: Promise<void>;
}

function openStream(path: string): Stream {
  const abort = new AbortController();
  const events: SseMessage[] = [];
  const done = (async () => {
    try {
      for await (const m of openEventStream(`${server.url}${path}`, {
        token,
        signal: abort.signal,
      })) {
        events.push(m);
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  })();
  return { events, abort, done };
}

async function until(probe: () => boolean | Promise<boolean>, what: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('200 concurrent streams', () => {
  it('use one LISTEN connection and the pool, and all get their notices', async () => {
    const runs: { id: string; task: ClaimedTask }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await startRun(pool, teamId, 'one');
      const task = (await claimTask(pool, (await taskRunIds(pool, run.id)).a!, null))!;
      await appendLogChunk(pool, {
        attemptId: task.attemptId,
        taskRunId: task.taskRunId,
        runId: run.id,
        seq: 0,
        firstLine: 0,
        lines: [`run ${i}`],
        meta: [{ t: new Date().toISOString(), s: 'stdout' }],
      });
      runs.push({ id: run.id, task });
    }
    const before = await serverConnections();

    const statusStreams = runs.map((r) => openStream(`/api/stream/runs/${r.id}`));
    const logStreams = runs.map((r) => openStream(`/api/stream/runs/${r.id}/logs`));
    const all = [...statusStreams, ...logStreams];
    let peak = before;
    const sample = async () => (peak = Math.max(peak, await serverConnections()));
    // Every stream has its first event (a snapshot, or the stored chunk): all 200 are open.
    await until(async () => {
      await sample();
      return all.every((s) => s.events.length >= 1);
    }, 'every stream to open');
    for (let i = 0; i < 10; i++) {
      await sample();
      await new Promise((r) => setTimeout(r, 50));
    }

    // Live notices reach every stream of their run through the one listener.
    for (const [i, r] of runs.entries()) {
      await appendLogChunk(pool, {
        attemptId: r.task.attemptId,
        taskRunId: r.task.taskRunId,
        runId: r.id,
        seq: 1,
        firstLine: 1,
        lines: [`live ${i}`],
        meta: [{ t: new Date().toISOString(), s: 'stdout' }],
      });
    }
    await until(async () => {
      await sample();
      return logStreams.every((s) => s.events.filter((e) => e.event === 'log').length === 2);
    }, 'the live chunk on every log stream');
    logStreams.forEach((s, i) =>
      expect(JSON.parse(s.events[1]!.data).lines[0].text).toBe(`live ${i}`),
    );
    const open = await serverConnections();

    console.log(
      `[connections] before: ${before}; 200 streams open: ${open} (peak ${peak}); ` +
        `limit: pool ${WEB_POOL_MAX} + 1 listener`,
    );
    expect(peak).toBeLessThanOrEqual(WEB_POOL_MAX + 1);
    expect(await listeners()).toEqual({ listening: 1, hub: 1 });

    for (const s of all) s.abort.abort();
    await Promise.all(all.map((s) => s.done));
    expect(await serverConnections()).toBeLessThanOrEqual(WEB_POOL_MAX + 1);
  });
});
