/**
 * Per-team retention: log lines of runs finished longer ago than the team's log retention go,
 * whole finished runs older than its run retention go with their tasks, attempts and logs;
 * unfinished runs, newer runs and teams that keep everything are left alone. Batches are small
 * and bounded by tasks, and the log cursor never reads an emptied run again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPool,
  createPrismaClient,
  createRun,
  pruneExpiredLogs,
  pruneExpiredRuns,
  readRetentionTeams,
  setTeamRetention,
  type Pool,
  type PrismaClient,
} from '../src';
import { createTestDatabase, type TestDatabase } from '../src/testing';
import { deployWorkflow, driveRun } from './support/workflows';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let team: string;
let keeper: string;

const YAML = `name: three\ntasks:\n  a: { kind: noop }\n  b: { kind: noop, needs: [a] }\n  c: { kind: noop, needs: [a] }\n`;

beforeAll(async () => {
  db = await createTestDatabase('retention');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { max: 2 });
  team = (await prisma.team.create({ data: { slug: 'ret', name: 'Ret' } })).id;
  keeper = (await prisma.team.create({ data: { slug: 'keep', name: 'Keep' } })).id;
  await deployWorkflow(prisma, team, YAML);
  await deployWorkflow(prisma, keeper, YAML);
  // A team that keeps everything.
  await setTeamRetention(pool, keeper, { logRetentionDays: null, runRetentionDays: null });
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

/** A finished run of 3 tasks with 2 log chunks per task, ended `daysAgo` days ago. */
async function finishedRun(teamId: string, daysAgo: number): Promise<string> {
  const { run } = await createRun(pool, { teamId, workflow: { name: 'three' } });
  await driveRun(pool, run.id);
  await pool.query(
    `INSERT INTO log_chunks (attempt_id, task_run_id, run_id, seq, first_line, line_count, bytes,
                             text, line_meta)
     SELECT a.id, a.task_run_id, a.run_id, s, s, 1, 5, 'hello', '[]'
       FROM task_attempts a CROSS JOIN generate_series(0, 1) s WHERE a.run_id = $1`,
    [run.id],
  );
  await pool.query(
    `UPDATE workflow_runs SET finished_at = now() - make_interval(days => $2),
            created_at = now() - make_interval(days => $2) WHERE id = $1`,
    [run.id, daysAgo],
  );
  return run.id;
}

async function counts(runId: string) {
  const { rows } = await pool.query<{
    runs: number;
    tasks: number;
    attempts: number;
    chunks: number;
  }>(
    `SELECT (SELECT count(*)::int FROM workflow_runs WHERE id = $1) AS runs,
            (SELECT count(*)::int FROM task_runs WHERE run_id = $1) AS tasks,
            (SELECT count(*)::int FROM task_attempts WHERE run_id = $1) AS attempts,
            (SELECT count(*)::int FROM log_chunks WHERE run_id = $1) AS chunks`,
    [runId],
  );
  return rows[0]!;
}

describe('retention', () => {
  it('gives new teams 30 days of logs and 90 days of runs', async () => {
    const teams = await readRetentionTeams(pool);
    expect(teams.find((t) => t.id === team)).toEqual({
      id: team,
      logRetentionDays: 30,
      runRetentionDays: 90,
    });
    // Keeping everything leaves nothing to do.
    expect(teams.find((t) => t.id === keeper)).toBeUndefined();
  });

  it('prunes logs after the log retention and runs after the run retention, in small batches', async () => {
    const fresh = await finishedRun(team, 5);
    const logsOld = [
      await finishedRun(team, 40),
      await finishedRun(team, 45),
      await finishedRun(team, 50),
    ];
    const runsOld = [await finishedRun(team, 100), await finishedRun(team, 120)];
    const kept = await finishedRun(keeper, 400);
    // Queued for a long time but never finished: not for retention to end.
    const { run: unfinished } = await createRun(pool, {
      teamId: team,
      workflow: { name: 'three' },
    });
    await pool.query(
      `UPDATE workflow_runs SET created_at = now() - interval '200 days' WHERE id = $1`,
      [unfinished.id],
    );

    // Batches of at most 2 runs and 3 tasks: one 3-task run per statement.
    const limits = { runs: 2, tasks: 3 };
    const logBatches: number[] = [];
    for (;;) {
      const r = await pruneExpiredLogs(pool, team, limits);
      if (!r.runs) break;
      expect(r.runs).toBe(1);
      logBatches.push(r.chunks);
    }
    // Five runs older than 30 days, each read once (the cursor moves past emptied runs).
    expect(logBatches).toEqual([6, 6, 6, 6, 6]);
    for (const id of [...logsOld, ...runsOld]) expect((await counts(id)).chunks).toBe(0);
    expect(await counts(fresh)).toEqual({ runs: 1, tasks: 3, attempts: 3, chunks: 6 });
    // Called again: nothing more (not the same runs again).
    expect(await pruneExpiredLogs(pool, team, limits)).toEqual({ runs: 0, chunks: 0 });

    const runBatches: { runs: number; tasks: number }[] = [];
    for (;;) {
      const r = await pruneExpiredRuns(pool, team, limits);
      if (!r.runs) break;
      runBatches.push(r);
    }
    expect(runBatches).toEqual([
      { runs: 1, tasks: 3 },
      { runs: 1, tasks: 3 },
    ]);
    for (const id of runsOld) {
      expect(await counts(id)).toEqual({ runs: 0, tasks: 0, attempts: 0, chunks: 0 });
    }
    for (const id of logsOld)
      expect(await counts(id)).toMatchObject({ runs: 1, tasks: 3, attempts: 3 });
    expect((await counts(unfinished.id)).runs).toBe(1);
    expect(await counts(kept)).toEqual({ runs: 1, tasks: 3, attempts: 3, chunks: 6 });
  });

  it('a run bigger than the task limit still goes, alone', async () => {
    const a = await finishedRun(team, 95);
    const b = await finishedRun(team, 96);
    expect(await pruneExpiredRuns(pool, team, { runs: 10, tasks: 2 })).toEqual({
      runs: 1,
      tasks: 3,
    });
    expect(await pruneExpiredRuns(pool, team, { runs: 10, tasks: 2 })).toEqual({
      runs: 1,
      tasks: 3,
    });
    expect((await counts(a)).runs + (await counts(b)).runs).toBe(0);
  });

  it('follows a changed setting: a shorter log retention reaches newer runs', async () => {
    const recent = await finishedRun(team, 10);
    await setTeamRetention(pool, team, { logRetentionDays: 7, runRetentionDays: 90 });
    await pruneExpiredLogs(pool, team);
    expect((await counts(recent)).chunks).toBe(0);
    await setTeamRetention(pool, team, { logRetentionDays: 30, runRetentionDays: 90 });
  });
});
