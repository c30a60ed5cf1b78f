// The two ways a completion is written: one statement (the common case) and the multi-statement
// transaction it hands over to when skips cascade. Both must leave the same state behind.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimTasks,
  completeAttempts,
  createPool,
  createPrismaClient,
  createRun,
  getRun,
  RUN_EVENTS_CHANNEL,
  type Pool,
  type PrismaClient,
  type RunEventsNotice,
} from '../src';
import { completeInOneStatement } from '../src/operations/runs/oneStatementCompletion';
import { closeRow, queuedTaskIds } from './support/attempts';
import { deployWorkflow } from './support/workflows';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamId: string;

const deploy = (yaml: string) => deployWorkflow(prisma, teamId, yaml);

const queued = (runId: string) => queuedTaskIds(pool, runId);

beforeAll(async () => {
  db = await createTestDatabase('completion_paths');
  pool = createPool(db.url, { applicationName: 'test', genericPlans: true });
  prisma = createPrismaClient(db.url, { max: 2 });
  teamId = (await prisma.team.create({ data: { slug: 'c', name: 'C' } })).id;
  await deploy(`
name: fan
tasks:
  a: { kind: noop }
  b: { kind: noop }
  c: { kind: noop }
  join: { kind: noop, needs: [a, b, c], trigger: one_success }
`);
  await deploy(`
name: cascade
tasks:
  a: { kind: noop }
  b: { kind: noop, needs: [a] }
  c: { kind: noop, needs: [b] }
  d: { kind: noop, needs: [c], trigger: all_done }
`);
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

describe('completing attempts', () => {
  it('ends a batch of mixed outcomes in one statement, with one notice and one run update', async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const notices: RunEventsNotice[] = [];
    listener.on('notification', (n) => notices.push(JSON.parse(n.payload!) as RunEventsNotice));
    await listener.query(`LISTEN ${RUN_EVENTS_CHANNEL}`);
    try {
      const { run } = await createRun(pool, { teamId, workflow: { name: 'fan' } });
      const claimed = await claimTasks(pool, await queued(run.id), null);
      expect(claimed).toHaveLength(3);
      const rows = claimed.map((c) =>
        closeRow(c, {
          status: c.taskKey === 'a' ? 'failed' : 'succeeded',
          outcome: c.taskKey === 'a' ? 'failed' : 'succeeded',
          output: c.taskKey === 'b' ? JSON.stringify({ n: 1 }) : null,
        }),
      );
      const result = await completeInOneStatement(pool, run.id, rows);
      expect(result!.ended.size).toBe(3);
      expect(result!.finishedStatus).toBeNull();

      const view = await getRun(pool, run.id);
      const status = Object.fromEntries(view!.tasks.map((t) => [t.key, t.status]));
      expect(status).toEqual({ a: 'failed', b: 'succeeded', c: 'succeeded', join: 'queued' });
      expect(view!.tasks.find((t) => t.key === 'b')!.output).toEqual({ n: 1 });
      const { rows: counters } = await pool.query(
        `SELECT upstream_pending, upstream_succeeded, upstream_failed FROM task_runs
          WHERE run_id = $1 AND task_key = 'join'`,
        [run.id],
      );
      expect(counters[0]).toEqual({
        upstream_pending: 0,
        upstream_succeeded: 2,
        upstream_failed: 1,
      });
      const { rows: runRow } = await pool.query(
        'SELECT tasks_done, tasks_failed FROM workflow_runs WHERE id = $1',
        [run.id],
      );
      expect(runRow[0]).toEqual({ tasks_done: 3, tasks_failed: 1 });

      // Closing the same attempts again changes nothing: whoever closed them first owns them.
      const again = await completeInOneStatement(pool, run.id, rows);
      expect(again!.ended.size).toBe(0);

      await new Promise((r) => setTimeout(r, 100));
      const completion = notices.filter((n) => n.changes.some((c) => c.task === 'join'));
      expect(completion).toHaveLength(1);
      expect(completion[0]!.changes).toEqual(
        expect.arrayContaining([
          { task: 'a', status: 'failed' },
          { task: 'b', status: 'succeeded' },
          { task: 'c', status: 'succeeded' },
          { task: 'join', status: 'queued' },
        ]),
      );
    } finally {
      await listener.end();
    }
  });

  it('hands skips that cascade to the transaction, which writes them all and ends the run', async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'cascade' } });
    const [a] = await claimTasks(pool, await queued(run.id), null);
    const row = closeRow(a!, { status: 'failed', outcome: 'failed', exit_code: 1, error: 'boom' });
    // b is skipped and has a downstream task: one statement cannot follow that, so it writes nothing.
    expect(await completeInOneStatement(pool, run.id, [row])).toBeNull();
    expect((await getRun(pool, run.id))!.tasks.find((t) => t.key === 'a')!.status).toBe('running');

    const [result] = await completeAttempts(pool, run.id, [
      { attemptId: a!.attemptId, taskRunId: a!.taskRunId, runId: run.id, outcome: 'failed' },
    ]);
    expect(result).toEqual({ applied: true, taskStatus: 'failed', runStatus: null });
    const view = await getRun(pool, run.id);
    const status = Object.fromEntries(view!.tasks.map((t) => [t.key, t.status]));
    expect(status).toEqual({ a: 'failed', b: 'skipped', c: 'skipped', d: 'queued' });

    const [d] = await claimTasks(pool, await queued(run.id), null);
    const [last] = await completeAttempts(pool, run.id, [
      { attemptId: d!.attemptId, taskRunId: d!.taskRunId, runId: run.id, outcome: 'succeeded' },
    ]);
    expect(last).toEqual({ applied: true, taskStatus: 'succeeded', runStatus: 'failed' });
  });

  it('the leaner statement for leaves refuses a task with downstream tasks, and nothing is lost', async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'cascade' } });
    const [a] = await claimTasks(pool, await queued(run.id), null, { firstDelivery: true });
    expect(a!.leaf).toBe(false);
    const row = closeRow(a!);
    expect(await completeInOneStatement(pool, run.id, [row], { leavesOnly: true })).toBeNull();
    expect((await getRun(pool, run.id))!.tasks.find((t) => t.key === 'a')!.status).toBe('running');

    // A caller that wrongly calls it a leaf still gets the full completion (the general statement).
    const [result] = await completeAttempts(pool, run.id, [
      {
        attemptId: a!.attemptId,
        taskRunId: a!.taskRunId,
        runId: run.id,
        outcome: 'succeeded',
        leaf: true,
      },
    ]);
    expect(result).toEqual({ applied: true, taskStatus: 'succeeded', runStatus: null });
    const status = Object.fromEntries(
      (await getRun(pool, run.id))!.tasks.map((t) => [t.key, t.status]),
    );
    expect(status).toEqual({ a: 'succeeded', b: 'queued', c: 'pending', d: 'pending' });

    // Leaves complete through the leaner statement, the run's counters and end included.
    const { run: fan } = await createRun(pool, { teamId, workflow: { name: 'fan' } });
    const roots = await claimTasks(pool, await queued(fan.id), null);
    const leafRows = roots.map((c) => closeRow(c));
    // a, b, c all feed `join`: not leaves, so the leaner statement refuses them too.
    expect(await completeInOneStatement(pool, fan.id, leafRows, { leavesOnly: true })).toBeNull();
    await completeAttempts(
      pool,
      fan.id,
      roots.map((c) => ({
        attemptId: c.attemptId,
        taskRunId: c.taskRunId,
        runId: fan.id,
        outcome: 'succeeded' as const,
        leaf: c.leaf,
      })),
    );
    const [join] = await claimTasks(pool, await queued(fan.id), null);
    expect(join!.leaf).toBe(true);
    const done = await completeInOneStatement(pool, fan.id, [closeRow(join!)], {
      leavesOnly: true,
    });
    expect(done!.ended.size).toBe(1);
    expect(done!.finishedStatus).toBe('succeeded');
    const { rows: counters } = await pool.query(
      'SELECT status, tasks_done, tasks_failed FROM workflow_runs WHERE id = $1',
      [fan.id],
    );
    expect(counters[0]).toEqual({ status: 'succeeded', tasks_done: 4, tasks_failed: 0 });
  });
});
