// The SSE routes over real HTTP: the route handlers served by a real Node server process
// (test/support/route-server.ts, the functions Next.js calls), a real Postgres, real API tokens.
// Runs advance through the engine's own operations (claimTask, appendLogChunk, completeAttempt),
// which send the same NOTIFYs a worker's would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream, type SseMessage } from '@dtss/client';
import {
  appendLogChunk,
  claimTask,
  completeAttempt,
  createPool,
  createPrismaClient,
  hashApiToken,
  type ClaimedTask,
  type Pool,
  type PrismaClient,
} from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import {
  createTeam,
  createToken,
  createUser,
  saveWorkflow,
  signIn,
  startRun,
  taskRunIds,
} from '../support/fixtures';
import { startRouteServer, type RouteServer } from '../support/start-route-server';
import { expandLines, type CompactLines } from '@/lib/logWire';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let server: RouteServer;
let teamA: string;
let tokenA: string;
let tokenB: string;

const CHAIN =
  'name: chain\ntasks:\n  a: { kind: shell, command: echo a }\n  b: { kind: shell, needs: [a], command: echo b }\n';
const PAIR =
  'name: pair\ntasks:\n  a: { kind: shell, command: echo a }\n  b: { kind: shell, command: echo b }\n';

beforeAll(async () => {
  db = await createTestDatabase('web_live_streams');
  pool = createPool(db.url, { applicationName: 'streams-test', max: 4 });
  prisma = createPrismaClient(db.url, { pool });
  teamA = await createTeam(pool, 'team-a');
  const teamB = await createTeam(pool, 'team-b');
  tokenA = await createToken(pool, teamA, 'viewer');
  tokenB = await createToken(pool, teamB, 'owner');
  await saveWorkflow(prisma, teamA, CHAIN);
  await saveWorkflow(prisma, teamA, PAIR);
  // Open streams re-check their access every 300 ms here (a minute by default).
  server = await startRouteServer(db.url, { DTSS_STREAM_RECHECK_MS: '300' });
});

