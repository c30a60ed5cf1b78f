/**
 * What every DTSS process exports the same way: Node's own metrics (`process_*`, `nodejs_*`), its
 * database pools' connections, the runs it created, and `dtss_process_info`. Each process kind
 * adds its own metrics to the registry made here (apps/worker/src/metrics, apps/web's
 * server/metrics). Prometheus conventions: `dtss_` prefix, base units (`_seconds`, `_bytes`),
 * counters end in `_total`; labels are bounded (pool, kind, status, trigger kind), never ids.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { engineTotals } from '../observe';
import type { Pool } from '../pool';

export type ProcessKind = 'web' | 'worker' | 'scheduler';

/** A registry with the process metrics every DTSS process exports. */
export function createProcessRegistry(kind: ProcessKind): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'dtss_process_info',
    help: 'Always 1; the labels tell which kind of DTSS process this is',
    labelNames: ['process'],
    registers: [registry],
  }).set({ process: kind }, 1);
  new Counter({
    name: 'dtss_runs_started_total',
    help: 'Runs created by this process (manual and API requests, schedules, events, triggers, backfills, reruns), by trigger kind',
    labelNames: ['trigger_kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [kind, n] of engineTotals.runsCreated()) this.inc({ trigger_kind: kind }, n);
    },
  });
  new Counter({
    name: 'dtss_runs_finished_total',
    help: 'Runs ended by a statement of this process (a worker completion, a cancel or a timeout), by final status and trigger kind',
    labelNames: ['status', 'trigger_kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of engineTotals.runsFinished()) {
        this.inc({ status: r.status, trigger_kind: r.triggerKind }, r.count);
      }
    },
  });
  return registry;
}

/**
 * Connections of this process's database pools (`db_pool` names the pool: `main`, `heartbeat`),
 * read from the pools at scrape time. `pools` is asked then too: a pool made on first use (the web
 * process's) is not made by loading the metrics.
 */
export function registerDbPoolMetrics(registry: Registry, pools: () => Record<string, Pool>): void {
  const each = (f: (name: string, pool: Pool) => void) => {
    let current: Record<string, Pool>;
    try {
      current = pools();
    } catch {
      return; // not configured (e.g. no DATABASE_URL): no samples
    }
    for (const [name, pool] of Object.entries(current)) f(name, pool);
  };
  const gauge = (name: string, help: string, read: (pool: Pool) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['db_pool'],
      registers: [registry],
      collect() {
        this.reset();
        each((db_pool, pool) => this.set({ db_pool }, read(pool)));
      },
    });
  gauge(
    'dtss_db_pool_connections_in_use',
    'Database connections of this process checked out of its pool',
    (p) => p.totalCount - p.idleCount,
  );
  gauge(
    'dtss_db_pool_connections_open',
    'Database connections of this process open (in use or idle)',
    (p) => p.totalCount,
  );
  gauge(
    'dtss_db_pool_connections_max',
    'Size limit of this process database pool',
    (p) => p.options.max ?? 10,
  );
  gauge(
    'dtss_db_pool_requests_waiting',
    'Requests of this process waiting for a database connection',
    (p) => p.waitingCount,
  );
}
