// A worker's claims and completions can hand their task changes to a sink (the worker coalesces
// them into one NOTIFY per run) instead of announcing them in their own statement. A change of the
// run's own status is still announced by the statement that makes it, with its task changes.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  announceRunChanges,
  claimTasks,
  completeAttempts,
  createPool,
  createPrismaClient,
  createRun,
  RUN_EVENTS_CHANNEL,
  type Pool,
  type PrismaClient,
  type RunChange,
  type RunEventsNotice,
} from '../src';
import { queuedTaskIds } from './support/attempts';
import { deployWorkflow } from './support/workflows';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamId: string;
let listener: pg.Client;
const heard: RunEventsNotice[] = [];

class Sink {
  readonly added: { runId: string; changes: RunChange[] }[] = [];
  add(runId: string, changes: RunChange[]): void {
    this.added.push({ runId, changes });
  }
}

const queued = (runId: string) => queuedTaskIds(pool, runId);

/** Notices of one run heard so far, after giving in-flight ones a moment to arrive. */
async function heardFor(runId: string): Promise<RunEventsNotice[]> {
  await new Promise((r) => setTimeout(r, 150));
  return heard.filter((n) => n.runId === runId);
}

beforeAll(async () => {
  db = await createTestDatabase('deferred_notices');
  pool = createPool(db.url, { applicationName: 'test', genericPlans: true });
  prisma = createPrismaClient(db.url, { max: 2 });
  teamId = (await prisma.team.create({ data: { slug: 'n', name: 'N' } })).id;
  await deployWorkflow(
    prisma,
    teamId,
    `
name: pair
tasks:
  a: { kind: noop }
  b: { kind: noop }
  after: { kind: noop, needs: [a] }
`,
  );
  listener = new pg.Client({ connectionString: db.url });
  await listener.connect();
  listener.on('notification', (n) => heard.push(JSON.parse(n.payload!) as RunEventsNotice));
  await listener.query(`LISTEN ${RUN_EVENTS_CHANNEL}`);
});
afterAll(async () => {
  await listener.end();
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

describe('task changes handed to a sink', () => {
  it('claims announce nothing themselves; the sink gets each task as running', async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'pair' } });
    await heardFor(run.id);
    const before = heard.length;
    const sink = new Sink();
    const claimed = await claimTasks(pool, await queued(run.id), null, { notices: sink });
    expect(claimed.map((c) => c.taskKey).sort()).toEqual(['a', 'b']);
    expect(sink.added).toEqual(
      expect.arrayContaining([
        { runId: run.id, changes: [{ task: 'a', status: 'running' }] },
        { runId: run.id, changes: [{ task: 'b', status: 'running' }] },
      ]),
    );
    expect(sink.added).toHaveLength(2);
    await heardFor(run.id);
    expect(heard.slice(before).filter((n) => n.runId === run.id)).toEqual([]);

    // Without a sink the claim announces its own changes, as before.
    const { run: other } = await createRun(pool, { teamId, workflow: { name: 'pair' } });
    await claimTasks(pool, await queued(other.id), null);
    const notices = await heardFor(other.id);
    expect(notices.flatMap((n) => n.changes)).toEqual(
      expect.arrayContaining([
        { task: 'a', status: 'running' },
        { task: 'b', status: 'running' },
      ]),
    );
  });

  it('completions that leave the run going hand over every change, downstream included', async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'pair' } });
    const claimed = await claimTasks(pool, await queued(run.id), null, { notices: new Sink() });
    await heardFor(run.id);
    const before = heard.length;
    const a = claimed.find((c) => c.taskKey === 'a')!;
    const sink = new Sink();
    const [result] = await completeAttempts(
      pool,
      run.id,
      [{ attemptId: a.attemptId, taskRunId: a.taskRunId, runId: run.id, outcome: 'succeeded' }],
      sink,
    );
    expect(result).toEqual({ applied: true, taskStatus: 'succeeded', runStatus: null });
    expect(sink.added).toEqual([
      {
        runId: run.id,
        changes: [
          { task: 'a', status: 'succeeded' },
          { task: 'after', status: 'queued' },
        ],
      },
    ]);
    await heardFor(run.id);
    expect(heard.slice(before).filter((n) => n.runId === run.id)).toEqual([]);
  });

  it('the completion that ends the run announces it at once, with its task changes', async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'pair' } });
    const sink = new Sink();
    const first = await claimTasks(pool, await queued(run.id), null, { notices: sink });
    const complete = (c: (typeof first)[number]) =>
      completeAttempts(
        pool,
        run.id,
        [{ attemptId: c.attemptId, taskRunId: c.taskRunId, runId: run.id, outcome: 'succeeded' }],
        sink,
      );
    for (const c of first) await complete(c);
    const [after] = await claimTasks(pool, await queued(run.id), null, { notices: sink });
    await heardFor(run.id);
    const before = heard.length;
    const handed = sink.added.length;

    const [result] = await complete(after!);
    expect(result).toEqual({ applied: true, taskStatus: 'succeeded', runStatus: 'succeeded' });
    expect(sink.added).toHaveLength(handed);
    await heardFor(run.id);
    expect(heard.slice(before).filter((n) => n.runId === run.id)).toEqual([
      {
        runId: run.id,
        changes: [{ task: 'after', status: 'succeeded' }, { status: 'succeeded' }],
      },
    ]);
  });

  it('announceRunChanges sends one notice per run, changes in order, and caps the payload', async () => {
    const before = heard.length;
    const many = Array.from({ length: 400 }, (_, i) => ({
      task: `task-with-a-long-name-${i}`,
      status: 'running' as const,
    }));
    await announceRunChanges(pool, [
      {
        runId: '00000000-0000-4000-8000-000000000001',
        changes: [
          { task: 'x', status: 'running' },
          { task: 'x', status: 'succeeded' },
        ],
      },
      { runId: '00000000-0000-4000-8000-000000000002', changes: many },
      { runId: '00000000-0000-4000-8000-000000000003', changes: [] },
    ]);
    await new Promise((r) => setTimeout(r, 150));
    expect(heard.slice(before)).toEqual([
      {
        runId: '00000000-0000-4000-8000-000000000001',
        changes: [
          { task: 'x', status: 'running' },
          { task: 'x', status: 'succeeded' },
        ],
      },
      { runId: '00000000-0000-4000-8000-000000000002', changes: [], truncated: true },
    ]);
  });
});
