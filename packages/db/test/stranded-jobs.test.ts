/**
 * A task job graphile-worker locked but nobody claimed (its worker never heard the lock commit, as
 * when Postgres stops at that moment) is handed out again after 30 s, instead of waiting for
 * graphile-worker's 4-hour lock timeout with its run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimTask,
  createPool,
  createPrismaClient,
  createRun,
  unlockStrandedTaskJobs,
  type Pool,
  type PrismaClient,
} from '../src';
import { createTestDatabase, type TestDatabase } from '../src/testing';
import { deployWorkflow } from './support/workflows';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamId: string;

beforeAll(async () => {
  db = await createTestDatabase('stranded_jobs');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { max: 2 });
  teamId = (await prisma.team.create({ data: { slug: 'sj', name: 'SJ' } })).id;
  await deployWorkflow(
    prisma,
    teamId,
    `name: two\ntasks:\n  a: { kind: noop }\n  b: { kind: noop }\n`,
  );
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

/** Locks the task's job as graphile-worker does when it takes it, `ageS` seconds ago. */
async function lockJob(taskRunId: string, ageS: number): Promise<void> {
  const { rowCount } = await pool.query(
    `UPDATE graphile_worker._private_jobs
        SET locked_at = now() - $2::int * interval '1 second', locked_by = 'worker-that-never-heard',
            attempts = attempts + 1
      WHERE key = 'task:' || $1`,
    [taskRunId, ageS],
  );
  expect(rowCount).toBe(1);
}

async function lockOf(taskRunId: string): Promise<string | null> {
  const { rows } = await pool.query<{ locked_by: string | null }>(
    `SELECT locked_by FROM graphile_worker._private_jobs WHERE key = 'task:' || $1`,
    [taskRunId],
  );
  return rows[0]?.locked_by ?? null;
}

describe('task jobs locked but never claimed', () => {
  it('are unlocked once locked longer than the bound, and only while their task is queued', async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'two' } });
    const tasks = (
      await pool.query<{ id: string; task_key: string }>(
        'SELECT id, task_key FROM task_runs WHERE run_id = $1 ORDER BY task_key',
        [run.id],
      )
    ).rows;
    const [a, b] = tasks.map((t) => t.id) as [string, string];

    await lockJob(a, 120);
    await lockJob(b, 10);
    expect(await unlockStrandedTaskJobs(pool, 60_000)).toBe(1);
    expect(await lockOf(a)).toBeNull();
    expect(await lockOf(b)).toBe('worker-that-never-heard');

    // A task that is running holds its job for as long as it runs: never unlocked.
    expect(await claimTask(pool, a, null)).not.toBeNull();
    await lockJob(a, 600);
    expect(await unlockStrandedTaskJobs(pool, 60_000)).toBe(0);
    expect(await lockOf(a)).toBe('worker-that-never-heard');
  });
});
