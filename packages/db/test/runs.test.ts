import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelRun,
  claimTask,
  completeAttempt,
  createPool,
  createPrismaClient,
  createRun,
  getRun,
  readTaskDurationHistory,
  heartbeatWorker,
  reapLostWorkers,
  registerWorker,
  RunRequestError,
  rerunRun,
  claimTaskWithinPoolLimit,
  setPoolLimit,
  timeOutRuns,
  type Pool,
  type PrismaClient,
} from '../src';
import { deployWorkflow, driveRun } from './support/workflows';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamId: string;

const deploy = (yaml: string) => deployWorkflow(prisma, teamId, yaml);

async function jobCount(): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    'SELECT count(*) AS n FROM graphile_worker._private_jobs',
  );
  return Number(rows[0]!.n);
}

const drive = (runId: string, outcomeOf?: (key: string) => 'succeeded' | 'failed') =>
  driveRun(pool, runId, { outcomeOf });

beforeAll(async () => {
  db = await createTestDatabase('runs');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { max: 2 });
  teamId = (await prisma.team.create({ data: { slug: 'r', name: 'R' } })).id;
  await deploy(`
name: diamond
params:
  n: { type: integer, default: 1 }
tasks:
  a: { kind: noop }
  b: { kind: noop, needs: [a] }
  c: { kind: noop, needs: [a] }
  d: { kind: noop, needs: [b, c] }
  cleanup: { kind: noop, needs: [d], trigger: always }
`);
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

describe('run lifecycle in the database', () => {
  it('creates a run with its roots queued as jobs, then walks the DAG to success', async () => {
    const jobsBefore = await jobCount();
    const { run, created } = await createRun(pool, { teamId, workflow: { name: 'diamond' } });
    expect(created).toBe(true);
    expect(run.status).toBe('running');
    expect(await jobCount()).toBe(jobsBefore + 1);
    await drive(run.id);
    const view = (await getRun(pool, run.id))!;
    expect(view.status).toBe('succeeded');
    expect(view.params).toEqual({ n: 1 });
    expect(view.tasks.map((t) => t.status)).toEqual(Array(5).fill('succeeded'));
  });

  it('skips downstream of a failure and propagates the skip, but runs `always`', async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'diamond' } });
    await drive(run.id, (k) => (k === 'b' ? 'failed' : 'succeeded'));
    const view = (await getRun(pool, run.id))!;
    const status = Object.fromEntries(view.tasks.map((t) => [t.key, t.status]));
    expect(status).toEqual({
      a: 'succeeded',
      b: 'failed',
      c: 'succeeded',
      d: 'skipped',
      cleanup: 'succeeded',
    });
    expect(view.status).toBe('failed');
  });

  it('refuses bad input before storing anything', async () => {
    const runsBefore = await prisma.workflowRun.count();
    const jobsBefore = await jobCount();
    await expect(createRun(pool, { teamId, workflow: { name: 'nope' } })).rejects.toMatchObject({
      code: 'unknown_workflow',
    });
    const err = await createRun(pool, {
      teamId,
      workflow: { name: 'diamond' },
      params: { n: 'x' },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(RunRequestError);
    expect(err.code).toBe('invalid_params');
    expect(err.details[0].path).toBe('params.n');
    expect(await prisma.workflowRun.count()).toBe(runsBefore);
    expect(await jobCount()).toBe(jobsBefore);
  });

  it('returns the existing run for a repeated idempotency key, even concurrently', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map(() =>
        createRun(pool, { teamId, workflow: { name: 'diamond' }, idempotencyKey: 'k1' }),
      ),
    );
    expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('cancels a run: queued tasks and jobs go, the run ends cancelled', async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'diamond' } });
    const result = await cancelRun(pool, run.id);
    expect(result).toEqual({ accepted: true, stopping: 0 });
    let view = (await getRun(pool, run.id))!;
    // The `always` cleanup task is spared and becomes ready once its upstream has ended.
    expect(view.status).toBe('running');
    const status = () => Object.fromEntries(view.tasks.map((t) => [t.key, t.status]));
    expect(status()).toEqual({
      a: 'cancelled',
      b: 'cancelled',
      c: 'cancelled',
      d: 'cancelled',
      cleanup: 'queued',
    });
    await drive(run.id);
    view = (await getRun(pool, run.id))!;
    expect(view.status).toBe('cancelled');
    expect(status().cleanup).toBe('succeeded');
    const { rows } = await pool.query(
      `SELECT 1 FROM graphile_worker._private_jobs j JOIN task_runs t ON j.key = 'task:' || t.id
        WHERE t.run_id = $1 AND t.status = 'cancelled'`,
      [run.id],
    );
    expect(rows).toHaveLength(0);
    expect((await cancelRun(pool, run.id)).accepted).toBe(false);
  });

  it('times out a run past its deadline: unstarted tasks cancelled, run timed_out', async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'diamond' } });
    expect(await timeOutRuns(pool)).toBe(0);
    await pool.query(
      `UPDATE workflow_runs SET timeout_at = now() - interval '1 second' WHERE id = $1`,
      [run.id],
    );
    expect(await timeOutRuns(pool)).toBe(1);
    await drive(run.id); // the `always` cleanup still runs
    const view = (await getRun(pool, run.id))!;
    expect(view.status).toBe('timed_out');
    expect(view.error).toBe('the run exceeded its runTimeout');
    expect(view.tasks.filter((t) => t.status !== 'cancelled').map((t) => t.key)).toEqual([
      'cleanup',
    ]);
  });

  it('queues runs over the workflow concurrency limit and starts one when a slot frees', async () => {
    await deploy(`
name: limited
concurrency: { maxRuns: 1 }
tasks:
  only: { kind: noop }
`);
    const first = await createRun(pool, { teamId, workflow: { name: 'limited' } });
    const second = await createRun(pool, { teamId, workflow: { name: 'limited' } });
    expect(first.run.status).toBe('running');
    expect(second.run.status).toBe('queued');
    expect((await getRun(pool, second.run.id))!.tasks[0]!.status).toBe('pending');
    await drive(first.run.id);
    expect((await getRun(pool, second.run.id))!.status).toBe('running');
    await drive(second.run.id);
    expect((await getRun(pool, second.run.id))!.status).toBe('succeeded');
  });

  it('retries: the task waits in retry_wait with a delayed job, then runs again', async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'limited' } });
    const { rows } = await pool.query<{ id: string }>(
      'SELECT id FROM task_runs WHERE run_id = $1',
      [run.id],
    );
    const c1 = (await claimTask(pool, rows[0]!.id, null))!;
    await completeAttempt(pool, {
      attemptId: c1.attemptId,
      taskRunId: c1.taskRunId,
      runId: run.id,
      outcome: 'failed',
      exitCode: 1,
      retryDelayMs: 60_000,
    });
    const view = (await getRun(pool, run.id))!;
    expect(view.tasks[0]).toMatchObject({ status: 'retry_wait', attempts: 1 });
    const job = await pool.query<{ run_at: Date }>(
      `SELECT run_at FROM graphile_worker._private_jobs WHERE key = $1`,
      [`task:${rows[0]!.id}`],
    );
    expect(job.rows[0]!.run_at.getTime()).toBeGreaterThan(Date.now() + 50_000);
    const c2 = (await claimTask(pool, rows[0]!.id, null))!;
    expect(c2.attemptNumber).toBe(2);
    await completeAttempt(pool, {
      attemptId: c2.attemptId,
      taskRunId: c2.taskRunId,
      runId: run.id,
      outcome: 'succeeded',
    });
    const done = (await getRun(pool, run.id))!;
    expect(done.status).toBe('succeeded');
    expect(done.tasks[0]!.attemptHistory.map((a) => a.status)).toEqual(['failed', 'succeeded']);
  });

  it('records each attempt once: open on its task while running, lost when its job is redelivered', async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'diamond' } });
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM task_runs WHERE run_id = $1 AND task_key = 'a'`,
      [run.id],
    );
    const rowsOf = async () =>
      (
        await pool.query<{ attempt_number: number; status: string }>(
          'SELECT attempt_number, status FROM task_attempts WHERE task_run_id = $1 ORDER BY 1',
          [rows[0]!.id],
        )
      ).rows;
    const first = (await claimTask(pool, rows[0]!.id, null))!;
    const running = (await getRun(pool, run.id))!.tasks.find((t) => t.key === 'a')!;
    expect(running.attemptHistory).toMatchObject([{ number: 1, status: 'running' }]);
    expect(running.attemptHistory[0]!.startedAt).toBeInstanceOf(Date);
    expect(await rowsOf()).toEqual([]);

    // The job comes back while the task is still running (its holder died): attempt 1 is lost.
    const second = (await claimTask(pool, rows[0]!.id, null))!;
    expect(second.attemptNumber).toBe(2);
    expect(second.attemptId).not.toBe(first.attemptId);
    expect(await rowsOf()).toEqual([{ attempt_number: 1, status: 'lost' }]);
    const late = { taskRunId: first.taskRunId, runId: run.id, outcome: 'succeeded' as const };
    expect(await completeAttempt(pool, { ...late, attemptId: first.attemptId })).toEqual({
      applied: false,
    });
    expect(
      await completeAttempt(pool, { ...late, attemptId: second.attemptId, exitCode: 0 }),
    ).toMatchObject({ applied: true, taskStatus: 'succeeded' });
    expect(await rowsOf()).toEqual([
      { attempt_number: 1, status: 'lost' },
      { attempt_number: 2, status: 'succeeded' },
    ]);
    const ended = (await getRun(pool, run.id))!.tasks.find((t) => t.key === 'a')!;
    expect(ended.attemptHistory).toMatchObject([
      { number: 1, status: 'lost' },
      { number: 2, status: 'succeeded', exitCode: 0 },
    ]);
    // Ended once: a repeated completion changes nothing.
    expect(await completeAttempt(pool, { ...late, attemptId: second.attemptId })).toEqual({
      applied: false,
    });
    await cancelRun(pool, run.id);
  });

  it("deletes a deleted run's attempts with its tasks (no foreign key does it)", async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'diamond' } });
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM task_runs WHERE run_id = $1 AND task_key = 'a'`,
      [run.id],
    );
    const claimed = (await claimTask(pool, rows[0]!.id, null))!;
    await completeAttempt(pool, { ...claimed, outcome: 'succeeded' });
    const count = async () =>
      (
        await pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM task_attempts WHERE task_run_id = $1',
          [rows[0]!.id],
        )
      ).rows[0]!.n;
    expect(await count()).toBe(1);
    await pool.query('DELETE FROM workflow_runs WHERE id = $1', [run.id]);
    expect(await count()).toBe(0);
  });

  it('sweeps a lost worker once, and again if it comes back and is lost again', async () => {
    const workerId = '00000000-0000-4000-8000-00000000beef';
    await registerWorker(pool, {
      ...{ id: workerId, name: 'w', hostname: 'h', pid: 1, version: 't' },
      ...{ pools: ['default'], concurrency: 1 },
    });
    const silence = () =>
      pool.query(`UPDATE workers SET last_heartbeat_at = now() - interval '1 hour' WHERE id = $1`, [
        workerId,
      ]);
    const holdA = async () => {
      const { run } = await createRun(pool, { teamId, workflow: { name: 'diamond' } });
      const { rows } = await pool.query<{ id: string }>(
        `SELECT id FROM task_runs WHERE run_id = $1 AND task_key = 'a'`,
        [run.id],
      );
      await claimTask(pool, rows[0]!.id, workerId);
      return run.id;
    };
    const statusOfA = async (runId: string) =>
      (await getRun(pool, runId))!.tasks.find((t) => t.key === 'a')!;

    const first = await holdA();
    await silence();
    expect(await reapLostWorkers(pool, 60_000)).toEqual({ workers: [workerId], attempts: 1 });
    expect(await statusOfA(first)).toMatchObject({
      status: 'failed',
      attemptHistory: [{ status: 'lost', workerId }],
    });
    // Swept: later passes do not look for its tasks again.
    expect(await reapLostWorkers(pool, 60_000)).toEqual({ workers: [], attempts: 0 });

    // It comes back (heartbeat), takes a task, and goes silent again: swept again.
    expect(await heartbeatWorker(pool, workerId, 0)).toEqual({
      status: 'active',
      previousStatus: 'lost',
    });
    const second = await holdA();
    await silence();
    expect(await reapLostWorkers(pool, 60_000)).toEqual({ workers: [workerId], attempts: 1 });
    expect((await statusOfA(second)).attemptHistory).toMatchObject([{ status: 'lost' }]);
    for (const id of [first, second]) await cancelRun(pool, id);
  });

  it('a pool at its slot limit defers the claim: the task stays queued with a delayed job', async () => {
    await deploy(`
name: gpu-pair
tasks:
  one: { kind: noop, pool: gpu }
  two: { kind: noop, pool: gpu }
`);
    await setPoolLimit(pool, 'gpu', 1);
    const { run } = await createRun(pool, { teamId, workflow: { name: 'gpu-pair' } });
    const { rows } = await pool.query<{ id: string; task_key: string }>(
      'SELECT id, task_key FROM task_runs WHERE run_id = $1 ORDER BY task_key',
      [run.id],
    );
    const first = await claimTaskWithinPoolLimit(pool, rows[0]!.id, null, 'gpu', 1);
    expect(first).toMatchObject({ taskKey: 'one' });
    expect(await claimTaskWithinPoolLimit(pool, rows[1]!.id, null, 'gpu', 1)).toBe('deferred');
    expect((await getRun(pool, run.id))!.tasks.find((t) => t.key === 'two')!.status).toBe('queued');
    const c = first as Exclude<typeof first, null | 'deferred' | 'refused'>;
    await completeAttempt(pool, {
      attemptId: c.attemptId,
      taskRunId: c.taskRunId,
      runId: run.id,
      outcome: 'succeeded',
    });
    const second = await claimTaskWithinPoolLimit(pool, rows[1]!.id, null, 'gpu', 1);
    expect(second).toMatchObject({ taskKey: 'two' });
    // A slot is held by a running attempt, not by a task: a retry frees it, and the retry's next
    // attempt needs a free slot like any claim.
    const s = second as Exclude<typeof second, null | 'deferred' | 'refused'>;
    await completeAttempt(pool, {
      ...{ attemptId: s.attemptId, taskRunId: s.taskRunId, runId: run.id },
      ...{ outcome: 'failed', retryDelayMs: 0 },
    });
    const { rows: leases } = await pool.query(
      `SELECT task_run_id FROM pool_leases WHERE pool = 'gpu'`,
    );
    expect(leases).toHaveLength(1); // stale until the next claim in the pool frees it
    const again = await claimTaskWithinPoolLimit(pool, rows[1]!.id, null, 'gpu', 1);
    expect(again).toMatchObject({ taskKey: 'two', attemptNumber: 2 });
    const { rows: held } = await pool.query<{ attempt_id: string }>(
      `SELECT attempt_id FROM pool_leases WHERE pool = 'gpu'`,
    );
    expect(held).toEqual([{ attempt_id: (again as typeof s).attemptId }]);
    await expect(setPoolLimit(pool, 'gpu', 0)).rejects.toThrow(/positive integer/);
  });

  it('reruns the failed part of a run, keeping succeeded tasks and their outputs', async () => {
    const { run } = await createRun(pool, {
      teamId,
      workflow: { name: 'diamond' },
      params: { n: 5 },
    });
    await drive(run.id, (k) => (k === 'b' ? 'failed' : 'succeeded'));
    await expect(
      rerunRun(pool, 'ffffffff-ffff-ffff-ffff-ffffffffffff', { kind: 'failed' }),
    ).rejects.toMatchObject({ code: 'unknown_run' });
    const rerun = await rerunRun(pool, run.id, { kind: 'failed' });
    expect(rerun.status).toBe('running');
    let view = (await getRun(pool, rerun.id))!;
    expect(view.params).toEqual({ n: 5 });
    const status = () => Object.fromEntries(view.tasks.map((t) => [t.key, t.status]));
    // b failed, so b and everything downstream of it (d, cleanup) run again; a and c are copied.
    expect(status()).toEqual({
      a: 'succeeded',
      b: 'queued',
      c: 'succeeded',
      d: 'pending',
      cleanup: 'pending',
    });
    await drive(rerun.id);
    view = (await getRun(pool, rerun.id))!;
    expect(view.status).toBe('succeeded');
    expect(view.tasks.find((t) => t.key === 'a')!.attemptHistory).toHaveLength(0);
    const parent = await prisma.workflowRun.findUniqueOrThrow({ where: { id: rerun.id } });
    expect(parent).toMatchObject({ parentRunId: run.id, triggerKind: 'rerun' });
  });

  it('reruns one task with or without its downstream tasks', async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'diamond' } });
    await drive(run.id);
    await expect(rerunRun(pool, run.id, { kind: 'failed' })).rejects.toMatchObject({
      code: 'nothing_to_rerun',
    });
    const alone = await rerunRun(pool, run.id, { kind: 'task', task: 'c', downstream: false });
    let view = (await getRun(pool, alone.id))!;
    expect(view.tasks.filter((t) => t.status !== 'succeeded').map((t) => t.key)).toEqual(['c']);
    await drive(alone.id);
    expect((await getRun(pool, alone.id))!.status).toBe('succeeded');

    const withDown = await rerunRun(pool, run.id, { kind: 'task', task: 'c', downstream: true });
    view = (await getRun(pool, withDown.id))!;
    expect(
      view.tasks
        .filter((t) => t.status !== 'succeeded')
        .map((t) => t.key)
        .sort(),
    ).toEqual(['c', 'cleanup', 'd']);
    await expect(
      rerunRun(pool, run.id, { kind: 'task', task: 'zz', downstream: false }),
    ).rejects.toMatchObject({ code: 'unknown_task' });
  });

  it('announces every status change on dtss_run_events, including a claim', async () => {
    const listener = await pool.connect();
    const notices: { runId: string; changes: { task?: string; status: string }[] }[] = [];
    listener.on('notification', (m) => notices.push(JSON.parse(m.payload!)));
    await listener.query('LISTEN dtss_run_events');
    try {
      const { run } = await createRun(pool, { teamId, workflow: { name: 'diamond' } });
      await drive(run.id);
      await new Promise((r) => setTimeout(r, 100));
      const seen = notices.filter((n) => n.runId === run.id).flatMap((n) => n.changes);
      const aChanges = seen.filter((c) => c.task === 'a').map((c) => c.status);
      expect(aChanges).toEqual(['queued', 'running', 'succeeded']);
      expect(seen.filter((c) => !c.task).map((c) => c.status)).toEqual([
        'queued',
        'running',
        'succeeded',
      ]);
    } finally {
      await listener.query('UNLISTEN *');
      listener.release();
    }
  });
});

