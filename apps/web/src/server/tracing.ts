import 'server-only';
import { traceRunEnds, startTracing, tracingEnabled } from '@dtss/db/tracing';
import { getPool } from './db';
import { webLog } from './log';

/**
 * The web process's tracing, started once (only with OTEL_EXPORTER_OTLP_ENDPOINT set): the OTLP
 * exporter and tracer provider for the API's spans (packages/api's tracing.ts), and the spans of
 * runs a cancel here ends at once. Called by the routes that make spans (tRPC, webhooks).
 */
const globalForTracing = globalThis as unknown as { dtssWebTracing?: boolean };

export function webTracing(): void {
  if (globalForTracing.dtssWebTracing || !tracingEnabled()) return;
  globalForTracing.dtssWebTracing = true;
  startTracing('dtss-web').then(
    (sink) => traceRunEnds(getPool(), sink, (e) => webLog().error(`tracing: ${e.message}`)),
    (e: Error) => webLog().error(`tracing: ${e.message}`),
  );
}
