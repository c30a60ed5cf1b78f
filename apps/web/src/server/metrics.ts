import 'server-only';
import { observeApiRequests } from '@dtss/api';
import {
  Counter,
  createProcessRegistry,
  Histogram,
  registerClusterMetrics,
  registerDbPoolMetrics,
  type Registry,
} from '@dtss/db/metrics';
import { getPool } from './db';

/**
 * The web process's metrics (GET /metrics, app/metrics/route.ts): the cluster's engine state read
 * from the database at scrape time (cached DTSS_METRICS_CACHE_MS, 2 s by default), this
 * process's own metrics, and its API requests by procedure and code with their latency. One
 * registry per process, kept across hot reloads and module copies.
 */
const API_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const globalForMetrics = globalThis as unknown as { dtssWebMetrics?: Registry };

export function webMetrics(): Registry {
  return (globalForMetrics.dtssWebMetrics ??= createWebMetrics());
}

function createWebMetrics(): Registry {
  const registry = createProcessRegistry('web');
  // The pool is asked for at scrape time: loading this module (even in `next build`) makes none.
  registerDbPoolMetrics(registry, () => ({ main: getPool() }));
  registerClusterMetrics(registry, getPool, {
    cacheMs: Number(process.env.DTSS_METRICS_CACHE_MS ?? 2_000),
    timeoutMs: 2_000,
  });
  const requests = new Counter({
    name: 'dtss_api_requests_total',
    help: 'tRPC procedure calls handled by this web process, by procedure and tRPC code',
    labelNames: ['procedure', 'code'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'dtss_api_request_duration_seconds',
    help: 'Duration of tRPC procedure calls on this web process, by procedure',
    labelNames: ['procedure'],
    buckets: API_LATENCY_BUCKETS,
    registers: [registry],
  });
  observeApiRequests(({ procedure, code, seconds }) => {
    requests.inc({ procedure, code });
    latency.observe({ procedure }, seconds);
  });
  return registry;
}
