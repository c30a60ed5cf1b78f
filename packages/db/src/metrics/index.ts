// `@dtss/db/metrics`: the Prometheus plumbing every DTSS process shares (prom-client): the process
// registry, database pool gauges, the cluster state gauges read from the database, the token rule
// and the small HTTP server of worker and scheduler processes.
export { createProcessRegistry, registerDbPoolMetrics, type ProcessKind } from './registry';
export { registerClusterMetrics, type ClusterMetricsOptions } from './cluster';
export { metricsRequestAllowed } from './token';
export { serveMetricsIfAsked, startMetricsServer, type MetricsServer } from './server';
export { Counter, Gauge, Histogram, Registry } from 'prom-client';
