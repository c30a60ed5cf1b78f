/**
 * `npm run chaos`: the whole system under a mixed workload while faults are injected at random
 * (seeded) times, then the invariants of docs/CHAOS.md checked from the database and the tasks'
 * side effects. Writes bench/results/chaos.json, prints a report, exits 1 on any violation.
 *
 *   npm run chaos                      full run: 5+ minutes, ~6,000 tasks, ~18 faults
 *   npm run chaos -- --quick           at most ~3 minutes, one fault of each kind (npm test)
 *   npm run chaos -- --seed 1234       replay a run's plan and fault schedule
 *   npm run chaos -- --recheck         the checks again on the last run (its database is kept)
 *   npm run chaos -- --no-netns        as without root: no network namespace, no partition
 */
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPool, type Pool } from '@dtss/db';
import { runChecks, type Violation } from './checks';
import {
  startCluster,
  startSuiteDatabase,
  type ChildExit,
  type Cluster,
  type WorkerSpec,
} from './cluster';
import { planFaults, runFaults, undoFaults, type FaultKind, type FaultRecord } from './faults';
import { Monitor, waitUntilSettled, type LeaseChange, type Sweep } from './monitor';
import { createNetns, netnsUnavailable, type Netns } from './netns';
import { seededRandom } from './random';
import { measureRecovery } from './recovery';
import { buildReport, formatReport, writeReport } from './report';
import { unexplainedSweeps } from './sweeps';
import {
  planWorkload,
  prepareWorkload,
  submitWorkload,
  type Submission,
  type WorkloadScale,
} from './workload';

const root = path.resolve(import.meta.dirname, '../..');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seed: { type: 'string' },
    duration: { type: 'string' },
    out: { type: 'string' },
    recheck: { type: 'boolean', default: false },
    'no-netns': { type: 'boolean', default: false },
  },
});
const quick = args.quick!;
const seed = args.seed ? Number(args.seed) : randomInt(1, 2 ** 31);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${args.seed}`);

/** The worker's default lost-worker timeout (the suite runs with the defaults users get). */
const LOST_AFTER_MS = Number(process.env.DTSS_WORKER_LOST_AFTER_MS ?? 8_000);
/** A sweep comes at most this long after the lost timeout: sweep interval, a busy leader. */
const SWEEP_SLACK_MS = 30_000;

const durationMs = (args.duration ? Number(args.duration) : quick ? 80 : 320) * 1000;
const scale: WorkloadScale = {
  durationMs,
  perSecond: {
    chain: 0.5,
    diamond: 0.35,
    flaky: 0.3,
    outputs: 0.3,
    sleepy: 0.12,
    event: 0.5,
    webhook: 0.25,
  },
  fanouts: quick ? 3 : Math.max(1, Math.round((14 * durationMs) / 320_000)),
  fanoutWidth: 200,
  tickSchedules: 3,
};
const faultCounts: Record<FaultKind, number> = quick
  ? {
      worker_kill: 1,
      leader_kill: 1,
      worker_stop: 1,
      partition: 1,
      pg_restart: 1,
      pg_terminate: 1,
      cpu_load: 1,
    }
  : {
      worker_kill: 4,
      leader_kill: 3,
      worker_stop: 2,
      partition: 3,
      pg_restart: 2,
      pg_terminate: 2,
      cpu_load: 2,
    };

const dir = path.join(root, '.dtss/chaos');
const effectsFile = path.join(dir, 'effects.log');
const outFile = path.resolve(root, args.out ?? 'bench/results/chaos.json');
const started = Date.now();
const log = (line: string) =>
  console.log(`[chaos ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

let cluster: Cluster | null = null;
let netns: Netns | null = null;
let pool: Pool | null = null;
let interrupted = false;
let stopDatabase: (() => Promise<void>) | null = null;

async function cleanUp(): Promise<void> {
  await undoFaults();
  await pool?.end().catch(() => {});
  if (cluster) {
    await cluster.stopServices(15_000).catch(() => {});
    await cluster.stopPostgres().catch(() => {});
  }
  await stopDatabase?.().catch(() => {});
  await netns?.destroy();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (interrupted) {
      cluster?.killAll();
      process.exit(130);
    }
    interrupted = true;
    log(`${signal}: stopping everything (again to kill at once)`);
    void cleanUp().finally(() => process.exit(130));
  });

