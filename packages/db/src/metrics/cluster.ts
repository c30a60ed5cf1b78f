/**
 * The cluster's engine state as gauges, read from the database at scrape time (readClusterState):
 * right however many processes run, unlike per-process counters. One read serves every scrape
 * within `cacheMs`, and at most one read is in flight, so many scrapers do not hammer the
 * database. A read that fails or takes longer than `timeoutMs` gives `dtss_database_up 0` and no
 * cluster samples: the endpoint still answers, with the process's own metrics.
 */
import { Gauge, type Registry } from 'prom-client';
import { readClusterState, type ClusterState } from '../operations/clusterState';
import type { Pool } from '../pool';

export interface ClusterMetricsOptions {
  /** A read serves scrapes for this long (default 2 s). */
  cacheMs?: number;
  /** A read not answered by then counts as the database being down (default 2 s). */
  timeoutMs?: number;
}

type Reading = { at: number; state: ClusterState | null; seconds: number };

export function registerClusterMetrics(
  registry: Registry,
  pool: () => Pool,
  opts: ClusterMetricsOptions = {},
): void {
  const cacheMs = opts.cacheMs ?? 2_000;
  const timeoutMs = opts.timeoutMs ?? 2_000;
  let last: Reading | null = null;
  let inFlight: Promise<Reading> | null = null;

  const read = (): Promise<Reading> => {
    if (last && Date.now() - last.at < cacheMs) return Promise.resolve(last);
    inFlight ??= (async () => {
      const started = performance.now();
      let state: ClusterState | null = null;
      try {
        state = await readClusterState(pool());
      } catch {
        state = null;
      }
      last = { at: Date.now(), state, seconds: (performance.now() - started) / 1000 };
      inFlight = null;
      return last;
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Reading>((resolve) => {
      timer = setTimeout(
        () => resolve({ at: Date.now(), state: null, seconds: timeoutMs / 1000 }),
        timeoutMs,
      );
    });
    return Promise.race([inFlight, timeout]).finally(() => clearTimeout(timer));
  };

  // Every gauge's collect asks `read()`: the first of a scrape reads, the rest take the cache.
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    fill: (g: Gauge, state: ClusterState) => void,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const { state } = await read();
        this.reset();
        if (state) fill(this, state);
      },
    });

  new Gauge({
    name: 'dtss_database_up',
    help: '1 when this process could read the cluster state from the database at the last scrape',
    registers: [registry],
    async collect() {
      this.set((await read()).state ? 1 : 0);
    },
  });
  new Gauge({
    name: 'dtss_cluster_state_read_seconds',
    help: 'How long the last read of the cluster state took',
    registers: [registry],
    async collect() {
      this.set((await read()).seconds);
    },
  });
  gauge('dtss_runs', 'Runs now queued or running, by status', ['status'], (g, s) => {
    for (const r of s.runs) g.set({ status: r.status }, r.count);
  });
  gauge(
    'dtss_tasks',
    'Tasks now queued, waiting for a retry or running, by pool and status',
    ['pool', 'status'],
    (g, s) => {
      for (const t of s.tasks) g.set({ pool: t.pool, status: t.status }, t.count);
    },
  );
  gauge(
    'dtss_queue_depth',
    'Tasks ready to run and not started (queued, or a retry whose back-off is over), by pool',
    ['pool'],
    (g, s) => {
      for (const q of s.queues) g.set({ pool: q.pool }, q.depth);
    },
  );
  gauge(
    'dtss_queue_oldest_age_seconds',
    'How long the oldest ready task of each pool has waited',
    ['pool'],
    (g, s) => {
      for (const q of s.queues) g.set({ pool: q.pool }, q.oldestAgeSeconds);
    },
  );
  gauge('dtss_workers', 'Worker rows by status', ['status'], (g, s) => {
    for (const w of s.workers) g.set({ status: w.status }, w.count);
  });
  gauge(
    'dtss_workers_heartbeat_age_max_seconds',
    'Seconds since the last heartbeat of the stalest active worker (0 with none)',
    [],
    (g, s) => g.set(s.maxHeartbeatAgeSeconds),
  );
  gauge(
    'dtss_scheduler_leader_present',
    '1 when a scheduler holds an unexpired leader lease',
    [],
    (g, s) => g.set(s.leaderPresent ? 1 : 0),
  );
}
