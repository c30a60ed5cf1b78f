// GET /api/stream/runs?ids=… over real HTTP (the route handler in a real Node server process), a
// real Postgres and real API tokens: authorization like the single-run stream, and the statuses of
// several runs on one stream as the engine's own operations change them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream, type SseMessage } from '@dtss/client';
import {
  cancelRun,
  claimTask,
  completeAttempt,
  createPool,
  createPrismaClient,
  type Pool,
  type PrismaClient,
} from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { createTeam, createToken, saveWorkflow, startRun, taskRunIds } from '../support/fixtures';
import { startRouteServer, type RouteServer } from '../support/start-route-server';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let server: RouteServer;
let teamA: string;
let tokenA: string;
let tokenB: string;

const CHAIN =
  'name: chain\ntasks:\n  a: { kind: shell, command: echo a }\n  b: { kind: shell, needs: [a], command: echo b }\n';

beforeAll(async () => {
  db = await createTestDatabase('web_live_runs_stream');
  pool = createPool(db.url, { applicationName: 'runs-stream-test', max: 4 });
  prisma = createPrismaClient(db.url, { pool });
  teamA = await createTeam(pool, 'team-a');
  const teamB = await createTeam(pool, 'team-b');
  tokenA = await createToken(pool, teamA, 'viewer');
  tokenB = await createToken(pool, teamB, 'owner');
  await saveWorkflow(prisma, teamA, CHAIN);
  server = await startRouteServer(db.url);
});

afterAll(async () => {
  await server?.stop();
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

const data = (m: SseMessage) => JSON.parse(m.data) as Record<string, unknown>;

function get(path: string, token?: string) {
  return fetch(`${server.url}${path}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
}

/** A stream read in the background while the test changes the runs. */
function open(ids: string[], token = tokenA) {
  const events: SseMessage[] = [];
  const abort = new AbortController();
  let ended = false;
  const done = (async () => {
    try {
      for await (const m of openEventStream(`${server.url}/api/stream/runs?ids=${ids.join(',')}`, {
        token,
        signal: abort.signal,
      })) {
        events.push(m);
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    } finally {
      ended = true;
    }
  })();
  const waitFor = async (probe: (e: SseMessage[]) => boolean, what: string) => {
    const deadline = Date.now() + 15_000;
    while (!probe(events)) {
      if (Date.now() > deadline) {
        throw new Error(`no ${what}; got ${JSON.stringify(events)}\n${server.output()}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    events,
    waitFor,
    isEnded: () => ended,
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}

async function runTask(runId: string, key: string, outcome: 'succeeded' | 'failed') {
  const ids = await taskRunIds(pool, runId);
  const claimed = await claimTask(pool, ids[key]!, null);
  if (!claimed) throw new Error(`could not claim ${key}`);
  await completeAttempt(pool, {
    attemptId: claimed.attemptId,
    taskRunId: claimed.taskRunId,
    runId,
    outcome,
    exitCode: outcome === 'succeeded' ? 0 : 1,
  });
}

describe('GET /api/stream/runs', () => {
  it('answers 401 without an actor, 400 for bad ids and 404 for a foreign or unknown run', async () => {
    const run = await startRun(pool, teamA, 'chain');
    const anonymous = await get(`/api/stream/runs?ids=${run.id}`);
    expect(anonymous.status, server.output()).toBe(401);

    const missing = await get('/api/stream/runs', tokenA);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: '?ids= is required: run ids separated by commas',
    });
    const bad = await get(`/api/stream/runs?ids=${run.id},nope`, tokenA);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'not a run id: "nope"' });
    const many = Array.from(
      { length: 201 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const tooMany = await get(`/api/stream/runs?ids=${many.join(',')}`, tokenA);
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toEqual({ error: 'at most 200 runs per stream (got 201)' });

    const foreign = await get(`/api/stream/runs?ids=${run.id}`, tokenB);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ error: `no run ${run.id}` });
    const unknown = '3b0c5a0e-6a8e-4a53-9d55-2b2f7d7f0b8e';
    const mixed = await get(`/api/stream/runs?ids=${run.id},${unknown}`, tokenA);
    expect(mixed.status).toBe(404);
    expect(await mixed.json()).toEqual({ error: `no run ${unknown}` });
  });

  it('follows several runs on one stream: snapshot, status events, summaries, then the end', async () => {
    const one = await startRun(pool, teamA, 'chain');
    const two = await startRun(pool, teamA, 'chain');
    const s = open([one.id, two.id]);
    await s.waitFor((e) => e.some((m) => m.event === 'snapshot'), 'snapshot');
    const snapshot = data(s.events[0]!) as { runs: { runId: string; status: string }[] };
    expect(snapshot.runs.map((r) => [r.runId, r.status]).sort()).toEqual(
      [
        [one.id, 'running'],
        [two.id, 'running'],
      ].sort(),
    );

    await runTask(one.id, 'a', 'succeeded');
    await s.waitFor(
      (e) =>
        e.some(
          (m) =>
            m.event === 'task' &&
            data(m).runId === one.id &&
            data(m).task === 'a' &&
            data(m).status === 'succeeded',
        ),
      'task a of run one succeeded',
    );
    await runTask(one.id, 'b', 'succeeded');
    await s.waitFor(
      (e) =>
        e.some(
          (m) => m.event === 'summary' && JSON.stringify(data(m)).includes('"status":"succeeded"'),
        ),
      'summary of run one',
    );
    expect(
      s.events.some(
        (m) => m.event === 'run' && data(m).runId === one.id && data(m).status === 'succeeded',
      ),
    ).toBe(true);
    const summary = s.events.find((m) => m.event === 'summary')!;
    expect(data(summary)).toMatchObject({
      runs: [{ runId: one.id, status: 'succeeded', tasksDone: 2, tasksTotal: 2 }],
      missing: [],
    });
    expect(s.isEnded()).toBe(false);

    await cancelRun(pool, two.id);
    await s.waitFor(() => s.isEnded(), 'the end of the stream');
    expect(s.events.at(-1)?.event).toBe('end');
    expect(
      s.events.some(
        (m) => m.event === 'run' && data(m).runId === two.id && data(m).status === 'cancelled',
      ),
    ).toBe(true);
    await s.stop();
  });
});
