/**
 * Worker process entry point: registers and heartbeats, takes task jobs for its pools, listens for
 * cancel requests, and drains on SIGTERM (no new tasks; running ones get a grace period, then are
 * handed back to the queue for another worker).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { createPool } from '@dtss/db';
import { loadWorkerConfig, type WorkerConfig } from './config';
import { listenForCancels } from './engine/cancelListener';
import { createBatchedCalls, MAX_BATCH } from './engine/batchedCalls';
import { stopDisownedAttempts } from './engine/disownedAttempts';
import { PendingCompletions } from './engine/pendingCompletions';
import { RunNoticeBuffer } from './engine/runNotices';
import { startDispatcher } from './engine/dispatcher';
import { PoolLimits } from './engine/poolLimits';
import { RunningTasks } from './engine/runningTasks';
import { startGroupReaper } from './executors/groupReaper';
import { startHeartbeat } from './heartbeat';
import { serveMetricsIfAsked } from '@dtss/db/metrics';
import { createLogger } from '@dtss/db/logging';
import { startTracing, tracingEnabled } from '@dtss/db/tracing';
import { createWorkerMetrics } from './metrics/workerMetrics';
import { WORKER_VERSION } from './version';

/** Between the reaper's SIGTERM and SIGKILL to a dead worker's tasks. */
const TASK_REAPER_GRACE_MS = 2_000;

let config: WorkerConfig;
try {
  config = loadWorkerConfig(process.argv.slice(2), process.env);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const pool = createPool(config.databaseUrl, {
  applicationName: `dtss-worker:${config.name}`,
  max: config.concurrency + 4,
  genericPlans: true,
});
// Heartbeats have a connection of their own: a pool busy with task work must not hold a beat back
// until the leader thinks this worker is gone.
const beatPool = createPool(config.databaseUrl, {
  applicationName: `dtss-worker:${config.name}:heartbeat`,
  max: 1,
});
const id = randomUUID();
const logger = createLogger('worker', { workerId: id, workerName: config.name });
const running = new RunningTasks();
const metrics = createWorkerMetrics({
  pools: { main: pool, heartbeat: beatPool },
  concurrency: config.concurrency,
  busySlots: () => running.size,
  // Read at scrape time: the metrics server starts once the engine below exists.
  unrecordedResults: () => completions.size,
  workflowLabels: config.metricsWorkflowLabels,
});

// A stop asked for while the worker is still starting (a signal, or a drain its first heartbeat
// reads) waits until it is up and then drains as usual: before, `runner` did not exist yet and
// the process died with exit 1, or by the signal itself, leaving its row `active`. A second
// signal while starting (e.g. the database is down and startup waits for it) exits at once.
let started = false;
let stopping = false;
let stopAsked: string | null = null;
let signalsWhileStarting = 0;
function requestStop(reason: string): void {
  if (started) return void shutdown(reason);
  stopAsked ??= reason;
}
function onSignal(reason: string): void {
  if (!started && ++signalsWhileStarting > 1) process.exit(1);
  requestStop(reason);
}
process.on('SIGTERM', () => onSignal('SIGTERM'));
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('disconnect', () => requestStop('supervisor gone'));
const logError = (message: string) => logger.error(message);
// Before any task starts: should this process be killed, its tasks' processes die with it.
startGroupReaper(TASK_REAPER_GRACE_MS, logError);

const heartbeat = await startHeartbeat(
  beatPool,
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
    runningTasks: () => running.size,
    onDrainRequested: () => requestStop('drain requested'),
    afterBeat: async (wasLost) => {
      metrics.heartbeat();
      if (wasLost) {
        logger.warn(
          `this worker had been declared lost (no heartbeat reached the database for too long): ` +
            `active again; stopping the attempts that are no longer its own`,
        );
      }
      // Every beat, not only after being lost: an attempt can also be swept between the leader
      // declaring this worker lost and this beat making it active again.
      await stopDisownedAttempts(beatPool, id, running, (line) => logger.warn(line));
    },
    onError: (e) => logError(`heartbeat failed: ${e.message}`),
  },
);
// Only with an OTLP endpoint: otherwise the OpenTelemetry SDK is never loaded.
const tracing = tracingEnabled() ? await startTracing('dtss-worker') : undefined;
const cancels = listenForCancels(config.databaseUrl, running, logError);
const poolLimits = new PoolLimits(
  pool,
  Number(process.env.DTSS_POOL_LIMITS_REFRESH_MS ?? 5_000),
  logError,
);
await poolLimits.start();
const notices = new RunNoticeBuffer(pool, logError);
const calls = createBatchedCalls(pool, id, () => running.size, notices);
const completions = new PendingCompletions((input) => calls.complete(input), logError, MAX_BATCH);
const { runner, jobsLockedBy } = await startDispatcher(
  {
    pool,
    workerId: id,
    running,
    secretsKey: config.secretsKey,
    logMaxBytes: config.logMaxBytes,
    poolLimits,
    calls,
    completions,
    log: (line, ids) => logger.info(ids ?? {}, line),
    metrics,
    ...(tracing ? { tracing } : {}),
  },
  {
    pools: config.pools,
    concurrency: config.concurrency,
    pollIntervalMs: config.pollIntervalMs,
    shutdownTimeoutMs: config.drainGraceMs + 15_000,
    onError: logError,
  },
);
if (jobsLockedBy) heartbeat.setMetadata({ jobsLockedBy });
const metricsServer = await serveMetricsIfAsked(
  metrics.registry,
  { port: config.metricsPort, host: config.metricsHost, token: config.metricsToken },
  'worker',
  logError,
);
if (metricsServer) logger.info(`metrics on :${metricsServer.port}/metrics`);
logger.info(
  `worker ${config.name} (${id}) online: pools ${config.pools.join(',')}, concurrency ${config.concurrency}`,
);
started = true;
if (stopAsked) void shutdown(stopAsked);

async function shutdown(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info(`draining (${reason}): ${running.size} task(s) running`);
  const stopped = runner.stop(reason);
  const deadline = Date.now() + config.drainGraceMs;
  while (running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const handedBack = running.stopAll('requeue');
  if (handedBack) logger.info(`handing ${handedBack} unfinished task(s) back to the queue`);
  try {
    await stopped;
    // Results not recorded by then are left to the leader, as if this worker had died: it is
    // declared lost and their attempts are swept (recorded as lost, retried).
    const unrecorded = await completions.settle(config.drainGraceMs);
    if (unrecorded) logError(`${unrecorded} task result(s) not recorded: leaving them as lost`);
    await notices.flush();
    await cancels.stop();
    poolLimits.stop();
    await heartbeat.stop(unrecorded ? 'lost' : 'stopped');
    await metricsServer?.close();
    await tracing?.shutdown();
  } catch (err) {
    logError(`could not shut down cleanly: ${(err as Error).message}`);
  } finally {
    await Promise.all([pool.end().catch(() => {}), beatPool.end().catch(() => {})]);
    logger.info('stopped');
    process.exit(0);
  }
}