async function main(): Promise<number> {
  const replay = [
    quick ? '--quick' : '',
    args.duration ? `--duration ${args.duration}` : '',
    args['no-netns'] ? '--no-netns' : '',
    `--seed ${seed}`,
  ].filter(Boolean);
  log(`seed ${seed} (replay: npm run chaos -- ${replay.join(' ')})`);
  rmSync(dir, { recursive: true, force: true });

  const unavailable = args['no-netns'] ? '--no-netns' : await netnsUnavailable();
  let netnsNote: string;
  if (unavailable) {
    netnsNote = `skipped: ${unavailable}; the partition fault is skipped, worker-4 runs on the host`;
  } else {
    try {
      netns = await createNetns();
      netnsNote = `${netns.name}: worker-4 behind ${netns.hostAddress}`;
    } catch (err) {
      netnsNote = `skipped: the namespace could not be made (${(err as Error).message.split('\n')[0]}); the partition fault is skipped, worker-4 runs on the host`;
    }
  }
  log(`network namespace: ${netnsNote}`);

  const workers: WorkerSpec[] = [
    { name: 'worker-1', pools: ['default', 'alpha'], namespaced: false },
    { name: 'worker-2', pools: ['default', 'beta'], namespaced: false },
    { name: 'worker-3', pools: ['default', 'alpha', 'beta'], namespaced: false },
    { name: 'worker-4', pools: ['default', 'alpha'], namespaced: netns !== null },
  ];
  cluster = await startCluster({ root, dir, workers, schedulers: 2, netns, log });
  log(
    `cluster up: Postgres, web ${cluster.webUrl}, 4 workers, 2 schedulers (logs: ${path.relative(root, cluster.logFile)})`,
  );
  pool = createPool(cluster.databaseUrl, { applicationName: 'dtss-chaos', max: 4 });
  const monitor = new Monitor(pool);
  monitor.start();

  const random = seededRandom(seed);
  const plan = planWorkload(scale, random);
  const faultPlan = planFaults(
    {
      durationMs,
      firstAtMs: quick ? 10_000 : 15_000,
      tailMs: quick ? 5_000 : 20_000,
      counts: faultCounts,
      gapMs: quick ? [1_000, 4_000] : [5_000, 20_000],
      lostAfterMs: LOST_AFTER_MS,
      cpuLoadMs: 30_000,
    },
    random,
  );
  // Schedules start on a whole second a little ahead, and the submissions with them.
  const prepared = await prepareWorkload({
    webUrl: cluster.webUrl,
    token: cluster.apiToken,
    effectsFile,
    scale,
    ticksLeadMs: 5_000,
  });
  log(
    `workload: ${plan.length} submissions and ${scale.tickSchedules} schedules over ` +
      `${durationMs / 1000} s; faults: ${faultPlan.map((f) => f.kind).join(', ')}`,
  );
  const workloadStartedAt = prepared.ticksFrom.getTime();
  while (Date.now() < workloadStartedAt) await new Promise((r) => setTimeout(r, 50));

  let submitted = 0;
  const progress = setInterval(
    () => log(`${submitted}/${plan.length} submissions answered`),
    quick ? 20_000 : 30_000,
  );
  const [submissions, faults] = await Promise.all([
    submitWorkload({
      prepared,
      webUrl: cluster.webUrl,
      plan,
      startedAt: workloadStartedAt,
      retryForMs: 120_000,
      onProgress: (n) => (submitted = n),
    }),
    runFaults({ cluster, netns, pool, log }, faultPlan, workloadStartedAt),
  ]);
  clearInterval(progress);
  const workloadMs = Date.now() - workloadStartedAt;
  log(`workload done in ${(workloadMs / 1000).toFixed(0)} s; waiting for every run to end`);

  const settle = await waitUntilSettled(pool, prepared.ticksTo, {
    stallMs: quick ? 90_000 : 180_000,
    maxMs: quick ? 150_000 : 900_000,
    log,
  });
  log(settle.settled ? `settled in ${(settle.waitedMs / 1000).toFixed(0)} s` : 'did NOT settle');
  await monitor.stop();
  // Stopped before the checks: every task process has ended, every side effect is written.
  await cluster.stopServices(20_000);
  log('services stopped; checking');

  const record: RunRecord = {
    mode: quick ? 'quick' : 'full',
    seed,
    startedAt: started,
    workloadStartedAt,
    workloadMs,
    settle,
    netns: netnsNote,
    submissions,
    faults,
    sweeps: monitor.sweeps,
    leases: monitor.leases,
    exits: cluster.exits,
    workerPools: Object.fromEntries(workers.map((w) => [w.name, w.pools])),
  };
  // Kept beside the database, so `--recheck` can check this run again.
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify(record));
  return checkAndReport(pool, record);
}

