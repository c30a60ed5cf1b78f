/**
 * The process's span exporter: OTLP over HTTP (`@opentelemetry/exporter-trace-otlp-http`, which
 * reads the standard `OTEL_EXPORTER_OTLP_*` variables) behind a batch processor. Loaded with a
 * dynamic import, only when tracing is enabled: a process without an endpoint never loads the SDK.
 * Spans of the engine (run, task, attempt) are built here from rows, with the database's times;
 * `startTracing` also registers a global tracer provider for spans made with the OTel API (web).
 */
import type { SpanRecord } from './spans';

export type ServiceName = 'dtss-worker' | 'dtss-scheduler' | 'dtss-web';

export interface SpanSink {
  /** Queues finished spans for export (batched). */
  emit(spans: SpanRecord[]): void;
  /** Exports what is queued. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

const KEY = Symbol.for('dtss.tracing');
const store = globalThis as unknown as { [KEY]?: Promise<SpanSink> };

/** Starts the exporter once per process (later calls return the same sink). */
export function startTracing(service: ServiceName): Promise<SpanSink> {
  return (store[KEY] ??= load(service));
}

/** The sink, if `startTracing` was called in this process. */
export function tracingSink(): Promise<SpanSink> | undefined {
  return store[KEY];
}

async function load(service: ServiceName): Promise<SpanSink> {
  const [api, otlp, base, resources] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
  ]);
  const resource = resources.resourceFromAttributes({ 'service.name': service });
  const processor = new base.BatchSpanProcessor(new otlp.OTLPTraceExporter(), {
    scheduledDelayMillis: 1000,
  });
  const provider = new base.BasicTracerProvider({ resource, spanProcessors: [processor] });
  api.trace.setGlobalTracerProvider(provider);
  const scope = { name: '@dtss/engine' };
  const hr = (d: Date): [number, number] => {
    const ms = d.getTime();
    return [Math.floor(ms / 1000), (ms % 1000) * 1e6];
  };
  return {
    emit(spans) {
      for (const s of spans) {
        const end = s.end < s.start ? s.start : s.end;
        const duration = end.getTime() - s.start.getTime();
        const readable = {
          name: s.name,
          kind: api.SpanKind.INTERNAL,
          spanContext: () => ({
            traceId: s.traceId,
            spanId: s.spanId,
            traceFlags: api.TraceFlags.SAMPLED,
          }),
          ...(s.parentSpanId
            ? {
                parentSpanContext: {
                  traceId: s.traceId,
                  spanId: s.parentSpanId,
                  traceFlags: api.TraceFlags.SAMPLED,
                },
              }
            : {}),
          startTime: hr(s.start),
          endTime: hr(end),
          duration: [Math.floor(duration / 1000), (duration % 1000) * 1e6] as [number, number],
          status:
            s.error !== null
              ? { code: api.SpanStatusCode.ERROR, message: s.error }
              : { code: api.SpanStatusCode.OK },
          attributes: s.attributes,
          links: [],
          events: [],
          ended: true,
          resource,
          instrumentationScope: scope,
          droppedAttributesCount: 0,
          droppedEventsCount: 0,
          droppedLinksCount: 0,
        };
        processor.onEnd(readable);
      }
    },
    flush: () => processor.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
