// A worker declared lost by the leader while it was only silent (partitioned, paused): what the
// database lets it do until a heartbeat makes it active again, and what it refuses for good.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendLogChunk,
  claimTasks,
  claimTaskWithinPoolLimit,
  completeAttempt,
  completeAttempts,
  createPool,
  createPrismaClient,
  createRun,
  findDisownedAttempts,
  getRun,
  heartbeatWorker,
  reapLostWorkers,
  registerWorker,
  type ClaimedTask,
  type Pool,
  type PrismaClient,
} from '../src';
import { deployWorkflow } from './support/workflows';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamId: string;

beforeAll(async () => {
  db = await createTestDatabase('lost_worker');
  pool = createPool(db.url, { applicationName: 'test', max: 6 });
  prisma = createPrismaClient(db.url, { max: 2 });
  teamId = (await prisma.team.create({ data: { slug: 'lw', name: 'LW' } })).id;
  await deployWorkflow(
    prisma,
    teamId,
    `
name: pair
tasks:
  a: { kind: noop, retries: { maxAttempts: 3 } }
  b: { kind: noop, retries: { maxAttempts: 3 } }
`,
  );
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

async function newWorker(): Promise<string> {
  const id = randomUUID();
  await registerWorker(pool, {
    ...{ id, name: `w-${id.slice(0, 6)}`, hostname: 'h', pid: 1, version: 't' },
    ...{ pools: ['default'], concurrency: 4 },
  });
  return id;
}

/** Its last beat an hour ago: the next sweep declares it lost. */
const silence = (workerId: string) =>
  pool.query(`UPDATE workers SET last_heartbeat_at = now() - interval '1 hour' WHERE id = $1`, [
    workerId,
  ]);

async function newRun(): Promise<{ runId: string; a: string; b: string }> {
  const { run } = await createRun(pool, { teamId, workflow: { name: 'pair' } });
  const { rows } = await pool.query<{ id: string; task_key: string }>(
    'SELECT id, task_key FROM task_runs WHERE run_id = $1 ORDER BY task_key',
    [run.id],
  );
  return { runId: run.id, a: rows[0]!.id, b: rows[1]!.id };
}

async function claim(taskRunId: string, workerId: string, firstDelivery = true) {
  let refused = false;
  const [claimed] = await claimTasks(pool, [taskRunId], workerId, {
    firstDelivery,
    onRefused: () => (refused = true),
  });
  return { claimed, refused };
}

interface JobRow {
  id: string;
  key: string | null;
  locked_at: Date | null;
  attempts: number;
  max_attempts: number;
  due_in_ms: number;
}

async function jobsOf(taskRunId: string, lockedJobId?: string): Promise<JobRow[]> {
  const { rows } = await pool.query<JobRow>(
    `SELECT id::text, key, locked_at, attempts, max_attempts,
            (extract(epoch FROM run_at - now()) * 1000)::float8 AS due_in_ms
       FROM graphile_worker._private_jobs
      WHERE key = $1 OR id::text = $2 ORDER BY id`,
    [`task:${taskRunId}`, lockedJobId ?? ''],
  );
  return rows;
}

/** As graphile-worker's get_job does when a worker (its pool `lockedBy`) takes the task's job. */
async function lockJob(taskRunId: string, lockedBy = 'pool-test'): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `UPDATE graphile_worker._private_jobs
        SET locked_at = now(), locked_by = $2, attempts = attempts + 1
      WHERE key = $1 RETURNING id::text`,
    [`task:${taskRunId}`, lockedBy],
  );
  return rows[0]!.id;
}