/** Everything the checks need besides the database and the side-effect file. */
interface RunRecord {
  mode: 'full' | 'quick';
  seed: number;
  startedAt: number;
  workloadStartedAt: number;
  workloadMs: number;
  settle: { settled: boolean; waitedMs: number };
  netns: string;
  submissions: Submission[];
  faults: FaultRecord[];
  sweeps: Sweep[];
  leases: LeaseChange[];
  exits: ChildExit[];
  workerPools: Record<string, string[]>;
}

async function checkAndReport(db: Pool, r: RunRecord): Promise<number> {
  const checks = await runChecks({
    pool: db,
    effectsFile,
    submissions: r.submissions,
    sweeps: r.sweeps,
    workerPools: r.workerPools,
  });
  const recoveries = [];
  for (const f of r.faults) recoveries.push(await measureRecovery(db, f, r.leases));
  const extraViolations: Violation[] = [
    ...r.faults
      .filter((f) => f.skipped?.startsWith('failed'))
      .map((f) => ({
        check: 'faults' as const,
        message: `${f.kind} could not be injected: ${f.skipped}`,
      })),
    // A process that ends by itself (not by the suite's signals) is a crash; the database's child
    // exits after each immediate stop, which is the fault itself.
    ...r.exits
      .filter((e) => e.name !== 'db' && e.signal === null)
      .map((e) => ({
        check: 'crashes' as const,
        message: `${e.name} exited by itself (code ${e.code}) at t+${((e.at - r.workloadStartedAt) / 1000).toFixed(1)} s (see .dtss/chaos/cluster.log)`,
      })),
    // Heartbeats must not starve behind task work or the CPU load: every sweep has a cause.
    ...unexplainedSweeps(r.sweeps, r.faults, r.exits, LOST_AFTER_MS + SWEEP_SLACK_MS).map(
      (message) => ({ check: 'healthy-workers' as const, message }),
    ),
    ...r.submissions
      .filter((s) => s.error)
      .slice(0, 10)
      .map((s) => ({
        check: 'submissions' as const,
        message: `no answer within 120 s: ${s.error}`,
      })),
  ];
  const report = buildReport({
    mode: r.mode,
    seed: r.seed,
    startedAt: r.startedAt,
    workloadStartedAt: r.workloadStartedAt,
    workloadMs: r.workloadMs,
    settle: r.settle,
    netns: r.netns,
    checks,
    faults: r.faults,
    recoveries,
    submissions: {
      total: r.submissions.length,
      unanswered: r.submissions.filter((s) => s.error).length,
      retried: r.submissions.filter((s) => s.tries > 1).length,
    },
    extraViolations,
  });
  writeReport(outFile, report);
  console.log(`\n${formatReport(report)}\n`);
  log(
    `wrote ${path.relative(root, outFile)}; total ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return report.violations.length ? 1 : 0;
}

/** `--recheck`: the checks again on the last run's database, side effects and record. */
async function recheck(): Promise<number> {
  const file = path.join(dir, 'run.json');
  if (!existsSync(file)) throw new Error(`no run to check again: ${file} is missing`);
  const record = JSON.parse(readFileSync(file, 'utf8'), (key, value: unknown) =>
    (key === 'sweptAt' || key === 'acquiredAt') && typeof value === 'string'
      ? new Date(value)
      : value,
  ) as RunRecord;
  const db = await startSuiteDatabase(root, dir);
  stopDatabase = db.stop;
  pool = createPool(db.databaseUrl, { applicationName: 'dtss-chaos', max: 4 });
  log(`checking the run of seed ${record.seed} again`);
  return checkAndReport(pool, record);
}

(args.recheck ? recheck() : main())
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  })
  .catch(async (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    await cleanUp();
    process.exit(2);
  });