afterAll(async () => {
  await server?.stop();
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

/** Reads a stream until `until` says enough (then disconnects) or the server ends it. */
interface ReadOptions {
  token?: string;
  lastEventId?: string;
  /** Called with every event so far; true disconnects. */
  until?: (events: SseMessage[]) => boolean;
  /** Aborting disconnects (the events so far are returned). */
  stop?: AbortSignal;
}

/** Reads a stream until `until` says enough, `stop` aborts, or the server ends it. */
async function read(
  path: string,
  opts: ReadOptions = {},
  timeoutMs = 15_000,
): Promise<SseMessage[]> {
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, timeoutMs);
  opts.stop?.addEventListener('abort', () => abort.abort(), { once: true });
  const events: SseMessage[] = [];
  try {
    for await (const m of openEventStream(`${server.url}${path}`, {
      token: opts.token ?? tokenA,
      lastEventId: opts.lastEventId,
      signal: abort.signal,
    })) {
      events.push(m);
      if (opts.until?.(events)) break;
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
    if (timedOut) throw new Error(`timed out; got ${JSON.stringify(events)}\n${server.output()}`);
  } finally {
    clearTimeout(timer);
  }
  return events;
}

/** A stream that runs in the background while the test changes the run. */
function open(path: string, opts: ReadOptions = {}) {
  const events: SseMessage[] = [];
  const stopper = new AbortController();
  const done = read(path, {
    ...opts,
    stop: stopper.signal,
    until: (got) => {
      events.splice(0, events.length, ...got);
      return opts.until?.(got) ?? false;
    },
  });
  const waitFor = async (probe: (e: SseMessage[]) => boolean, what: string) => {
    const deadline = Date.now() + 15_000;
    while (!probe(events)) {
      if (Date.now() > deadline) throw new Error(`no ${what}; got ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const stop = async () => {
    stopper.abort();
    return done;
  };
  return { events, done, waitFor, stop };
}

const data = (m: SseMessage) => JSON.parse(m.data) as Record<string, unknown>;

async function claim(runId: string, key: string): Promise<ClaimedTask> {
  const ids = await taskRunIds(pool, runId);
  const claimed = await claimTask(pool, ids[key]!, null);
  if (!claimed) throw new Error(`could not claim ${key}`);
  return claimed;
}

async function succeed(task: ClaimedTask): Promise<void> {
  await completeAttempt(pool, {
    attemptId: task.attemptId,
    taskRunId: task.taskRunId,
    runId: task.runId,
    outcome: 'succeeded',
    exitCode: 0,
  });
}

let seqs = new Map<string, number>();
async function log(task: ClaimedTask, lines: string[], db: Pick<Pool, 'query'> = pool) {
  const seq = seqs.get(task.attemptId) ?? 0;
  seqs.set(task.attemptId, seq + 1);
  const first = seq * 1000;
  await appendLogChunk(db, {
    attemptId: task.attemptId,
    taskRunId: task.taskRunId,
    runId: task.runId,
    seq,
    firstLine: first,
    lines,
    meta: lines.map(() => ({ t: new Date().toISOString(), s: 'stdout' as const })),
  });
}

describe('authorization', () => {
  it('answers 401 without a valid token and 404 for a foreign, unknown or malformed run', async () => {
    const run = await startRun(pool, teamA, 'chain');
    for (const suffix of ['', '/logs']) {
      const path = `/api/stream/runs/${run.id}${suffix}`;
      const anonymous = await fetch(`${server.url}${path}`);
      expect(anonymous.status, server.output()).toBe(401);
      expect(await anonymous.json()).toEqual({ error: 'sign in or send a Bearer API token' });
      const forged = await fetch(`${server.url}${path}`, {
        headers: { Authorization: `Bearer dtss_${'x'.repeat(43)}` },
      });
      expect(forged.status).toBe(401);

      const foreign = await fetch(`${server.url}${path}`, {
        headers: { Authorization: `Bearer ${tokenB}` },
      });
      expect(foreign.status).toBe(404);
      expect(await foreign.json()).toEqual({ error: `no run ${run.id}` });
      for (const id of ['3b0c5a0e-6a8e-4a53-9d55-2b2f7d7f0b8e', 'not-a-run']) {
        const unknown = await fetch(`${server.url}/api/stream/runs/${id}${suffix}`, {
          headers: { Authorization: `Bearer ${tokenA}` },
        });
        expect(unknown.status).toBe(404);
      }
    }
    const headers = { Authorization: `Bearer ${tokenA}` };
    const noTask = await fetch(`${server.url}/api/stream/runs/${run.id}/logs?attempt=1`, {
      headers,
    });
    expect(noTask.status).toBe(400);
    expect(await noTask.json()).toEqual({ error: '?attempt= needs ?task=' });
    const badTask = await fetch(`${server.url}/api/stream/runs/${run.id}/logs?task=zz`, {
      headers,
    });
    expect(badTask.status).toBe(404);
    const badCursor = await fetch(`${server.url}/api/stream/runs/${run.id}/logs`, {
      headers: { ...headers, 'Last-Event-ID': '9.9.9' },
    });
    expect(badCursor.status).toBe(400);
  });
});

describe('signed-in users', () => {
  it('may watch the runs of their teams, and no others', async () => {
    const run = await startRun(pool, teamA, 'chain');
    await createUser(pool, 'member@example.test', 'a long password', {
      teamId: teamA,
      role: 'viewer',
    });
    await createUser(pool, 'outsider@example.test', 'another password');
    const member = await signIn(server.url, 'member@example.test', 'a long password');
    const outsider = await signIn(server.url, 'outsider@example.test', 'another password');
    const as = (cookie: string, suffix = '') =>
      fetch(`${server.url}/api/stream/runs/${run.id}${suffix}`, { headers: { cookie } });

    const watching = await as(member);
    expect(watching.status).toBe(200);
    expect(watching.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await watching.body!.cancel();
    const logs = await as(member, '/logs');
    expect(logs.status).toBe(200);
    await logs.body!.cancel();
    expect((await as(outsider)).status).toBe(404);
    expect((await as(outsider, '/logs')).status).toBe(404);
  });
});

describe('run stream', () => {
  it('sends a snapshot, then each change, then the final snapshot and end', async () => {
    const run = await startRun(pool, teamA, 'chain');
    const stream = open(`/api/stream/runs/${run.id}`);
    await stream.waitFor((e) => e.some((m) => m.event === 'snapshot'), 'snapshot');
    const first = data(stream.events[0]!);
    expect(first).toMatchObject({ id: run.id, status: 'running', workflowName: 'chain' });
    expect(
      (first.tasks as { key: string; status: string }[]).map((t) => [t.key, t.status]),
    ).toEqual([
      ['a', 'queued'],
      ['b', 'pending'],
    ]);

    // A notice committed before the snapshot can arrive after it: nothing new, nothing sent.
    await pool.query('SELECT pg_notify($1, $2)', [
      'dtss_run_events',
      JSON.stringify({
        runId: run.id,
        changes: [{ status: 'queued' }, { status: 'running' }, { task: 'a', status: 'queued' }],
      }),
    ]);

    const a = await claim(run.id, 'a');
    await stream.waitFor((e) => e.some((m) => m.event === 'task'), 'task a running');
    await succeed(a);
    const b = await claim(run.id, 'b');
    await succeed(b);
    const events = await stream.done;
    const changes = events
      .filter((m) => m.event === 'task' || m.event === 'run')
      .map((m) => ({ event: m.event, ...data(m) }));
    expect(changes).toEqual([
      { event: 'task', runId: run.id, task: 'a', status: 'running' },
      { event: 'task', runId: run.id, task: 'a', status: 'succeeded' },
      { event: 'task', runId: run.id, task: 'b', status: 'queued' },
      { event: 'task', runId: run.id, task: 'b', status: 'running' },
      { event: 'task', runId: run.id, task: 'b', status: 'succeeded' },
      { event: 'run', runId: run.id, status: 'succeeded' },
    ]);
    expect(events.at(-2)!.event).toBe('snapshot');
    expect(data(events.at(-2)!)).toMatchObject({ status: 'succeeded' });
    expect(events.at(-1)!).toMatchObject({ event: 'end' });
    expect(data(events.at(-1)!)).toEqual({ runId: run.id, status: 'succeeded' });
    // Ids are unique and increasing within a connection.
    const ids = events.map((m) => Number(m.id));
    expect(ids).toEqual(ids.map((_, i) => i + 1));

    // A finished run: snapshot and end at once.
    const again = await read(`/api/stream/runs/${run.id}`, { lastEventId: '3' });
    expect(again.map((m) => m.event)).toEqual(['snapshot', 'end']);
  });
});

describe('run stream, changes out of order', () => {
  it('re-reads the run when a change would move a task back a stage, and sends what is stored', async () => {
    const run = await startRun(pool, teamA, 'chain');
    const stream = open(`/api/stream/runs/${run.id}`);
    await stream.waitFor((e) => e.some((m) => m.event === 'snapshot'), 'snapshot');
    const a = await claim(run.id, 'a');
    await stream.waitFor(
      (e) => e.some((m) => m.event === 'task' && data(m).status === 'running'),
      'task a running',
    );
    // A late `queued` for a (another worker's coalesced notice): not sent as a change; the run is
    // re-read and the stored state (a running) goes out as a snapshot.
    await pool.query('SELECT pg_notify($1, $2)', [
      'dtss_run_events',
      JSON.stringify({ runId: run.id, changes: [{ task: 'a', status: 'queued' }] }),
    ]);
    await stream.waitFor(
      (e) => e.filter((m) => m.event === 'snapshot').length === 2,
      'a second snapshot',
    );
    const snapshot = data(stream.events.filter((m) => m.event === 'snapshot')[1]!);
    expect(
      (snapshot.tasks as { key: string; status: string }[]).map((t) => [t.key, t.status]),
    ).toEqual([
      ['a', 'running'],
      ['b', 'pending'],
    ]);
    expect(stream.events.filter((m) => m.event === 'task' && data(m).status === 'queued')).toEqual(
      [],
    );
    await succeed(a);
    await succeed(await claim(run.id, 'b'));
    const events = await stream.done;
    expect(events.at(-1)!).toMatchObject({ event: 'end' });
  });
});

describe('access while a stream is open', () => {
  it('ends a run stream once its token is revoked', async () => {
    const token = await createToken(pool, teamA, 'viewer');
    const run = await startRun(pool, teamA, 'chain');
    const stream = open(`/api/stream/runs/${run.id}`, {
      token,
      until: (e) => e.some((m) => m.event === 'error'),
    });
    await stream.waitFor((e) => e.some((m) => m.event === 'snapshot'), 'snapshot');
    await new Promise((r) => setTimeout(r, 700));
    expect(stream.events.some((m) => m.event === 'error')).toBe(false);
    await pool.query('UPDATE api_tokens SET revoked_at = now() WHERE token_hash = $1', [
      hashApiToken(token),
    ]);
    await stream.waitFor((e) => e.some((m) => m.event === 'error'), 'the revocation');
    expect(data(stream.events.at(-1)!)).toEqual({ message: 'access revoked' });
    await stream.stop();
  });
});

describe('log stream', () => {
  it('resumes exactly after Last-Event-ID, also when chunks commit out of id order', async () => {
    seqs = new Map();
    const run = await startRun(pool, teamA, 'pair');
    const a = await claim(run.id, 'a');
    const b = await claim(run.id, 'b');
    await log(a, ['a0-0', 'a0-1']);
    await log(b, ['b0-0']);
    await log(a, ['a1-0']);

    // First connection: the three stored chunks, then a live one; then it drops.
    const first = open(`/api/stream/runs/${run.id}/logs`);
    await first.waitFor((e) => e.filter((m) => m.event === 'log').length === 3, 'stored chunks');
    await log(b, ['b1-0', 'b1-1']);
    await first.waitFor((e) => e.filter((m) => m.event === 'log').length === 4, 'a live chunk');

    // A chunk of `a` takes its id now but commits later than a chunk of `b` with a higher id:
    // a chunk-id cursor would skip it.
    const tx = await pool.connect();
    await tx.query('BEGIN');
    await log(a, ['a2-late'], tx);
    await log(b, ['b2-0']);
    await first.waitFor((e) => e.filter((m) => m.event === 'log').length === 5, 'b2');
    await first.stop();
    const lastId = first.events.filter((m) => m.event === 'log').at(-1)!.id!;
    expect(lastId).toBe('0.1.1,1.1.2');
    await tx.query('COMMIT');
    tx.release();
    await log(a, ['a3-0']);

    // Second connection resumes: the late chunk, the new one, nothing twice.
    const resumed = open(`/api/stream/runs/${run.id}/logs`, { lastEventId: lastId });
    await resumed.waitFor((e) => e.filter((m) => m.event === 'log').length === 2, 'the rest');
    await log(b, ['b3-0']);
    await resumed.waitFor((e) => e.filter((m) => m.event === 'log').length === 3, 'b3');
    await succeed(a);
    await succeed(b);
    const rest = await resumed.done;
    expect(rest.at(-1)).toMatchObject({ event: 'end' });
    expect(data(rest.at(-1)!)).toEqual({ runId: run.id, status: 'succeeded' });

    const all = [...first.events, ...rest].filter((m) => m.event === 'log').map(data);
    const text = (task: string) =>
      all
        .filter((c) => c.task === task)
        .flatMap((c) => (c.lines as { text: string }[]).map((l) => l.text));
    expect(text('a')).toEqual(['a0-0', 'a0-1', 'a1-0', 'a2-late', 'a3-0']);
    expect(text('b')).toEqual(['b0-0', 'b1-0', 'b1-1', 'b2-0', 'b3-0']);
    expect(all[0]).toMatchObject({ task: 'a', attempt: 1, seq: 0 });
    expect((all[0]!.lines as unknown[])[1]).toMatchObject({
      line: 1,
      text: 'a0-1',
      stream: 'stdout',
    });

    // Filters: one task, and the stored lines only (follow=false) of a finished run.
    const onlyB = await read(`/api/stream/runs/${run.id}/logs?task=b&attempt=1`);
    expect(onlyB.filter((m) => m.event === 'log').map((m) => data(m).seq)).toEqual([0, 1, 2, 3]);
    expect(onlyB.at(-1)!.event).toBe('end');
    // Resuming after the end sends just the end.
    const after = await read(`/api/stream/runs/${run.id}/logs`, { lastEventId: rest.at(-1)!.id });
    expect(after.map((m) => m.event)).toEqual(['end']);
  });

  it('catches up after its LISTEN connection was cut (chunks stored meanwhile are not lost)', async () => {
    seqs = new Map();
    const run = await startRun(pool, teamA, 'pair');
    const a = await claim(run.id, 'a');
    const stream = open(`/api/stream/runs/${run.id}/logs`);
    const status = open(`/api/stream/runs/${run.id}`);
    await log(a, ['before']);
    await stream.waitFor((e) => e.some((m) => m.event === 'log'), 'the first chunk');
    await status.waitFor((e) => e.some((m) => m.event === 'snapshot'), 'the snapshot');

    // What a database restart does to the web process's listener; its notices are gone for good.
    await pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'dtss-web-live'`,
    );
    await log(a, ['while reconnecting']);
    await stream.waitFor(
      (e) => e.filter((m) => m.event === 'log').length === 2,
      'the chunk stored while the listener was down',
    );
    // The status stream re-reads the run: a second snapshot.
    await status.waitFor(
      (e) => e.filter((m) => m.event === 'snapshot').length === 2,
      'a snapshot after the resync',
    );
    await log(a, ['after']);
    await stream.waitFor((e) => e.filter((m) => m.event === 'log').length === 3, 'a live chunk');
    const lines = (await stream.stop())
      .filter((m) => m.event === 'log')
      .map((m) => (data(m).lines as { text: string }[])[0]!.text);
    expect(lines).toEqual(['before', 'while reconnecting', 'after']);
    await status.stop();
  });

  it('with follow=false sends the stored lines of a running run, then ends', async () => {
    seqs = new Map();
    const run = await startRun(pool, teamA, 'pair');
    const a = await claim(run.id, 'a');
    await log(a, ['x']);
    const events = await read(`/api/stream/runs/${run.id}/logs?follow=false`);
    expect(events.map((m) => m.event)).toEqual(['log', 'end']);
    expect(data(events[1]!)).toEqual({ runId: run.id, status: 'running' });
  });

  it('sends lines in the compact form on ?format=compact, and refuses an unknown format', async () => {
    seqs = new Map();
    const run = await startRun(pool, teamA, 'pair');
    const a = await claim(run.id, 'a');
    await log(a, ['one', 'two', 'three']);
    const plain = await read(`/api/stream/runs/${run.id}/logs?follow=false`);
    const compact = await read(`/api/stream/runs/${run.id}/logs?follow=false&format=compact`);
    expect(compact.map((m) => m.event)).toEqual(['log', 'end']);
    const c = data(compact[0]!);
    expect(c).toMatchObject({ task: 'a', attempt: 1, seq: 0, first: 0, text: 'one\ntwo\nthree' });
    expect(c).not.toHaveProperty('lines');
    // The same lines as the plain form, once expanded.
    expect(expandLines(c as unknown as CompactLines)).toEqual(data(plain[0]!).lines);
    const bad = await fetch(`${server.url}/api/stream/runs/${run.id}/logs?format=xml`, {
      headers: { Authorization: `Bearer ${tokenA}` },
    });
    expect(bad.status).toBe(400);
  });
});
