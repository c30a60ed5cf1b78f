/**
 * A raw graphile-worker process: the baseline DTSS is compared against. Configured like a DTSS
 * worker (same pool size, concurrency, poll interval, graphile `run()`), with three no-op tasks.
 * It talks to the benchmark over IPC: timestamps are this process's wall clock (see clock.ts).
 *
 *   node --import tsx bench/graphileWorker.ts --name g1 --concurrency 8 --poll-interval-ms 500
 */
import { parseArgs } from 'node:util';
import { Logger, run, type TaskList } from 'graphile-worker';
import { createPool } from '@dtss/db';
import { wallNow } from './clock';
import type { ParentMessage, WorkerMessage } from './graphileProtocol';

const { values } = parseArgs({
  options: {
    name: { type: 'string', default: 'g' },
    concurrency: { type: 'string', default: '4' },
    'poll-interval-ms': { type: 'string', default: '500' },
  },
});
const concurrency = Number(values.concurrency);
const pool = createPool(process.env.DATABASE_URL!, {
  applicationName: `bench-graphile:${values.name}`,
  max: concurrency + 4,
});

const send = (m: WorkerMessage) => process.send?.(m);
let count = 0;
let firstStart = Number.POSITIVE_INFINITY;
let lastEnd = 0;

const taskList: TaskList = {
  // Throughput: counts and brackets the jobs it ran.
  bench_noop: async () => {
    const t = wallNow();
    if (t < firstStart) firstStart = t;
    count++;
    lastEnd = wallNow();
  },
  // Pickup latency: reports the moment the handler starts.
  bench_ping: async (payload) => {
    send({ type: 'started', seq: (payload as { seq: number }).seq, t: wallNow() });
  },
  // Chain: each step adds the next, like a DTSS completion enqueues the downstream task.
  bench_chain: async (payload, helpers) => {
    const { chain, step, steps } = payload as { chain: number; step: number; steps: number };
    if (step < steps) await helpers.addJob('bench_chain', { chain, step: step + 1, steps });
    else send({ type: 'chainDone', chain, t: wallNow() });
  },
};

const runner = await run({
  pgPool: pool,
  taskList,
  concurrency,
  pollInterval: Number(values['poll-interval-ms']),
  noHandleSignals: true,
  logger: new Logger(() => (level, message) => {
    if (level === 'error' || level === 'warning') console.error(message);
  }),
});

process.on('message', (m: ParentMessage) => {
  if (m.type === 'clock') send({ type: 'clock', id: m.id, t: wallNow() });
  else if (m.type === 'resetStats') {
    count = 0;
    firstStart = Number.POSITIVE_INFINITY;
    lastEnd = 0;
    send({ type: 'stats', id: m.id, count, firstStart, lastEnd });
  } else if (m.type === 'stats') send({ type: 'stats', id: m.id, count, firstStart, lastEnd });
});

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await runner.stop().catch(() => {});
  await pool.end().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
process.on('disconnect', () => void shutdown());
send({ type: 'ready' });
