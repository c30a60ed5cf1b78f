// What the workers page reads: the worker list with recently ended workers, one worker's attempts
// as one team may see them, and the pools with their queues.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimTask,
  completeAttempt,
  createPool,
  createPrismaClient,
  createRun,
  findWorker,
  listWorkerAttempts,
  listWorkers,
  readPoolStats,
  registerWorker,
  setPoolLimit,
  setWorkerStatus,
  teamPoolNames,
  type Pool,
  type PrismaClient,
} from '../src';
import { createTestDatabase, type TestDatabase } from '../src/testing';
import { queuedTaskIds } from './support/attempts';
import { deployWorkflow } from './support/workflows';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamA: string;
let teamB: string;

async function worker(name: string, pools: string[], concurrency = 4): Promise<string> {
  const id = randomUUID();
  await registerWorker(pool, {
    id,
    name,
    hostname: 'host',
    pid: 1,
    version: '0.1.0',
    pools,
    concurrency,
  });
  return id;
}

/** Runs every queued task of a new run of `workflow` on `workerId`; the run's id. */
async function runOn(
  teamId: string,
  workflow: string,
  workerId: string,
  outcome: 'succeeded' | 'failed' = 'succeeded',
): Promise<string> {
  const { run } = await createRun(pool, { teamId, workflow: { name: workflow } });
  for (const id of await queuedTaskIds(pool, run.id)) {
    const c = (await claimTask(pool, id, workerId))!;
    await completeAttempt(pool, {
      attemptId: c.attemptId,
      taskRunId: c.taskRunId,
      runId: run.id,
      outcome,
      exitCode: outcome === 'failed' ? 3 : 0,
      error: outcome === 'failed' ? 'exit status 3' : null,
    });
  }
  return run.id;
}