describe('a worker declared lost', () => {
  it('may not claim: the task stays queued with a fresh job, until a heartbeat makes it active', async () => {
    const workerId = await newWorker();
    await silence(workerId);
    expect((await reapLostWorkers(pool, 60_000)).workers).toContain(workerId);
    const { runId, a } = await newRun();
    const locked = await lockJob(a);

    const { claimed, refused } = await claim(a, workerId);
    expect(claimed).toBeUndefined();
    expect(refused).toBe(true);
    const task = (await getRun(pool, runId))!.tasks.find((t) => t.key === 'a')!;
    expect(task).toMatchObject({ status: 'queued', attempts: 0 });
    // The job the lost worker holds is retired (never delivered again); a new one comes back soon.
    const [old, fresh] = await jobsOf(a, locked);
    expect(old).toMatchObject({ id: locked, key: null });
    expect(old!.attempts).toBe(old!.max_attempts);
    expect(fresh).toMatchObject({ key: `task:${a}`, locked_at: null, attempts: 0 });
    expect(fresh!.due_in_ms).toBeGreaterThan(0);
    expect(fresh!.due_in_ms).toBeLessThan(5_000);
    // So are redeliveries and claims in a slot-limited pool.
    expect((await claim(a, workerId, false)).refused).toBe(true);
    expect(await claimTaskWithinPoolLimit(pool, a, workerId, 'default', 10)).toBe('refused');
    expect(await jobsOf(a)).toHaveLength(1);

    // Back: its next beat says it had been lost, and it claims again.
    expect(await heartbeatWorker(pool, workerId, 0)).toEqual({
      status: 'active',
      previousStatus: 'lost',
    });
    expect(await heartbeatWorker(pool, workerId, 0)).toEqual({
      status: 'active',
      previousStatus: 'active',
    });
    const again = await claim(a, workerId);
    expect(again.refused).toBe(false);
    expect(again.claimed).toMatchObject({ taskRunId: a, attemptNumber: 1 });
  });

  it('an active worker claims without adding a job', async () => {
    const workerId = await newWorker();
    const { a } = await newRun();
    const ids = async () => (await jobsOf(a)).map((j) => j.id);
    const before = await ids();
    const { claimed, refused } = await claim(a, workerId);
    expect(refused).toBe(false);
    expect(claimed).toMatchObject({ taskRunId: a });
    expect(await ids()).toEqual(before);
  });

  it('a claim in flight when the worker is declared lost is swept with it', async () => {
    const workerId = await newWorker();
    const { runId, a } = await newRun();
    await silence(workerId);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const [claimed] = await claimTasks(client, [a], workerId);
      expect(claimed).toBeDefined();
      // The sweep waits for the claim's transaction instead of missing the attempt it opens.
      let reaped: Awaited<ReturnType<typeof reapLostWorkers>> | null = null;
      const reaping = reapLostWorkers(pool, 60_000).then((r) => (reaped = r));
      await new Promise((r) => setTimeout(r, 300));
      expect(reaped).toBeNull();
      await client.query('COMMIT');
      await reaping;
      expect(reaped).toEqual({ workers: [workerId], attempts: 1 });
    } finally {
      client.release();
    }
    const task = (await getRun(pool, runId))!.tasks.find((t) => t.key === 'a')!;
    expect(task.status).toBe('retry_wait');
    expect(task.attemptHistory).toMatchObject([{ status: 'lost', workerId }]);
  });

  it('a claim that waits for the declaration finds the worker lost', async () => {
    const workerId = await newWorker();
    const { a } = await newRun();
    const leader = await pool.connect();
    try {
      // The leader's declaration, held open: the row locked FOR UPDATE and marked lost.
      await leader.query('BEGIN');
      await leader.query(`SELECT 1 FROM workers WHERE id = $1 FOR UPDATE`, [workerId]);
      await leader.query(`UPDATE workers SET status = 'lost', swept_at = now() WHERE id = $1`, [
        workerId,
      ]);
      let result: Awaited<ReturnType<typeof claim>> | null = null;
      const claiming = claim(a, workerId).then((r) => (result = r));
      await new Promise((r) => setTimeout(r, 300));
      expect(result).toBeNull();
      await leader.query('COMMIT');
      await claiming;
      expect(result).toEqual({ claimed: undefined, refused: true });
    } finally {
      leader.release();
    }
  });
});

describe('the jobs of a worker declared lost', () => {
  it('those it took but had not claimed are unlocked by its sweep: delivered again at once', async () => {
    const workerId = await newWorker();
    // What a worker records once graphile-worker started (its `locked_by`).
    await heartbeatWorker(pool, workerId, 0, { jobsLockedBy: 'pool-gone' });
    const { runId, a, b } = await newRun();
    // It took both jobs, claimed b, and was cut off before its claim of a got through.
    const jobA = await lockJob(a, 'pool-gone');
    const jobB = await lockJob(b, 'pool-gone');
    expect((await claim(b, workerId)).claimed).toBeDefined();
    await silence(workerId);
    expect(await reapLostWorkers(pool, 60_000)).toEqual({ workers: [workerId], attempts: 1 });

    // a's job: unlocked, still a's job, and delivered again (its first delivery counted).
    expect(await jobsOf(a)).toMatchObject([{ id: jobA, key: `task:${a}`, locked_at: null }]);
    expect((await jobsOf(a))[0]!.attempts).toBe(1);
    // b's: retired when the sweep gave b its retry's job, so never delivered again.
    const [oldB, retryB] = await jobsOf(b, jobB);
    expect(oldB).toMatchObject({ id: jobB, key: null, locked_at: null });
    expect(oldB!.attempts).toBe(oldB!.max_attempts);
    expect(retryB).toMatchObject({ key: `task:${b}`, attempts: 0 });

    const heir = await newWorker();
    expect((await claim(a, heir, false)).claimed).toMatchObject({ taskRunId: a, attemptNumber: 1 });
    const task = (await getRun(pool, runId))!.tasks.find((t) => t.key === 'a')!;
    expect(task.attemptHistory).toMatchObject([{ status: 'running', workerId: heir }]);
  });

  it('a first delivery of a task running elsewhere leaves it to its holder', async () => {
    // A job key re-added while the task's job was held (a refused claim, say) makes two jobs.
    const holder = await newWorker();
    const { runId, a } = await newRun();
    const held = (await claim(a, holder)).claimed!;
    expect(await claim(a, await newWorker(), true)).toEqual({ claimed: undefined, refused: false });
    const task = (await getRun(pool, runId))!.tasks.find((t) => t.key === 'a')!;
    expect(task).toMatchObject({ status: 'running', attempts: 1 });
    expect(task.attemptHistory).toMatchObject([{ status: 'running', workerId: holder }]);
    expect(await findDisownedAttempts(pool, holder, [held])).toEqual([]);
  });
});

