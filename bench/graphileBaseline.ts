/**
 * The baseline: the same scenarios on raw graphile-worker, in 2 worker processes configured like
 * DTSS workers. Chain: each job's handler adds the next. Throughput: jobs added in one call, then
 * first handler start to last handler end. Pickup: add one job, wait for its handler to start.
 */
import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import { createPool } from '@dtss/db';
import { measureOffset, sleep, wallNow, type ClockOffset } from './clock';
import {
  readStatementStats,
  sampleActivity,
  settle,
  startStatementTracking,
  type ActivitySample,
  type StatementStat,
} from './database';
import { formatTopStatements } from './report';
import type { ParentMessage, WorkerMessage } from './graphileProtocol';
import {
  assertAlive,
  cpuDelta,
  cpuSnapshot,
  spawnNode,
  stopChild,
  type Child,
  type CpuSnapshot,
} from './processes';
import type { BenchConfig } from './config';

interface Proc {
  child: Child;
  offset: ClockOffset;
}

type Received = { msg: WorkerMessage; proc: Proc; receivedAt: number };

/** The worker processes and the mailbox of their messages (a message may beat its waiter). */
class GraphileWorkers {
  readonly procs: Proc[] = [];
  private readonly mailbox = new Map<string, Received>();
  private readonly waiters = new Map<string, (r: Received) => void>();
  private nextId = 1;

  async start(url: string, config: BenchConfig): Promise<void> {
    for (let i = 1; i <= config.processes; i++) {
      const child = spawnNode(
        `graphile-g${i}`,
        'bench/graphileWorker.ts',
        [
          '--name',
          `g${i}`,
          '--concurrency',
          String(config.concurrency),
          '--poll-interval-ms',
          String(config.pollIntervalMs),
        ],
        { DATABASE_URL: url },
        { ipc: true },
      );
      const proc: Proc = { child, offset: { offsetMs: 0, rttMs: 0 } };
      child.process.on('message', (msg: WorkerMessage) => this.receive(proc, msg));
      this.procs.push(proc);
    }
    await Promise.all(this.procs.map((p) => this.next(`ready:${p.child.name}`, 60_000)));
  }

  private receive(proc: Proc, msg: WorkerMessage): void {
    const key =
      msg.type === 'ready'
        ? `ready:${proc.child.name}`
        : msg.type === 'started'
          ? `started:${msg.seq}`
          : msg.type === 'chainDone'
            ? `chainDone:${msg.chain}`
            : `reply:${msg.id}`;
    const r = { msg, proc, receivedAt: wallNow() };
    const waiter = this.waiters.get(key);
    if (waiter) {
      this.waiters.delete(key);
      waiter(r);
    } else this.mailbox.set(key, r);
  }

  next(key: string, timeoutMs = 30_000): Promise<Received> {
    const ready = this.mailbox.get(key);
    if (ready) {
      this.mailbox.delete(key);
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        try {
          assertAlive(this.procs.map((p) => p.child));
          reject(new Error(`graphile baseline: no "${key}" within ${timeoutMs} ms`));
        } catch (err) {
          reject(err);
        }
      }, timeoutMs);
      this.waiters.set(key, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  }

  async request(proc: Proc, msg: Omit<ParentMessage, 'id'>): Promise<WorkerMessage> {
    const id = this.nextId++;
    proc.child.process.send({ ...msg, id } as ParentMessage);
    return (await this.next(`reply:${id}`, 10_000)).msg;
  }

  async calibrate(): Promise<void> {
    for (const p of this.procs) {
      p.offset = await measureOffset(async () => {
        const reply = await this.request(p, { type: 'clock' });
        return reply.type === 'clock' ? reply.t : Number.NaN;
      });
    }
  }

  async stats(reset = false): Promise<{ count: number; firstStart: number; lastEnd: number }> {
    let count = 0;
    let firstStart = Number.POSITIVE_INFINITY;
    let lastEnd = 0;
    for (const p of this.procs) {
      const s = await this.request(p, { type: reset ? 'resetStats' : 'stats' });
      if (s.type !== 'stats') continue;
      count += s.count;
      // JSON turns an unset (infinite) start into null.
      if (s.count > 0 && s.firstStart !== null) {
        firstStart = Math.min(firstStart, s.firstStart - p.offset.offsetMs);
        lastEnd = Math.max(lastEnd, s.lastEnd - p.offset.offsetMs);
      }
    }
    return { count, firstStart, lastEnd };
  }

  async stop(): Promise<void> {
    await Promise.all(this.procs.map((p) => stopChild(p.child)));
  }
}

export interface ThroughputResult {
  tasks: number;
  /** tasks / (last handler end − first handler start). */
  tps: number;
  activeMs: number;
  /** From the add call to the benchmark seeing all done (includes the bulk insert). */
  wallMs: number;
  addMs: number;
  cpuMs: CpuSnapshot;
}

export interface GraphileResults {
  chain40Ms: number[];
  throughput: ThroughputResult[];
  pickupMs: number[];
  /** The same, from the moment addJob was called. */
  pickupFromCallMs: number[];
  clock: ClockOffset[];
  statements: StatementStat[];
  statementJobs: number;
  activity: { samples: number; sessions: ActivitySample[] };
}

const EMPTY_GRAPHILE: GraphileResults = {
  chain40Ms: [],
  throughput: [],
  pickupMs: [],
  pickupFromCallMs: [],
  clock: [],
  statements: [],
  statementJobs: 0,
  activity: { samples: 0, sessions: [] },
};

