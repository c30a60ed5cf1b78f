/**
 * Scheduler process entry point: competes for the `scheduler` lease; the holder runs the schedule
 * loop, event fan-out retries, cross-workflow triggers, backfills and housekeeping. Any number of
 * replicas may run; one leads at a time.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { runMachine } from '@dtss/core';
import {
  createPool,
  RUN_EVENTS_CHANNEL,
  SCHEDULER_CHANNEL,
  type LeaderFence,
  type RunEventsNotice,
} from '@dtss/db';
import { serveMetricsIfAsked } from '@dtss/db/metrics';
import { createLogger } from '@dtss/db/logging';
import { startTracing, traceRunEnds, tracingEnabled } from '@dtss/db/tracing';
import { createSchedulerMetrics } from '../metrics/schedulerMetrics';
import { BackfillLoop } from './backfillLoop';
import { loadSchedulerConfig, type SchedulerConfig } from './config';
import { EventFanoutRetry } from './eventFanout';
import { startHousekeeping } from './housekeeping';
import { startMetricsRollup } from './metricsRollup';
import { startRetention } from './retention';
import { startAlerts } from './alerts';
import { LeaderElector } from './leader';
import { NotificationListener } from './notifications';
import { ScheduleLoop } from './scheduleLoop';
import { WorkflowTriggers } from './workflowTriggers';

const TERMINAL = new Set<string>(runMachine.terminal);
const MAY_END = new RegExp(`"(${runMachine.terminal.join('|')})"|"truncated"`);
const LEASE = 'scheduler';

function configOrExit(): SchedulerConfig {
  try {
    return loadSchedulerConfig(process.env, process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
const config = configOrExit();
const holderId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const logger = createLogger('scheduler', { holderId });
const log = (line: string) => logger.info(line);
const logError = (line: string) => logger.error(line);
const pool = createPool(config.databaseUrl, {
  applicationName: 'dtss-scheduler',
  max: config.fireConcurrency + 4,
});
// Spans of the runs a cancel or timeout here ends at once (only with an OTLP endpoint).
const tracing = tracingEnabled() ? await startTracing('dtss-scheduler') : undefined;
if (tracing) traceRunEnds(pool, tracing, (e) => logError(`tracing: ${e.message}`));
const metrics = createSchedulerMetrics({
  pools: { main: pool },
  isLeader: () => elector.current !== null,
});

const fence = (): LeaderFence | null => {
  const lease = elector.current;
  return lease ? { name: LEASE, holderId, fencingToken: lease.fencingToken } : null;
};
const schedules = new ScheduleLoop(pool, {
  clock: () => new Date(),
  fence,
  concurrency: config.fireConcurrency,
  maxSleepMs: config.maxSleepMs,
  log,
  onFired: (delays) => metrics.scheduleFired(delays),
});
const events = new EventFanoutRetry(pool, { intervalMs: config.safetyScanMs, log });
const workflowTriggers = new WorkflowTriggers(pool, { scanIntervalMs: config.safetyScanMs, log });
const backfills = new BackfillLoop(pool, { fence, intervalMs: config.safetyScanMs, log });

const listener = new NotificationListener(
  config.databaseUrl,
  [SCHEDULER_CHANNEL, RUN_EVENTS_CHANNEL],
  {
    onNotification(channel, payload) {
      if (channel === SCHEDULER_CHANNEL) {
        if (payload.startsWith('backfill:')) backfills.wake();
        else schedules.wake();
        return;
      }
      // Most notices are tasks queued or running: skip parsing those (bursts of fires make many).
      if (!MAY_END.test(payload)) return;
      let notice: RunEventsNotice;
      try {
        notice = JSON.parse(payload) as RunEventsNotice;
      } catch {
        return;
      }
      // Run-level changes carry no task; a truncated notice may hide one.
      const ended =
        notice.truncated || notice.changes.some((c) => !c.task && TERMINAL.has(c.status));
      if (!ended) return;
      workflowTriggers.runEnded(notice.runId);
      alerts.wake();
      schedules.runEnded();
      backfills.runEnded();
    },
    onReconnect() {
      schedules.wake();
      workflowTriggers.rescan();
      backfills.wake();
    },
    onError: (err) => log(`listen: ${err.message}`),
  },
);

async function lead(): Promise<void> {
  listener.start();
  schedules.start();
  events.start();
  workflowTriggers.start();
  backfills.start();
}

async function follow(): Promise<void> {
  await Promise.all([
    listener.stop(),
    schedules.stop(),
    events.stop(),
    workflowTriggers.stop(),
    backfills.stop(),
  ]);
}

const elector = new LeaderElector(pool, {
  name: LEASE,
  holderId,
  ttlMs: config.leaderTtlMs,
  onElected: (lease) => {
    metrics.leaderChanged('elected');
    log(`leading (fencing token ${lease.fencingToken})`);
    void lead();
  },
  onDeposed: () => {
    metrics.leaderChanged('deposed');
    log('lost the lead');
    void follow();
  },
  onError: (e) => logError(`leader election: ${e.message}`),
});
elector.start();
log(`scheduler ${holderId} started (lease TTL ${config.leaderTtlMs} ms)`);

const stopHousekeeping = startHousekeeping(pool, {
  isLeader: () => elector.current !== null,
  intervalMs: config.housekeepingMs,
  workerLostAfterMs: config.workerLostAfterMs,
  log,
  onPass: (done) => metrics.housekeeping(done),
});

const stopMetricsRollup = startMetricsRollup(pool, {
  isLeader: () => elector.current !== null,
  intervalMs: config.metricsRollupMs,
  log,
});

const stopRetention = startRetention(pool, {
  isLeader: () => elector.current !== null,
  intervalMs: config.retentionMs,
  log,
});

const metricsServer = await serveMetricsIfAsked(
  metrics.registry,
  { port: config.metricsPort, host: config.metricsHost, token: config.metricsToken },
  'scheduler',
  logError,
);
if (metricsServer) log(`metrics on :${metricsServer.port}/metrics`);

// A pool of its own: slow channels never hold the connections the other loops need.
const alertsPool = createPool(config.databaseUrl, { applicationName: 'dtss-alerts', max: 3 });
const alerts = startAlerts(alertsPool, {
  isLeader: () => elector.current !== null,
  fence,
  intervalMs: config.alertsMs,
  secretsKey: config.secretsKey,
  publicUrl: config.publicUrl?.replace(/\/+$/, '') ?? null,
  retryBaseMs: config.alertRetryBaseMs,
  maxAttempts: config.alertMaxAttempts,
  timeoutMs: config.alertTimeoutMs,
  workerAliveMs: config.workerLostAfterMs,
  log,
});

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await metricsServer?.close();
  stopHousekeeping();
  stopMetricsRollup();
  stopRetention();
  alerts.stop();
  await follow();
  await elector.stop();
  await tracing?.shutdown();
  await Promise.all([pool.end(), alertsPool.end()]);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
process.on('disconnect', () => void shutdown());
