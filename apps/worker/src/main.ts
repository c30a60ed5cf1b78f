/**
 * Worker process entry point. Registers, heartbeats and drains on SIGTERM; the execution engine
 * (graphile-worker task handlers, executors) plugs in here.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { createPool } from '@dtss/db';
import { loadWorkerConfig, type WorkerConfig } from './config';
import { startHeartbeat } from './heartbeat';
import { WORKER_VERSION } from './version';

let config: WorkerConfig;
try {
  config = loadWorkerConfig(process.argv.slice(2), process.env);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const pool = createPool(config.databaseUrl, {
  applicationName: `dtss-worker:${config.name}`,
  max: 4,
});
const id = randomUUID();

const heartbeat = await startHeartbeat(
  pool,
  {
    id,
    name: config.name,
    hostname: os.hostname(),
    pid: process.pid,
    version: WORKER_VERSION,
    pools: config.pools,
    concurrency: config.concurrency,
  },
  config.heartbeatMs,
  {
    runningTasks: () => 0,
    onDrainRequested: () => void shutdown('drain requested'),
    onError: (e) => console.error(`heartbeat failed: ${e.message}`),
  },
);
console.log(
  `worker ${config.name} (${id}) online: pools ${config.pools.join(',')}, concurrency ${config.concurrency}`,
);

let stopping = false;
async function shutdown(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`draining (${reason})`);
  try {
    await heartbeat.stop('stopped');
  } catch (err) {
    console.error(`could not record the stop: ${(err as Error).message}`);
  } finally {
    await pool.end();
    console.log('stopped');
    process.exit(0);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('disconnect', () => void shutdown('supervisor gone'));
