/**
 * Takes task jobs from graphile-worker: one job identifier per pool (see poolJobIdentifier), so a
 * worker only ever receives tasks of the pools it serves. graphile-worker provides the fair,
 * SKIP LOCKED dequeue, LISTEN-driven wake-ups, priorities and delayed (run_at) retries.
 */
import { EventEmitter } from 'node:events';
import {
  Logger,
  run,
  type JobHelpers,
  type Runner,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker';
import { poolJobIdentifier } from '@dtss/db';
import { patientPool } from './patientPool';
import { runTask, type EngineDeps } from './runTask';

export interface DispatcherOptions {
  pools: string[];
  concurrency: number;
  pollIntervalMs: number;
  /** How long graphile-worker lets handlers finish on stop before it gives up on them. */
  shutdownTimeoutMs: number;
  onError: (message: string) => void;
}

export interface Dispatcher {
  runner: Runner;
  /**
   * What graphile-worker writes in `locked_by` of the jobs this worker takes (its worker pool's
   * random id, not ours): recorded on the worker's row, so that the leader can unlock them should
   * it declare this worker lost (see reapLostWorkers.ts).
   */
  jobsLockedBy: string | null;
}

export async function startDispatcher(
  deps: EngineDeps,
  opts: DispatcherOptions,
): Promise<Dispatcher> {
  const handlerFor = (poolName: string) => async (payload: unknown, helpers: JobHelpers) => {
    const { taskRunId } = payload as { taskRunId: string };
    // attempts counts deliveries of this job: above 1, an earlier holder may have left it running.
    await runTask(deps, taskRunId, poolName, helpers.job.attempts <= 1);
  };
  const taskList: TaskList = Object.fromEntries(
    opts.pools.map((pool) => [poolJobIdentifier(pool), handlerFor(pool)]),
  );
  let jobsLockedBy: string | null = null;
  const events = new EventEmitter() as WorkerEvents;
  events.on('pool:create', ({ workerPool }) => (jobsLockedBy = workerPool.id));
  const runner = await run({
    pgPool: patientPool(deps.pool, opts.onError),
    events,
    taskList,
    concurrency: opts.concurrency,
    pollInterval: opts.pollIntervalMs,
    noHandleSignals: true,
    gracefulShutdownAbortTimeout: opts.shutdownTimeoutMs,
    logger: new Logger(() => (level, message) => {
      if (level === 'error' || level === 'warning') opts.onError(message);
    }),
  });
  return { runner, jobsLockedBy };
}