describe('late writes of an attempt swept as lost', () => {
  it('are refused: completion, output and log lines; the retry keeps the one outcome', async () => {
    const workerId = await newWorker();
    const { runId, a, b } = await newRun();
    const first = (await claim(a, workerId)).claimed!;
    const other = (await claim(b, workerId)).claimed!;
    const line = (attempt: ClaimedTask, seq: number) => ({
      ...{ attemptId: attempt.attemptId, taskRunId: attempt.taskRunId, runId, seq },
      ...{
        firstLine: seq,
        lines: [`line ${seq}`],
        meta: [{ t: new Date().toISOString(), s: 'stdout' as const }],
      },
    });
    expect(await appendLogChunk(pool, line(first, 0), { whileAttemptOpen: true })).toBe(true);

    await silence(workerId);
    expect(await reapLostWorkers(pool, 60_000)).toEqual({ workers: [workerId], attempts: 2 });
    const retryWorker = await newWorker();
    const retry = (await claim(a, retryWorker, false)).claimed!;
    expect(retry.attemptNumber).toBe(2);

    const late = {
      ...{ attemptId: first.attemptId, taskRunId: a, runId, outcome: 'succeeded' as const },
      ...{ output: { from: 'the lost attempt' }, log: { bytes: 7, lines: 1, truncated: false } },
    };
    expect(await appendLogChunk(pool, line(first, 1), { whileAttemptOpen: true })).toBe(false);
    // Alone, batched (one statement) and beside a write that counts.
    expect(await completeAttempt(pool, late)).toEqual({ applied: false });
    expect(await completeAttempts(pool, runId, [late])).toEqual([{ applied: false }]);
    const results = await completeAttempts(pool, runId, [
      late,
      {
        attemptId: retry.attemptId,
        taskRunId: a,
        runId,
        outcome: 'succeeded',
        output: { from: 'retry' },
      },
    ]);
    expect(results.map((r) => r.applied)).toEqual([false, true]);
    // A retry of the late one (as a worker would try after a lost reply): still refused.
    expect(await completeAttempt(pool, { ...late, outcome: 'failed', retryDelayMs: 0 })).toEqual({
      applied: false,
    });

    const task = (await getRun(pool, runId))!.tasks.find((t) => t.key === 'a')!;
    expect(task).toMatchObject({ status: 'succeeded', output: { from: 'retry' } });
    expect(task.attemptHistory).toMatchObject([
      { number: 1, status: 'lost', workerId, exitCode: null },
      { number: 2, status: 'succeeded', workerId: retryWorker },
    ]);
    const { rows } = await pool.query<{ seq: number }>(
      'SELECT seq FROM log_chunks WHERE attempt_id = $1 ORDER BY seq',
      [first.attemptId],
    );
    expect(rows).toEqual([{ seq: 0 }]);
    const { rows: stored } = await pool.query<{ output: unknown; log_lines: number }>(
      'SELECT output, log_lines FROM task_attempts WHERE id = $1',
      [first.attemptId],
    );
    expect(stored).toEqual([{ output: null, log_lines: 0 }]);
    // Without the option (tests, tools) a chunk is stored whatever its attempt.
    expect(await appendLogChunk(pool, line(first, 2))).toBe(true);
    expect(other.taskRunId).toBe(b);
  });

  it('tells a worker which of its attempts are no longer its own', async () => {
    const workerId = await newWorker();
    const { runId, a, b } = await newRun();
    const onA = (await claim(a, workerId)).claimed!;
    const onB = (await claim(b, workerId)).claimed!;
    const held = [onA, onB].map((c) => ({ taskRunId: c.taskRunId, attemptId: c.attemptId }));
    expect(await findDisownedAttempts(pool, workerId, held)).toEqual([]);
    expect(await findDisownedAttempts(pool, randomUUID(), held)).toHaveLength(2);
    // A's job is redelivered to another worker: A's attempt is lost and no longer this worker's.
    const thief = await newWorker();
    expect((await claim(a, thief, false)).claimed).toBeDefined();
    expect(await findDisownedAttempts(pool, workerId, held)).toEqual([onA.attemptId]);
    // An ended attempt is not its own either (the worker asks only about those it executes).
    await completeAttempt(pool, { ...onB, runId, outcome: 'succeeded' });
    expect((await findDisownedAttempts(pool, workerId, held)).sort()).toEqual(
      [onA.attemptId, onB.attemptId].sort(),
    );
    expect(await findDisownedAttempts(pool, workerId, [])).toEqual([]);
  });
});