export async function runGraphileBaseline(
  url: string,
  config: BenchConfig,
  log: (line: string) => void,
): Promise<GraphileResults> {
  const workers = new GraphileWorkers();
  const pool = createPool(url, { applicationName: 'bench-graphile:driver', max: 4 });
  // graphile-worker warns about pools without per-client error handlers; this one is ours.
  pool.on('connect', (client) => client.on('error', () => {}));
  const utils = await makeWorkerUtils({ pgPool: pool });
  try {
    await workers.start(url, config);
    const workerPids = workers.procs.map((p) => p.child.process.pid!);
    await workers.calibrate();

    log('graphile: warm-up');
    await throughput(workers, utils, 2_000, workerPids, config.dataDir);
    if (config.throughputOnly) {
      const tp: ThroughputResult[] = [];
      log(`graphile: throughput ${config.throughputTasks} jobs × ${config.throughputRepeats}`);
      for (let i = 0; i < config.throughputRepeats; i++) {
        await settle(url);
        if (process.env.BENCH_PROFILE && i === config.throughputRepeats - 1)
          await startStatementTracking(config.adminUrl);
        tp.push(
          await throughput(workers, utils, config.throughputTasks, workerPids, config.dataDir),
        );
      }
      if (process.env.BENCH_PROFILE) {
        const stats = await readStatementStats(config.adminUrl, config.graphileDb);
        console.log(formatTopStatements(stats, config.throughputTasks, 5));
      }
      return { ...EMPTY_GRAPHILE, throughput: tp };
    }
    for (let i = 0; i < 2; i++) await chain(workers, utils, -1 - i, 10);
    await pickups(workers, utils, 10, 1_000_000);

    log(`graphile: chain of ${config.chainSteps} × ${config.chainRepeats}`);
    await settle(url);
    const chain40Ms: number[] = [];
    for (let i = 0; i < config.chainRepeats; i++) {
      chain40Ms.push(await chain(workers, utils, i + 1, config.chainSteps));
    }

    log(`graphile: throughput ${config.throughputTasks} jobs × ${config.throughputRepeats}`);
    const tp: ThroughputResult[] = [];
    for (let i = 0; i < config.throughputRepeats; i++) {
      await settle(url);
      tp.push(await throughput(workers, utils, config.throughputTasks, workerPids, config.dataDir));
    }

    log(`graphile: pickup latency × ${config.triggerSamples}`);
    await settle(url);
    await workers.calibrate();
    const { fromReturn: pickupMs, fromCall: pickupFromCallMs } = await pickups(
      workers,
      utils,
      config.triggerSamples,
      0,
    );
    const clock = workers.procs.map((p) => p.offset);

    log('graphile: profile (pg_stat_statements)');
    await settle(url);
    await startStatementTracking(config.adminUrl);
    let finished!: () => void;
    const activityP = sampleActivity(
      config.adminUrl,
      config.graphileDb,
      new Promise<void>((r) => (finished = r)),
    );
    await throughput(workers, utils, config.profileTasks, workerPids, config.dataDir).finally(
      finished,
    );
    const activity = await activityP;
    const statements = await readStatementStats(config.adminUrl, config.graphileDb);
    return {
      chain40Ms,
      throughput: tp,
      pickupMs,
      pickupFromCallMs,
      clock,
      statements,
      statementJobs: config.profileTasks,
      activity,
    };
  } finally {
    await Promise.resolve(utils.release()).catch(() => {});
    await pool.end().catch(() => {});
    await workers.stop();
  }
}

async function chain(
  workers: GraphileWorkers,
  utils: WorkerUtils,
  id: number,
  steps: number,
): Promise<number> {
  const t0 = wallNow();
  await utils.addJob('bench_chain', { chain: id, step: 1, steps });
  const done = await workers.next(`chainDone:${id}`);
  return done.receivedAt - t0;
}

async function throughput(
  workers: GraphileWorkers,
  utils: WorkerUtils,
  n: number,
  workerPids: number[],
  dataDir: string,
): Promise<ThroughputResult> {
  await workers.stats(true);
  const cpu0 = cpuSnapshot(workerPids, dataDir);
  const t0 = wallNow();
  await utils.addJobs(
    Array.from({ length: n }, (_, i) => ({ identifier: 'bench_noop', payload: { i } })),
  );
  const addMs = wallNow() - t0;
  const deadline = Date.now() + 120_000;
  while ((await workers.stats()).count < n) {
    if (Date.now() > deadline) throw new Error(`graphile throughput: ${n} jobs not done in 120 s`);
    assertAlive(workers.procs.map((p) => p.child));
    await sleep(10);
  }
  const wallMs = wallNow() - t0;
  const cpu = cpuDelta(cpu0, cpuSnapshot(workerPids, dataDir));
  await workers.calibrate();
  const s = await workers.stats();
  const activeMs = s.lastEnd - s.firstStart;
  return { tasks: n, tps: (n / activeMs) * 1000, activeMs, wallMs, addMs, cpuMs: cpu };
}

/** Jobs added one at a time; each waits for the previous handler (and a pause) before it. */
async function pickups(
  workers: GraphileWorkers,
  utils: WorkerUtils,
  n: number,
  seqBase: number,
): Promise<{ fromReturn: number[]; fromCall: number[] }> {
  const fromReturn: number[] = [];
  const fromCall: number[] = [];
  for (let i = 0; i < n; i++) {
    const seq = seqBase + i;
    const called = wallNow();
    await utils.addJob('bench_ping', { seq });
    const returned = wallNow();
    const started = await workers.next(`started:${seq}`);
    if (started.msg.type === 'started') {
      const t = started.msg.t - started.proc.offset.offsetMs;
      fromReturn.push(t - returned);
      fromCall.push(t - called);
    }
    await sleep(20);
  }
  return { fromReturn, fromCall };
}
