/**
 * chain40_during_retention_ms: the 40-step chain while the leader's retention deletes 1,000,000
 * task attempts (issue 15: within 1.2× of the same chain without retention, both measured here, on
 * the same database, after the history is written). The history is 20 workflows × 10,000 runs × 5
 * tasks that ended 91–120 days ago (past the default 90-day run retention), 1 run in 10 with log
 * lines; retention runs in this process through the scheduler's own code (applyRetention), as
 * the leader would, with its own connections.
 */
import { createPool, createPrismaClient, type Pool } from '@dtss/db';
import { applyRetention } from '../apps/worker/src/scheduler/retention';
import { settle } from './database';
import { writeHistory } from './history';
import { chainYaml, saveWorkflow } from './workflows';

export interface RetentionBenchResult {
  attempts: number;
  writeS: number;
  chain40BeforeMs: number[];
  chain40DuringMs: number[];
  /** What retention deleted while the chains ran, and whether it was still going at their end. */
  prunedRuns: number;
  prunedTasks: number;
  stillPruningAtEnd: boolean;
}

const WORKFLOWS = 20;
const RUNS_PER_WORKFLOW = 10_000;
const TASKS_PER_RUN = 5;

export async function runRetentionBench(
  url: string,
  pool: Pool,
  chain: () => Promise<number>,
  repeats: number,
  log: (line: string) => void,
): Promise<RetentionBenchResult> {
  const prisma = createPrismaClient(url, { max: 2, applicationName: 'dtss-bench:retention-setup' });
  let teamId: string;
  try {
    teamId = (await prisma.team.create({ data: { slug: 'bench-retention', name: 'Retention' } }))
      .id;
    for (let i = 0; i < WORKFLOWS; i++)
      await saveWorkflow(prisma, teamId, chainYaml(`old-${i}`, TASKS_PER_RUN, 'noop'));
  } finally {
    await prisma.$disconnect();
  }
  const started = performance.now();
  const attempts = await writeHistory((sql, params) => pool.query(sql, params), teamId, {
    runsPerWorkflow: RUNS_PER_WORKFLOW,
    tasksPerRun: TASKS_PER_RUN,
    retryEvery: 1e9,
    spanDays: 29,
    endsDaysAgo: 91,
    logsEvery: 10,
  });
  const writeS = (performance.now() - started) / 1000;
  log(
    `dtss: retention: ${attempts.toLocaleString('en-US')} attempts written in ${writeS.toFixed(0)} s`,
  );

  await settle(url);
  // The first chains after the bulk write and the checkpoint read cold pages: not measured.
  for (let i = 0; i < 2; i++) await chain();
  const chain40BeforeMs: number[] = [];
  for (let i = 0; i < repeats; i++) chain40BeforeMs.push(await chain());

  const retentionPool = createPool(url, { applicationName: 'dtss-bench:retention', max: 2 });
  let measuring = true;
  let passDone = false;
  const pass = applyRetention(retentionPool, {
    isLeader: () => measuring,
    intervalMs: 0,
    log,
  }).finally(() => (passDone = true));
  try {
    // Let retention get going (its first batches) before the first chain.
    await new Promise((r) => setTimeout(r, 1_000));
    const chain40DuringMs: number[] = [];
    for (let i = 0; i < repeats; i++) chain40DuringMs.push(await chain());
    const stillPruningAtEnd = !passDone;
    measuring = false;
    const done = await pass;
    log(
      `dtss: retention: chain of 40 before ${chain40BeforeMs.map(Math.round).join('/')} ms, during ` +
        `${chain40DuringMs.map(Math.round).join('/')} ms; ${done.runs} runs (${done.tasks} tasks) ` +
        `pruned meanwhile${stillPruningAtEnd ? ', still pruning at the end' : ', FINISHED before the chains did'}`,
    );
    return {
      attempts,
      writeS,
      chain40BeforeMs,
      chain40DuringMs,
      prunedRuns: done.runs,
      prunedTasks: done.tasks,
      stillPruningAtEnd,
    };
  } finally {
    measuring = false;
    await pass.catch(() => {});
    await retentionPool.end();
  }
}
