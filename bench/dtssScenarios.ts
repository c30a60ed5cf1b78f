/**
 * DTSS under the same load as the baseline: 2 worker processes (apps/worker) with the same
 * concurrency and poll interval. Runs are created with createRun (as the API does) and their end is
 * seen through NOTIFY dtss_run_events; task timings come from task_runs (Postgres clock).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runMachine } from '@dtss/core';
import { createPool, createPrismaClient, createRun, RUN_EVENTS_CHANNEL, type Pool } from '@dtss/db';
import { measureOffset, sleep, wallNow, type ClockOffset } from './clock';
import type { BenchConfig } from './config';
import {
  pgClock,
  readStatementStats,
  sampleActivity,
  settle,
  startStatementTracking,
  withClient,
  type ActivitySample,
  type StatementStat,
} from './database';
import { formatTopStatements } from './report';
import { runRetentionBench, type RetentionBenchResult } from './retention';
import type { ThroughputResult } from './graphileBaseline';
import { assertAlive, cpuDelta, cpuSnapshot, spawnNode, stopChild, type Child } from './processes';
import { chainYaml, fanoutYaml, independentYaml, saveWorkflow } from './workflows';

const TERMINAL = new Set<string>(runMachine.terminal);

/** Run ends announced on dtss_run_events; an end may arrive before anyone waits for it. */
class RunWatcher {
  private readonly ended = new Map<string, { status: string; receivedAt: number }>();
  private readonly waiters = new Map<string, () => void>();
  private client!: pg.Client;

  async start(url: string): Promise<void> {
    this.client = new pg.Client({ connectionString: url, application_name: 'dtss-bench:listen' });
    await this.client.connect();
    this.client.on('notification', (n) => {
      const receivedAt = wallNow();
      const notice = JSON.parse(n.payload ?? '{}') as {
        runId: string;
        changes: { task?: string; status: string }[];
      };
      const end = notice.changes.find((c) => !c.task && TERMINAL.has(c.status));
      if (!end) return;
      this.ended.set(notice.runId, { status: end.status, receivedAt });
      this.waiters.get(notice.runId)?.();
    });
    await this.client.query(`LISTEN ${RUN_EVENTS_CHANNEL}`);
  }

  /** The run's end as seen by a listener; polls too, in case a notice was lost. */
  async wait(pool: Pool, runId: string, workers: Child[], timeoutMs = 120_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended.has(runId)) {
      if (Date.now() > deadline) throw new Error(`run ${runId} did not end within ${timeoutMs} ms`);
      assertAlive(workers);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        this.waiters.set(runId, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters.delete(runId);
      if (!this.ended.has(runId)) {
        const { rows } = await pool.query<{ status: string }>(
          'SELECT status FROM workflow_runs WHERE id = $1',
          [runId],
        );
        const status = rows[0]?.status ?? '';
        if (TERMINAL.has(status)) this.ended.set(runId, { status, receivedAt: wallNow() });
      }
    }
    const end = this.ended.get(runId)!;
    if (end.status !== 'succeeded') throw new Error(`benchmark run ${runId} ended ${end.status}`);
    return end.receivedAt;
  }

