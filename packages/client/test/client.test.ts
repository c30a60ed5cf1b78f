// @dtss/client against a real server (the web app's route handlers over HTTP) and database: the
// typed procedures, waitForRun, and tailLogs resuming across a server restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendLogChunk,
  claimTask,
  completeAttempt,
  createPool,
  createPrismaClient,
  type ClaimedTask,
  type Pool,
  type PrismaClient,
} from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { createTeam, createToken, taskRunIds } from '../../../apps/web/test/support/fixtures';
import {
  startRouteServer,
  type RouteServer,
} from '../../../apps/web/test/support/start-route-server';
import {
  createDtssClient,
  DtssHttpError,
  tailLogs,
  TRPCClientError,
  waitForRun,
  type LogChunkEvent,
  type RunChangeEvent,
} from '../src';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let server: RouteServer;
let token: string;

beforeAll(async () => {
  db = await createTestDatabase('client');
  pool = createPool(db.url, { applicationName: 'client-test', max: 4 });
  prisma = createPrismaClient(db.url, { pool });
  token = await createToken(pool, await createTeam(pool, 'team'), 'editor');
  server = await startRouteServer(db.url);
});

afterAll(async () => {
  await server?.stop();
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

async function claim(runId: string, key: string): Promise<ClaimedTask> {
  return (await claimTask(pool, (await taskRunIds(pool, runId))[key]!, null))!;
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

async function log(task: ClaimedTask, seq: number, text: string): Promise<void> {
  await appendLogChunk(pool, {
    attemptId: task.attemptId,
    taskRunId: task.taskRunId,
    runId: task.runId,
    seq,
    firstLine: seq,
    lines: [text],
    meta: [{ t: new Date().toISOString(), s: 'stdout' }],
  });
}

describe('@dtss/client', () => {
  it('applies, triggers and waits for a run, with typed results and errors', async () => {
    const client = createDtssClient({ url: server.url, token });
    const applied = await client.workflows.applyDefinition.mutate({
      text: 'name: pair\ntasks:\n  a: { kind: noop }\n  b: { kind: noop, needs: [a] }\n',
    });
    expect(applied).toMatchObject({ name: 'pair', change: 'created', version: 1 });
    const { run } = await client.runs.trigger.mutate({ workflow: 'pair' });

    const changes: RunChangeEvent[] = [];
    let opened: () => void;
    const snapshot = new Promise<void>((resolve) => (opened = resolve));
    const waiting = waitForRun(client, run.id, {
      onSnapshot: () => opened(),
      onChange: (c) => void changes.push(c),
    });
    await snapshot;
    const a = await claim(run.id, 'a');
    await succeed(a);
    await succeed(await claim(run.id, 'b'));
    const final = await waiting;
    expect(final.status).toBe('succeeded');
    expect(final.finishedAt).toBeInstanceOf(Date);
    expect(final.tasks.map((t) => [t.key, t.status])).toEqual([
      ['a', 'succeeded'],
      ['b', 'succeeded'],
    ]);
    expect(changes.at(-1)).toEqual({ type: 'run', runId: run.id, status: 'succeeded' });
    // Superjson on the wire: dates are Dates.
    expect((await client.runs.get.query({ runId: run.id })).createdAt).toBeInstanceOf(Date);

    const refused = await client.runs.trigger.mutate({ workflow: 'nope' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<never>).data).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('tails logs across a server restart without losing or repeating a chunk', async () => {
    const client = createDtssClient({ url: server.url, token });
    await client.workflows.applyDefinition.mutate({
      text: 'name: one\ntasks:\n  a: { kind: noop }\n',
    });
    const { run } = await client.runs.trigger.mutate({ workflow: 'one' });
    const a = await claim(run.id, 'a');
    await log(a, 0, 'first');

    const got: LogChunkEvent[] = [];
    const reconnects: number[] = [];
    const tail = (async () => {
      const stream = tailLogs(server.url, token, run.id, {
        retryDelayMs: 100,
        onReconnect: (_e, n) => reconnects.push(n),
      });
      for (;;) {
        const next = await stream.next();
        if (next.done) return next.value;
        got.push(next.value);
      }
    })();
    while (got.length < 1) await new Promise((r) => setTimeout(r, 20));
    const port = Number(new URL(server.url).port);
    await server.stop();
    await log(a, 1, 'while down');
    server = await startRouteServer(db.url, {}, port);
    await log(a, 2, 'after');
    await succeed(a);
    expect(await tail).toEqual({ runId: run.id, status: 'succeeded' });
    expect(got.map((c) => c.lines[0]!.text)).toEqual(['first', 'while down', 'after']);
    expect(reconnects.length).toBeGreaterThan(0);
  });

  it('reports a missing token and an unknown run on the streams as DtssHttpError', async () => {
    const anonymous = createDtssClient({ url: server.url });
    const unauthorized = await waitForRun(anonymous, '3b0c5a0e-6a8e-4a53-9d55-2b2f7d7f0b8e').catch(
      (e: unknown) => e,
    );
    expect(unauthorized).toBeInstanceOf(DtssHttpError);
    expect((unauthorized as DtssHttpError).status).toBe(401);
    const missing = await tailLogs(server.url, token, '3b0c5a0e-6a8e-4a53-9d55-2b2f7d7f0b8e')
      .next()
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({
      status: 404,
      message: 'no run 3b0c5a0e-6a8e-4a53-9d55-2b2f7d7f0b8e',
    });
    expect(() => createDtssClient({ url: 'localhost:3000' })).toThrow(
      /must be an http or https URL|is not a URL/,
    );
  });
});
