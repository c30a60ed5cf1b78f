/**
 * A worker process's metrics. The engine calls these at the points where its events are already
 * known (runTask: a claim, a recorded completion, a log closed; the heartbeat): in-memory counters
 * and histograms only, no database round trip. Gauges of the slots are read at scrape time.
 * Labels: pool, kind, status; `workflow` on tasks finished only with DTSS_METRICS_WORKFLOW_LABELS=1
 * (a label per workflow multiplies the series by the number of workflows).
 */
import { engineEvents, type Pool } from '@dtss/db';
import {
  Counter,
  createProcessRegistry,
  Gauge,
  Histogram,
  registerDbPoolMetrics,
  type Registry,
} from '@dtss/db/metrics';

/** What the engine reports (runTask); `noEngineMetrics` when nobody scrapes, as in unit tests. */
export interface EngineMetrics {
  taskClaimed(pool: string, queueWaitSeconds: number | null): void;
  /** An attempt's end was recorded; `endedTask`: it ended its task (no retry, no hand-back). */
  attemptRecorded(a: {
    pool: string;
    kind: string;
    status: string;
    seconds: number;
    endedTask: boolean;
    retried: boolean;
    workflow: string;
  }): void;
  /**
   * The completion that ended the task also ended its run, with this status (every task of a batch
   * that ended the run is told so: the run is counted once).
   */
  runFinished(runId: string, status: string, triggerKind: string): void;
  logClosed(pool: string, log: { bytes: number; truncated: boolean }): void;
}

export const noEngineMetrics: EngineMetrics = {
  taskClaimed: () => {},
  attemptRecorded: () => {},
  runFinished: () => {},
  logClosed: () => {},
};

// Seconds. Tasks take from milliseconds (noop, http) to hours.
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400];
const WAIT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

export interface WorkerMetrics extends EngineMetrics {
  registry: Registry;
  /** A heartbeat reached the database. */
  heartbeat(): void;
}

export function createWorkerMetrics(opts: {
  pools: Record<string, Pool>;
  concurrency: number;
  busySlots: () => number;
  unrecordedResults: () => number;
  workflowLabels: boolean;
}): WorkerMetrics {
  const registry = createProcessRegistry('worker');
  registerDbPoolMetrics(registry, () => opts.pools);
  const wf = opts.workflowLabels ? ['workflow'] : [];
  const withWf = <T extends Record<string, string>>(labels: T, workflow: string) =>
    opts.workflowLabels ? { ...labels, workflow } : labels;
  const registers = [registry];

  const finished = new Counter({
    name: 'dtss_tasks_finished_total',
    help: 'Tasks ended by this worker (the attempt that ended them), by pool, kind and final status',
    labelNames: ['pool', 'kind', 'status', ...wf],
    registers,
  });
  const attempts = new Counter({
    name: 'dtss_task_attempts_total',
    help: 'Task attempts this worker recorded, by pool, kind and outcome (retried ones included)',
    labelNames: ['pool', 'kind', 'status'],
    registers,
  });
  const duration = new Histogram({
    name: 'dtss_task_duration_seconds',
    help: 'Duration of task attempts on this worker, from claim to result, by pool, kind and outcome',
    labelNames: ['pool', 'kind', 'status'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const queueWait = new Histogram({
    name: 'dtss_task_queue_wait_seconds',
    help: 'Time from queued to claimed of first attempts, by pool',
    labelNames: ['pool'],
    buckets: WAIT_BUCKETS,
    registers,
  });
  const claims = new Counter({
    name: 'dtss_task_claims_total',
    help: 'Task attempts this worker started, by pool',
    labelNames: ['pool'],
    registers,
  });
  const retries = new Counter({
    name: 'dtss_task_retries_total',
    help: 'Failed attempts this worker recorded whose task will be retried, by pool and kind',
    labelNames: ['pool', 'kind'],
    registers,
  });
  const logBytes = new Counter({
    name: 'dtss_log_bytes_written_total',
    help: 'Bytes of task log lines this worker stored, by pool',
    labelNames: ['pool'],
    registers,
  });
  const logTruncated = new Counter({
    name: 'dtss_log_truncated_total',
    help: 'Attempts whose log went past DTSS_LOG_MAX_BYTES (later lines counted, not stored), by pool',
    labelNames: ['pool'],
    registers,
  });
  new Gauge({
    name: 'dtss_worker_slots_busy',
    help: 'Task slots of this worker in use (claiming, running or completing a task)',
    registers,
    collect() {
      this.set(opts.busySlots());
    },
  });
  new Gauge({
    name: 'dtss_worker_slots',
    help: 'Task slots of this worker (its concurrency)',
    registers,
  }).set(opts.concurrency);
  new Gauge({
    name: 'dtss_worker_unrecorded_results',
    help: 'Task results this worker holds whose completion is not committed yet',
    registers,
    collect() {
      this.set(opts.unrecordedResults());
    },
  });
  const startedAt = performance.now();
  let lastBeat: number | null = null;
  new Gauge({
    name: 'dtss_worker_heartbeat_age_seconds',
    help: 'Seconds since this worker last reached the database with a heartbeat (since start until the first)',
    registers,
    collect() {
      this.set((performance.now() - (lastBeat ?? startedAt)) / 1000);
    },
  });

  const endedRuns = new Set<string>();
  return {
    registry,
    heartbeat: () => void (lastBeat = performance.now()),
    taskClaimed(pool, wait) {
      claims.inc({ pool });
      if (wait !== null) queueWait.observe({ pool }, wait);
    },
    attemptRecorded(a) {
      const labels = { pool: a.pool, kind: a.kind, status: a.status };
      attempts.inc(labels);
      duration.observe(labels, a.seconds);
      if (a.retried) retries.inc({ pool: a.pool, kind: a.kind });
      if (a.endedTask) finished.inc(withWf(labels, a.workflow));
    },
    runFinished(runId, status, triggerKind) {
      if (endedRuns.has(runId)) return;
      endedRuns.add(runId);
      // Batches are small: the last few hundred ended runs are enough to count each once.
      if (endedRuns.size > 1024) endedRuns.delete(endedRuns.values().next().value!);
      // Counted with the runs other statements of this process end (dtss_runs_finished_total).
      engineEvents.runFinished(status, triggerKind, runId);
    },
    logClosed(pool, log) {
      if (log.bytes > 0) logBytes.inc({ pool }, log.bytes);
      if (log.truncated) logTruncated.inc({ pool });
    },
  };
}