  async stop(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}

export interface PhaseBreakdown {
  /** Per step of the chain (steps 2..n), medians in ms. */
  queuedToStartedMs: number;
  startedToFinishedMs: number;
  stepMs: number;
  /** createRun returning → first task started; last task finished → run end seen by a listener. */
  firstStartMs: number;
  lastFinishToNoticeMs: number;
}

export interface DtssResults {
  chain40Ms: number[];
  chain40ShellMs: number[];
  chainPhases: PhaseBreakdown;
  chainShellPhases: PhaseBreakdown;
  throughput: ThroughputResult[];
  throughputManyRuns: ThroughputResult;
  fanoutMs: number[];
  triggerToStartMs: number[];
  /** The same, from the moment createRun was called. */
  triggerFromCallMs: number[];
  /** The same start, measured on Postgres's clock alone: task started_at − run created_at. */
  createdToStartMs: number[];
  createRunMs: number[];
  clock: ClockOffset[];
  /** Absent in the throughput-only run. */
  retention?: RetentionBenchResult;
  profiles: {
    name: string;
    tasks: number;
    statements: StatementStat[];
    activity: { samples: number; sessions: ActivitySample[] };
  }[];
}

const NO_PHASES: PhaseBreakdown = {
  queuedToStartedMs: Number.NaN,
  startedToFinishedMs: Number.NaN,
  stepMs: Number.NaN,
  firstStartMs: Number.NaN,
  lastFinishToNoticeMs: Number.NaN,
};

const EMPTY_DTSS: DtssResults = {
  chain40Ms: [],
  chain40ShellMs: [],
  chainPhases: NO_PHASES,
  chainShellPhases: NO_PHASES,
  throughput: [],
  throughputManyRuns: { tasks: 0, tps: 0, activeMs: 0, wallMs: 0, addMs: 0, cpuMs: {} as never },
  fanoutMs: [],
  triggerToStartMs: [],
  triggerFromCallMs: [],
  createdToStartMs: [],
  createRunMs: [],
  clock: [],
  profiles: [],
};

export async function runDtssScenarios(
  url: string,
  config: BenchConfig,
  log: (line: string) => void,
): Promise<DtssResults> {
  await widenTimestamps(url);
  const prisma = createPrismaClient(url, { max: 2, applicationName: 'dtss-bench:setup' });
  let teamId: string;
  try {
    const team = await prisma.team.create({ data: { slug: 'bench', name: 'Benchmark' } });
    teamId = team.id;
    log('dtss: saving workflows');
    const s = config.chainSteps;
    await saveWorkflow(prisma, teamId, chainYaml('bench-chain', s, 'noop'));
    await saveWorkflow(prisma, teamId, chainYaml('bench-chain-shell', s, 'shell'));
    await saveWorkflow(prisma, teamId, chainYaml('bench-chain-warmup', 5, 'noop'));
    await saveWorkflow(
      prisma,
      teamId,
      independentYaml('bench-independent', config.throughputTasks),
    );
    await saveWorkflow(prisma, teamId, independentYaml('bench-independent-100', 100));
    await saveWorkflow(prisma, teamId, independentYaml('bench-profile', config.profileTasks));
    await saveWorkflow(prisma, teamId, fanoutYaml('bench-fanout', config.fanoutWidth));
    await saveWorkflow(prisma, teamId, independentYaml('bench-single', 1));
  } finally {
    await prisma.$disconnect();
  }

  const pool = createPool(url, { applicationName: 'dtss-bench:driver', max: 4 });
  const watcher = new RunWatcher();
  const workers: Child[] = [];
  const clockClient = new pg.Client({
    connectionString: url,
    application_name: 'dtss-bench:clock',
  });
  try {
    await watcher.start(url);
    await clockClient.connect();
    const secretsKey = randomBytes(32).toString('base64');
    for (let i = 1; i <= config.processes; i++) {
      workers.push(
        spawnNode(
          `dtss-w${i}`,
          process.env.BENCH_DTSS_WORKER ?? 'apps/worker/src/main.ts',
          [
            '--name',
            `w${i}`,
            '--concurrency',
            String(config.concurrency),
            '--poll-interval-ms',
            String(config.pollIntervalMs),
          ],
          { DATABASE_URL: url, DTSS_SECRETS_KEY: secretsKey },
        ),
      );
    }
    await waitForWorkers(pool, workers, config.processes);
    const workerPids = workers.map((w) => w.process.pid!);

    /** createRun → run end seen by the listener, in ms; returns the run id too. */
    const timedRun = async (name: string) => {
      const t0 = wallNow();
      const { run } = await createRun(pool, { teamId, workflow: { name } });
      const returned = wallNow();
      const end = await watcher.wait(pool, run.id, workers);
      return { runId: run.id, ms: end - t0, createMs: returned - t0, returned, end };
    };
    const throughput = async (names: string[]): Promise<ThroughputResult> => {
      const cpu0 = cpuSnapshot(workerPids, config.dataDir);
      const t0 = wallNow();
      const runIds: string[] = [];
      for (const name of names) {
        runIds.push((await createRun(pool, { teamId, workflow: { name } })).run.id);
      }
      const addMs = wallNow() - t0;
      let end = 0;
      for (const id of runIds) end = Math.max(end, await watcher.wait(pool, id, workers));
      const cpu = cpuDelta(cpu0, cpuSnapshot(workerPids, config.dataDir));
      const { rows } = await pool.query<{ n: number; first: number; last: number }>(
        `SELECT count(*)::int AS n,
                extract(epoch FROM min(started_at))::float8 * 1000 AS first,
                extract(epoch FROM max(finished_at))::float8 * 1000 AS last
           FROM task_runs WHERE run_id = ANY($1::uuid[])`,
        [runIds],
      );
      const { n, first, last } = rows[0]!;
      const activeMs = last - first;
      return {
        tasks: n,
        tps: (n / activeMs) * 1000,
        activeMs,
        wallMs: end - t0,
        addMs,
        cpuMs: cpu,
      };
    };

    log('dtss: warm-up');
    await throughput(Array(20).fill('bench-independent-100'));
    if (config.throughputOnly) {
      log(
        `dtss: throughput, 1 run × ${config.throughputTasks} tasks × ${config.throughputRepeats}`,
      );
      const tp: ThroughputResult[] = [];
      for (let i = 0; i < config.throughputRepeats; i++) {
        await settle(url);
        if (process.env.BENCH_PROFILE && i === config.throughputRepeats - 1)
          await startStatementTracking(config.adminUrl);
        tp.push(await throughput(['bench-independent']));
      }
      if (process.env.BENCH_PROFILE) {
        const stats = await readStatementStats(config.adminUrl, config.dtssDb);
        console.log(formatTopStatements(stats, config.throughputTasks, 12));
      }
      // The same tasks spread over 50 runs of 100: completions batch per run, so smaller.
      await settle(url);
      const manyRuns = await throughput(
        Array(config.throughputTasks / 100).fill('bench-independent-100'),
      );
      return { ...EMPTY_DTSS, throughput: tp, throughputManyRuns: manyRuns };
    }
    const retentionBench = () =>
      runRetentionBench(
        url,
        pool,
        async () => (await timedRun('bench-chain')).ms,
        config.chainRepeats,
        log,
      );
    if (config.retentionOnly) {
      for (let i = 0; i < 3; i++) await timedRun('bench-chain-warmup');
      const retention = await retentionBench();
      return { ...EMPTY_DTSS, retention };
    }
    for (let i = 0; i < 3; i++) await timedRun('bench-chain-warmup');
    await timedRun('bench-chain-shell');
    for (let i = 0; i < 10; i++) await timedRun('bench-single');

    log(`dtss: chain of ${config.chainSteps} noop × ${config.chainRepeats}`);
    await settle(url);
    const chainRuns = [];
    for (let i = 0; i < config.chainRepeats; i++) chainRuns.push(await timedRun('bench-chain'));

    log(`dtss: chain of ${config.chainSteps} shell × ${config.chainRepeats}`);
    await settle(url);
    const shellRuns = [];
    for (let i = 0; i < config.chainRepeats; i++)
      shellRuns.push(await timedRun('bench-chain-shell'));

    log(`dtss: throughput, 1 run × ${config.throughputTasks} tasks × ${config.throughputRepeats}`);
    const tp: ThroughputResult[] = [];
    for (let i = 0; i < config.throughputRepeats; i++) {
      await settle(url);
      tp.push(await throughput(['bench-independent']));
    }
    const manyRuns = config.throughputTasks / 100;
    log(`dtss: throughput, ${manyRuns} runs × 100 tasks`);
    await settle(url);
    const throughputManyRuns = await throughput(Array(manyRuns).fill('bench-independent-100'));

    log(`dtss: fan-out 1 → ${config.fanoutWidth} → 1 × ${config.fanoutRepeats}`);
    const fanoutMs: number[] = [];
    for (let i = 0; i < config.fanoutRepeats; i++) {
      await settle(url);
      fanoutMs.push((await timedRun('bench-fanout')).ms);
    }

    log(`dtss: trigger → start × ${config.triggerSamples}`);
    await settle(url);
    const offsetBefore = await measureOffset(pgClock(clockClient));
    const triggers: { runId: string; returned: number; createMs: number }[] = [];
    // createMs is the createRun call (returned − called), so called = returned − createMs.
    for (let i = 0; i < config.triggerSamples; i++) {
      const r = await timedRun('bench-single');
      triggers.push({ runId: r.runId, returned: r.returned, createMs: r.createMs });
      await sleep(20);
    }
    const offsetAfter = await measureOffset(pgClock(clockClient));
    const offset = (offsetBefore.offsetMs + offsetAfter.offsetMs) / 2;
    const { rows: starts } = await pool.query<{ run_id: string; started: number; created: number }>(
      `SELECT t.run_id, extract(epoch FROM t.started_at)::float8 * 1000 AS started,
              extract(epoch FROM r.created_at)::float8 * 1000 AS created
         FROM task_runs t JOIN workflow_runs r ON r.id = t.run_id
        WHERE t.run_id = ANY($1::uuid[])`,
      [triggers.map((t) => t.runId)],
    );
    const byRun = new Map(starts.map((s) => [s.run_id, s]));
    const triggerToStartMs = triggers.map((t) => byRun.get(t.runId)!.started - offset - t.returned);
    const triggerFromCallMs = triggerToStartMs.map((ms, i) => ms + triggers[i]!.createMs);
    const createdToStartMs = starts.map((s) => s.started - s.created);

    const chainPhases = await phases(pool, chainRuns.at(-1)!, offset);
    const chainShellPhases = await phases(pool, shellRuns.at(-1)!, offset);

    log('dtss: profile (pg_stat_statements, pg_stat_activity samples)');
    const profiles: DtssResults['profiles'] = [];
    const profile = async (name: string, tasks: number, work: () => Promise<unknown>) => {
      await settle(url);
      await startStatementTracking(config.adminUrl);
      let finished!: () => void;
      const activityP = sampleActivity(
        config.adminUrl,
        config.dtssDb,
        new Promise<void>((r) => (finished = r)),
      );
      await work().finally(finished);
      const activity = await activityP;
      const statements = await readStatementStats(config.adminUrl, config.dtssDb);
      profiles.push({ name, tasks, statements, activity });
    };
    await profile(
      `1 run × ${config.profileTasks} independent noop tasks`,
      config.profileTasks,
      () => throughput(['bench-profile']),
    );
    await profile(
      `${config.chainRepeats} runs × chain of ${config.chainSteps} noop tasks`,
      config.chainRepeats * config.chainSteps,
      async () => {
        for (let i = 0; i < config.chainRepeats; i++) await timedRun('bench-chain');
      },
    );

    // Last: it leaves a database a million rows bigger (and then smaller again).
    log('dtss: chain of 40 during retention of 1,000,000 attempts');
    const retention = await retentionBench();

    return {
      retention,
      chain40Ms: chainRuns.map((r) => r.ms),
      chain40ShellMs: shellRuns.map((r) => r.ms),
      chainPhases,
      chainShellPhases,
      throughput: tp,
      throughputManyRuns,
      fanoutMs,
      triggerToStartMs,
      triggerFromCallMs,
      createdToStartMs,
      createRunMs: triggers.map((t) => t.createMs),
      clock: [offsetBefore, offsetAfter],
      profiles,
    };
  } finally {
    await clockClient.end().catch(() => {});
    await watcher.stop();
    await Promise.all(workers.map((w) => stopChild(w)));
    await pool.end().catch(() => {});
  }
}

/**
 * The migrations keep task times to the millisecond (timestamptz(3)); the benchmark database
 * keeps microseconds instead, so one pickup of ~2 ms is not rounded by ±0.5 ms. Widening a
 * column's precision changes no query the engine runs. (The view over attempts is recreated
 * around it: Postgres refuses to retype a column a view reads.)
 */
async function widenTimestamps(url: string): Promise<void> {
  const columns: Record<string, string[]> = {
    task_runs: ['queued_at', 'started_at', 'finished_at', 'attempt_started_at'],
    task_attempts: ['started_at', 'finished_at'],
    workflow_runs: ['created_at', 'started_at', 'finished_at'],
  };
  await withClient(url, async (c) => {
    const { rows } = await c.query<{ def: string }>(
      `SELECT pg_get_viewdef('task_attempts_all'::regclass) AS def`,
    );
    await c.query('DROP VIEW task_attempts_all');
    for (const [table, cols] of Object.entries(columns)) {
      const alters = cols.map((col) => `ALTER COLUMN ${col} TYPE timestamptz(6)`).join(', ');
      await c.query(`ALTER TABLE ${table} ${alters}`);
    }
    await c.query(`CREATE VIEW task_attempts_all AS ${rows[0]!.def}`);
  });
}

async function waitForWorkers(pool: Pool, workers: Child[], n: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    assertAlive(workers);
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM workers WHERE status = 'active'`,
    );
    if (rows[0]!.n >= n) return;
    if (Date.now() > deadline) throw new Error('DTSS workers did not register within 60 s');
    await sleep(100);
  }
}

/** Where a chain's time goes, step by step, from the task rows (Postgres clock). */
async function phases(
  pool: Pool,
  run: { runId: string; returned: number; end: number },
  offsetMs: number,
): Promise<PhaseBreakdown> {
  const { rows } = await pool.query<{ queued: number; started: number; finished: number }>(
    `SELECT extract(epoch FROM queued_at)::float8 * 1000 AS queued,
            extract(epoch FROM started_at)::float8 * 1000 AS started,
            extract(epoch FROM finished_at)::float8 * 1000 AS finished
       FROM task_runs WHERE run_id = $1 ORDER BY started_at`,
    [run.runId],
  );
  const later = rows.slice(1);
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  return {
    queuedToStartedMs: med(later.map((r) => r.started - r.queued)),
    startedToFinishedMs: med(later.map((r) => r.finished - r.started)),
    stepMs: med(later.map((r, i) => r.finished - rows[i]!.finished)),
    firstStartMs: rows[0]!.started - offsetMs - run.returned,
    lastFinishToNoticeMs: run.end - (rows.at(-1)!.finished - offsetMs),
  };
}
