/**
 * API calls as OpenTelemetry spans (only when OTEL_EXPORTER_OTLP_ENDPOINT is set: otherwise one
 * boolean check per call). A span per procedure call, made with the OTel API through the tracer
 * provider the web process registers (`@dtss/db/tracing`'s startTracing); the runs a call creates
 * (trigger, rerun, bulk, events, webhooks: every `createRun`/`createRuns`/`rerunRun` reports its
 * ids) become links to their traces, whose root span is the run's.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { SpanKind, SpanStatusCode, TraceFlags, trace, type Span } from '@opentelemetry/api';
import { observeEngine } from '@dtss/db';
import { spanIdOf, traceIdOf, tracingEnabled } from '@dtss/db/tracing';

/** Read once: whether this process exports spans. */
export const apiTracing = tracingEnabled();

const current = new AsyncLocalStorage<Span>();

if (apiTracing) {
  observeEngine({
    runsCreated(_kind, _count, runIds) {
      const span = current.getStore();
      if (!span || runIds.length === 0) return;
      span.addLinks(
        runIds.map((id) => ({
          context: {
            traceId: traceIdOf(id),
            spanId: spanIdOf('run', id),
            traceFlags: TraceFlags.SAMPLED,
            isRemote: true,
          },
          attributes: { 'dtss.run.id': id },
        })),
      );
    },
  });
}

/**
 * Runs `call` inside a server span named `name`; `errorOf` says whether its result is an error
 * (the span's status then is ERROR with that message). Call only when `apiTracing`.
 */
export async function traceCall<R>(
  name: string,
  attributes: Record<string, string>,
  call: () => Promise<R>,
  errorOf: (result: R) => string | null,
): Promise<R> {
  const span = trace.getTracer('@dtss/api').startSpan(name, { kind: SpanKind.SERVER, attributes });
  try {
    const result = await current.run(span, call);
    const error = errorOf(result);
    span.setStatus(
      error === null ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, message: error },
    );
    return result;
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}
