import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimTask,
  completeAttempt,
  createPool,
  createPrismaClient,
  createRun,
  floorHour,
  readTeamMetrics,
  rollUpMetrics,
  type Pool,
  type PrismaClient,
} from '../src';
import { createTestDatabase, type TestDatabase } from '../src/testing';
import { deployWorkflow, driveRun } from './support/workflows';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamId: string;
let otherTeamId: string;

async function queuedTask(runId: string, key: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM task_runs WHERE run_id = $1 AND task_key = $2 AND status = 'queued'`,
    [runId, key],
  );
  return rows[0]!.id;
}

async function runTask(runId: string, key: string): Promise<void> {
  const c = (await claimTask(pool, await queuedTask(runId, key), null))!;
  await completeAttempt(pool, {
    attemptId: c.attemptId,
    taskRunId: c.taskRunId,
    runId,
    outcome: 'succeeded',
  });
}

const metrics = (team: string) =>
  readTeamMetrics(pool, team, {
    from: new Date(Date.now() - 3_600_000),
    to: new Date(Date.now() + 60_000),
    bucket: 'minute',
    aliveWithinMs: 15_000,
  });

beforeAll(async () => {
  db = await createTestDatabase('metrics');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { max: 2 });
  teamId = (await prisma.team.create({ data: { slug: 'm', name: 'M' } })).id;
  otherTeamId = (await prisma.team.create({ data: { slug: 'o', name: 'O' } })).id;
  const yaml = `
name: etl
tasks:
  extract: { kind: noop }
  load: { kind: noop, pool: gpu, needs: [extract], retries: { maxAttempts: 2 } }
`;
  await deployWorkflow(prisma, teamId, yaml);
  await deployWorkflow(prisma, otherTeamId, yaml.replace('name: etl', 'name: theirs'));

  // Two runs succeed; one fails on `load`; one retries `load` and then succeeds; one is running.
  for (const outcome of ['succeeded', 'succeeded', 'failed'] as const) {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'etl' } });
    await driveRun(pool, run.id, { outcomeOf: (k) => (k === 'load' ? outcome : 'succeeded') });
  }
  const { run: flaky } = await createRun(pool, { teamId, workflow: { name: 'etl' } });
  await runTask(flaky.id, 'extract');
  const loadId = await queuedTask(flaky.id, 'load');
  const first = (await claimTask(pool, loadId, null))!;
  await completeAttempt(pool, {
    attemptId: first.attemptId,
    taskRunId: first.taskRunId,
    runId: flaky.id,
    outcome: 'failed',
    retryDelayMs: 0,
  });
  const second = (await claimTask(pool, loadId, null))!;
  expect(second.attemptNumber).toBe(2);
  await completeAttempt(pool, {
    attemptId: second.attemptId,
    taskRunId: second.taskRunId,
    runId: flaky.id,
    outcome: 'succeeded',
  });
  // Still running: one with its first task claimed and not done, one whose second task waits in
  // the gpu pool.
  const { run: running } = await createRun(pool, { teamId, workflow: { name: 'etl' } });
  await claimTask(pool, await queuedTask(running.id, 'extract'), null);
  const { run: waiting } = await createRun(pool, { teamId, workflow: { name: 'etl' } });
  await runTask(waiting.id, 'extract');
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

describe('readTeamMetrics', () => {
  it('tells the failing workflows, the run duration percentiles and the retries', async () => {
    const m = await metrics(teamId);
    expect(m.failing).toEqual([
      expect.objectContaining({ workflow: 'etl', failed: 1, ended: m.endedRuns }),
    ]);
    const etl = m.durations.find((d) => d.workflow === 'etl')!;
    expect(etl.runs).toBe(m.endedRuns);
    expect(etl.p50Ms).toBeLessThanOrEqual(etl.p95Ms);
    expect(etl.p95Ms).toBeLessThanOrEqual(etl.p99Ms);
    expect(m.attempts.retries).toBe(1);
    expect(m.attempts.total).toBeGreaterThan(m.attempts.retries);
  });

  it('tells each pool its started tasks, their wait and what waits now, and the running runs', async () => {
    const m = await metrics(teamId);
    const byPool = new Map(m.pools.map((p) => [p.pool, p]));
    expect([...byPool.keys()].sort()).toEqual(['default', 'gpu']);
    expect(byPool.get('default')!.started).toBeGreaterThan(0);
    expect(byPool.get('default')!.waitP50Ms).toBeGreaterThanOrEqual(0);
    expect(byPool.get('gpu')!.waitingNow).toBe(1);
    expect(byPool.get('default')!.waitingNow).toBe(0);
    expect(m.running.total).toBe(2);
    expect(m.running.runs.every((r) => r.workflow === 'etl')).toBe(true);
  });

  it('counts nothing of another team', async () => {
    const m = await metrics(otherTeamId);
    expect(m.failing).toEqual([]);
    expect(m.pools).toEqual([]);
    expect(m.attempts).toEqual({ total: 0, retries: 0 });
    expect(m.running).toEqual({ total: 0, runs: [] });
  });
});

describe('rolled-up hours', () => {
  const HOUR = 3_600_000;
  // A window of whole hours around now, read by the hour: before the rollup every figure comes
  // from the task rows; after it, the hours it closed come from metrics_task_hours instead.
  const hourly = () => {
    const start = floorHour(new Date()).getTime();
    return readTeamMetrics(pool, teamId, {
      from: new Date(start - HOUR),
      to: new Date(start + 2 * HOUR),
      bucket: 'hour',
      aliveWithinMs: 15_000,
    });
  };
  const taskFigures = (m: Awaited<ReturnType<typeof readTeamMetrics>>) => ({
    throughput: m.taskThroughput,
    pools: m.pools,
    attempts: m.attempts,
    runsByStatus: m.runsByStatus,
    endedRuns: m.endedRuns,
    successRate: m.successRate,
    durations: m.durations,
    failing: m.failing,
  });

  it('tell the same figures as the rows, and a second pass changes nothing', async () => {
    const raw = taskFigures(await hourly());
    expect(raw.attempts.total).toBeGreaterThan(0);
    expect(raw.endedRuns).toBeGreaterThan(0);
    // As if an hour and more had passed: the current hour is closed.
    const later = new Date(floorHour(new Date()).getTime() + HOUR + 10 * 60_000);
    let r = await rollUpMetrics(pool, { now: later });
    while (r.rolled) r = await rollUpMetrics(pool, { now: later });
    expect(r.rolledUntil!.getTime()).toBe(floorHour(new Date()).getTime() + HOUR);
    const { rows } = await pool.query<{ tasks: number; runs: number }>(
      `SELECT (SELECT count(*)::int FROM metrics_task_hours WHERE team_id = $1) AS tasks,
              (SELECT count(*)::int FROM metrics_run_hours WHERE team_id = $1) AS runs`,
      [teamId],
    );
    expect(rows[0]!.tasks).toBeGreaterThan(0);
    expect(rows[0]!.runs).toBeGreaterThan(0);
    expect(taskFigures(await hourly())).toEqual(raw);
    // Rolled again from the start (the watermark moved back): the rows are replaced, not added.
    await pool.query('UPDATE metrics_rollup SET rolled_until = NULL');
    r = await rollUpMetrics(pool, { now: later });
    while (r.rolled) r = await rollUpMetrics(pool, { now: later });
    expect(taskFigures(await hourly())).toEqual(raw);
  });

  it('tell the same figures by the day once a whole day is rolled up', async () => {
    const DAY = 24 * HOUR;
    const today = Math.floor(Date.now() / DAY) * DAY;
    const daily = () =>
      readTeamMetrics(pool, teamId, {
        from: new Date(today - DAY),
        to: new Date(today + 2 * DAY),
        bucket: 'day',
        aliveWithinMs: 15_000,
      });
    await pool.query('UPDATE metrics_rollup SET rolled_until = NULL');
    await pool.query('DELETE FROM metrics_run_hours');
    await pool.query('DELETE FROM metrics_run_days');
    const raw = taskFigures(await daily());
    // As if today had ended: its hours, and the day itself, are rolled up.
    const later = new Date(today + DAY + 10 * 60_000);
    let r = await rollUpMetrics(pool, { now: later });
    while (r.rolled) r = await rollUpMetrics(pool, { now: later });
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM metrics_run_days WHERE team_id = $1 AND day = $2',
      [teamId, new Date(today)],
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect(taskFigures(await daily())).toEqual(raw);
  });

  it('keep each team to its own rows', async () => {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT (SELECT count(*)::int FROM metrics_task_hours WHERE team_id = $1)
            + (SELECT count(*)::int FROM metrics_run_hours WHERE team_id = $1)
            + (SELECT count(*)::int FROM metrics_run_days WHERE team_id = $1) AS n`,
      [otherTeamId],
    );
    expect(rows[0]!.n).toBe(0);
  });
});
