/**
 * A scheduler process's metrics: its leadership (is it the leader, how often that changed), how
 * late schedules fire, and what housekeeping recorded (lost workers and attempts, timed-out runs).
 * Counted in memory where the scheduler already learns of each event; runs it creates are counted
 * by the process registry (`dtss_runs_started_total`).
 */
import type { Pool } from '@dtss/db';
import {
  Counter,
  createProcessRegistry,
  Gauge,
  Histogram,
  registerDbPoolMetrics,
  type Registry,
} from '@dtss/db/metrics';

// Seconds late; jitter and catch-up of missed instants included.
const FIRE_DELAY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600];

export interface SchedulerMetrics {
  registry: Registry;
  leaderChanged(event: 'elected' | 'deposed'): void;
  scheduleFired(delaysSeconds: number[]): void;
  housekeeping(done: { lostWorkers: number; lostAttempts: number; timedOutRuns: number }): void;
}

export function createSchedulerMetrics(opts: {
  pools: Record<string, Pool>;
  isLeader: () => boolean;
}): SchedulerMetrics {
  const registry = createProcessRegistry('scheduler');
  registerDbPoolMetrics(registry, () => opts.pools);
  const registers = [registry];
  new Gauge({
    name: 'dtss_scheduler_is_leader',
    help: '1 while this scheduler holds the leader lease',
    registers,
    collect() {
      this.set(opts.isLeader() ? 1 : 0);
    },
  });
  const changes = new Counter({
    name: 'dtss_scheduler_leader_changes_total',
    help: 'Times this scheduler became leader (elected) or stopped leading (deposed)',
    labelNames: ['event'],
    registers,
  });
  const fireDelay = new Histogram({
    name: 'dtss_schedule_fire_delay_seconds',
    help: 'From a schedule instant (jitter included) to the creation of its run',
    buckets: FIRE_DELAY_BUCKETS,
    registers,
  });
  const lostAttempts = new Counter({
    name: 'dtss_attempts_lost_total',
    help: 'Attempts closed as lost because their worker stopped heartbeating (swept by this leader)',
    registers,
  });
  const lostWorkers = new Counter({
    name: 'dtss_workers_lost_total',
    help: 'Workers this leader declared lost (no heartbeat for DTSS_WORKER_LOST_AFTER_MS)',
    registers,
  });
  const timedOut = new Counter({
    name: 'dtss_runs_timed_out_total',
    help: 'Runs this leader stopped for running past their runTimeout',
    registers,
  });
  for (const event of ['elected', 'deposed']) changes.inc({ event }, 0);
  return {
    registry,
    leaderChanged: (event) => changes.inc({ event }),
    scheduleFired(delays) {
      for (const d of delays) fireDelay.observe(Math.max(0, d));
    },
    housekeeping(done) {
      if (done.lostWorkers) lostWorkers.inc(done.lostWorkers);
      if (done.lostAttempts) lostAttempts.inc(done.lostAttempts);
      if (done.timedOutRuns) timedOut.inc(done.timedOutRuns);
    },
  };
}