beforeAll(async () => {
  db = await createTestDatabase('workers_page');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { max: 2 });
  teamA = (await prisma.team.create({ data: { slug: 'a', name: 'A' } })).id;
  teamB = (await prisma.team.create({ data: { slug: 'b', name: 'B' } })).id;
  await deployWorkflow(prisma, teamA, 'name: alpha\ntasks:\n  one: { kind: noop }\n');
  await deployWorkflow(prisma, teamB, 'name: secret-beta\ntasks:\n  two: { kind: noop }\n');
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

describe('listWorkerAttempts', () => {
  it("shows a team only its own runs' attempts on a worker that serves every team", async () => {
    const w = await worker('shared', ['default']);
    const a1 = await runOn(teamA, 'alpha', w);
    await runOn(teamB, 'secret-beta', w);
    const a2 = await runOn(teamA, 'alpha', w, 'failed');
    await runOn(teamB, 'secret-beta', w);

    const seenByA = await listWorkerAttempts(pool, { workerId: w, teamId: teamA, limit: 10 });
    expect(seenByA.attempts.map((a) => a.runId)).toEqual([a2, a1]);
    expect(seenByA.attempts.every((a) => a.workflowName === 'alpha')).toBe(true);
    expect(seenByA.attempts[0]).toMatchObject({
      taskKey: 'one',
      attemptNumber: 1,
      status: 'failed',
      exitCode: 3,
      error: 'exit status 3',
      runNumber: 2,
    });
    expect(seenByA.attempts[0]!.finishedAt).toBeInstanceOf(Date);
    expect(seenByA.scanLimitReached).toBe(false);

    const seenByB = await listWorkerAttempts(pool, { workerId: w, teamId: teamB, limit: 10 });
    expect(seenByB.attempts).toHaveLength(2);
    expect(seenByB.attempts.every((a) => a.workflowName === 'secret-beta')).toBe(true);
  });

  it('lists the attempt running now first, then the ended ones, up to the limit', async () => {
    const w = await worker('busy', ['default']);
    await runOn(teamA, 'alpha', w);
    await runOn(teamA, 'alpha', w);
    const { run } = await createRun(pool, { teamId: teamA, workflow: { name: 'alpha' } });
    const [taskId] = await queuedTaskIds(pool, run.id);
    await claimTask(pool, taskId!, w);

    const { attempts } = await listWorkerAttempts(pool, { workerId: w, teamId: teamA, limit: 2 });
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({ runId: run.id, status: 'running', finishedAt: null });
    expect(attempts[1]!.status).toBe('succeeded');
    // Another team sees nothing of it.
    const other = await listWorkerAttempts(pool, { workerId: w, teamId: teamB, limit: 10 });
    expect(other.attempts).toEqual([]);
  });

  it("says when the team's attempts may lie beyond the worker's latest attempts searched", async () => {
    const w = await worker('many-teams', ['default']);
    await runOn(teamA, 'alpha', w);
    for (let i = 0; i < 3; i++) await runOn(teamB, 'secret-beta', w);
    const capped = await listWorkerAttempts(pool, {
      workerId: w,
      teamId: teamA,
      limit: 10,
      scanLimit: 2,
    });
    expect(capped).toEqual({ attempts: [], scanLimitReached: true });
    const whole = await listWorkerAttempts(pool, {
      workerId: w,
      teamId: teamA,
      limit: 10,
      scanLimit: 4,
    });
    expect(whole.attempts).toHaveLength(1);
    expect(whole.scanLimitReached).toBe(false);
  });

  it('finds nothing for a worker that never ran anything', async () => {
    const none = await listWorkerAttempts(pool, {
      workerId: randomUUID(),
      teamId: teamA,
      limit: 5,
    });
    expect(none).toEqual({ attempts: [], scanLimitReached: false });
  });

  it('reads the ended attempts along the (worker_id, started_at) index', async () => {
    const client = await pool.connect();
    try {
      // The table is tiny here: without this the planner would rightly read it whole.
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT * FROM task_attempts WHERE worker_id = $1 ORDER BY started_at DESC LIMIT 50`,
        [randomUUID()],
      );
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain(
        'task_attempts_worker_id_started_at_idx',
      );
    } finally {
      client.release();
    }
  });
});

describe('listWorkers and findWorker', () => {
  it('keeps recently ended workers in the recent view, with their silence measured', async () => {
    const live = await worker('recent-live', ['default']);
    const stopped = await worker('recent-stopped', ['default']);
    const lost = await worker('recent-lost', ['default']);
    const old = await worker('long-stopped', ['default']);
    await setWorkerStatus(pool, stopped, 'stopped');
    await setWorkerStatus(pool, lost, 'lost');
    await setWorkerStatus(pool, old, 'stopped');
    await pool.query(
      `UPDATE workers SET stopped_at = now() - interval '2 hours',
              last_heartbeat_at = now() - interval '2 hours' WHERE id = $1`,
      [old],
    );
    await pool.query(
      `UPDATE workers SET last_heartbeat_at = now() - interval '30 seconds' WHERE id = $1`,
      [lost],
    );

    const recent = (await listWorkers(pool, { recentWithinMs: 15 * 60_000 })).map((w) => w.id);
    expect(recent).toEqual(expect.arrayContaining([live, stopped, lost]));
    expect(recent).not.toContain(old);
    const online = (await listWorkers(pool, { aliveWithinMs: 15_000 })).map((w) => w.id);
    expect(online).toContain(live);
    expect(online).not.toContain(stopped);
    expect(online).not.toContain(lost);

    const found = await findWorker(pool, lost);
    expect(found).toMatchObject({ name: 'recent-lost', status: 'lost' });
    expect(found!.silentForMs).toBeGreaterThanOrEqual(29_000);
    expect(await findWorker(pool, randomUUID())).toBeNull();
  });
});

describe('readPoolStats', () => {
  it('counts slots, workers, busy and waiting tasks per pool, with the waits of the waiting', async () => {
    await deployWorkflow(
      prisma,
      teamA,
      `name: gpu-work
tasks:
  t1: { kind: noop, pool: gpu }
  t2: { kind: noop, pool: gpu }
  t3: { kind: noop, pool: gpu }
  t4: { kind: noop, pool: gpu }
`,
    );
    await deployWorkflow(
      prisma,
      teamB,
      'name: orphan\ntasks:\n  x: { kind: noop, pool: nowhere }\n',
    );
    await setPoolLimit(pool, 'gpu', 2);
    await setPoolLimit(pool, 'reserved', 5);
    const g1 = await worker('gpu-1', ['gpu'], 2);
    await worker('gpu-2', ['gpu', 'default'], 3);
    const g3 = await worker('gpu-3', ['gpu'], 8);
    await setWorkerStatus(pool, g3, 'draining');

    const { run } = await createRun(pool, { teamId: teamA, workflow: { name: 'gpu-work' } });
    const ids = await queuedTaskIds(pool, run.id);
    // t1 runs; t2 and t3 wait 10 s and 20 s; t4 failed and waits out its back-off.
    await claimTask(pool, ids[0]!, g1);
    await pool.query(
      `UPDATE task_runs SET queued_at = now() - interval '10 seconds' WHERE id = $1`,
      [ids[1]],
    );
    await pool.query(
      `UPDATE task_runs SET queued_at = now() - interval '20 seconds' WHERE id = $1`,
      [ids[2]],
    );
    await pool.query(
      `UPDATE task_runs SET status = 'retry_wait', next_attempt_at = now() + interval '1 hour'
        WHERE id = $1`,
      [ids[3]],
    );
    await createRun(pool, { teamId: teamB, workflow: { name: 'orphan' } });

    const stats = await readPoolStats(pool, { aliveWithinMs: 15_000 });
    const byName = new Map(stats.map((p) => [p.name, p]));
    const gpu = byName.get('gpu')!;
    expect(gpu).toMatchObject({ slots: 2, workers: 2, capacity: 5, busy: 1, waiting: 2 });
    expect(gpu.known).toBe(true);
    expect(gpu.oldestWaitMs).toBeGreaterThanOrEqual(20_000);
    expect(gpu.oldestWaitMs).toBeLessThan(25_000);
    expect(gpu.medianWaitMs).toBeGreaterThanOrEqual(15_000);
    expect(gpu.p95WaitMs).toBeGreaterThan(gpu.medianWaitMs!);
    expect(byName.get('reserved')).toMatchObject({
      slots: 5,
      workers: 0,
      busy: 0,
      waiting: 0,
      oldestWaitMs: null,
      known: true,
    });
    expect(byName.get('nowhere')).toMatchObject({ workers: 0, waiting: 1, known: false });

    // A retry whose back-off is over waits like a queued task, from the end of its back-off.
    await pool.query(
      `UPDATE task_runs SET next_attempt_at = now() - interval '5 seconds' WHERE id = $1`,
      [ids[3]],
    );
    const after = (await readPoolStats(pool, { aliveWithinMs: 15_000 })).find(
      (p) => p.name === 'gpu',
    )!;
    expect(after.waiting).toBe(3);
  });
});

describe('teamPoolNames', () => {
  it("is default and the pools of the team's workflows and active runs, not another team's", async () => {
    const team = (await prisma.team.create({ data: { slug: 'pools', name: 'Pools' } })).id;
    expect(await teamPoolNames(pool, team)).toEqual(['default']);
    await deployWorkflow(
      prisma,
      team,
      'name: mixed\ntasks:\n  a: { kind: noop, pool: etl }\n  b: { kind: noop, needs: [a] }\n',
    );
    const old = await deployWorkflow(
      prisma,
      team,
      'name: old\ntasks:\n  x: { kind: noop, pool: legacy }\n',
    );
    expect(await teamPoolNames(pool, team)).toEqual(['default', 'etl', 'legacy']);

    // An archived workflow's pools count while a run of it waits or runs, and no longer after.
    const { run } = await createRun(pool, { teamId: team, workflow: { name: 'old' } });
    await prisma.workflow.update({ where: { id: old }, data: { archivedAt: new Date() } });
    expect(await teamPoolNames(pool, team)).toEqual(['default', 'etl', 'legacy']);
    await pool.query(`UPDATE workflow_runs SET status = 'cancelled' WHERE id = $1`, [run.id]);
    expect(await teamPoolNames(pool, team)).toEqual(['default', 'etl']);

    // The other teams' pools (gpu, nowhere) are not this team's.
    expect(await teamPoolNames(pool, teamB)).toEqual(
      expect.arrayContaining(['default', 'nowhere']),
    );
    expect(await teamPoolNames(pool, teamB)).not.toContain('etl');
  });
});

describe('listWorkers servingAnyOf', () => {
  it('lists only the workers serving one of the pools', async () => {
    const etl = await worker('etl-only', ['etl']);
    const both = await worker('etl-and-default', ['default', 'etl']);
    const gpu = await worker('gpu-only', ['gpu']);
    const ids = (await listWorkers(pool, { servingAnyOf: ['default', 'etl'] })).map((x) => x.id);
    expect(ids).toEqual(expect.arrayContaining([etl, both]));
    expect(ids).not.toContain(gpu);
    expect((await listWorkers(pool, {})).map((x) => x.id)).toContain(gpu);
  });
});