describe("task duration history (what a running run's forecast is built from)", () => {
  it('medians of the last successful runs per task, excluding failures and the run asked about', async () => {
    const workflowId = await deploy(`
name: timed
tasks:
  first: { kind: noop }
  second: { kind: noop, needs: [first] }
`);
    // Three successful runs whose task timings are set by hand, and one failed run.
    const runIds: string[] = [];
    for (const [i, secondMs] of [1000, 3000, 2000].entries()) {
      const { run } = await createRun(pool, { teamId, workflow: { name: 'timed' } });
      await drive(run.id);
      await pool.query(
        `UPDATE task_runs SET queued_at = $2::timestamptz,
                started_at = $2::timestamptz + interval '100 ms',
                finished_at = $2::timestamptz + interval '100 ms'
                  + (CASE task_key WHEN 'first' THEN 500 ELSE $3::int END) * interval '1 ms'
          WHERE run_id = $1`,
        [run.id, new Date(Date.UTC(2026, 0, 1, i)), secondMs],
      );
      runIds.push(run.id);
    }
    const { run: failed } = await createRun(pool, { teamId, workflow: { name: 'timed' } });
    await drive(failed.id, () => 'failed');

    const all = await readTaskDurationHistory(pool, workflowId);
    expect(all.runs).toBe(3);
    expect(all.runMedianMs).not.toBeNull();
    expect(all.tasks.first).toEqual({ waitMs: 100, runMs: 500, samples: 3 });
    expect(all.tasks.second).toEqual({ waitMs: 100, runMs: 2000, samples: 3 });

    const without = await readTaskDurationHistory(pool, workflowId, {
      excludeRunId: runIds[1],
      limit: 20,
    });
    expect(without.runs).toBe(2);
    expect(without.tasks.second).toMatchObject({ runMs: 1500, samples: 2 });

    const newest = await readTaskDurationHistory(pool, workflowId, { limit: 1 });
    expect(newest.runs).toBe(1);
    expect(newest.tasks.second).toMatchObject({ runMs: 2000, samples: 1 });
  });

  it('a workflow without successful runs has no history', async () => {
    const h = await readTaskDurationHistory(pool, '00000000-0000-4000-8000-000000000000');
    expect(h).toEqual({ runs: 0, runMedianMs: null, tasks: {} });
  });
});
