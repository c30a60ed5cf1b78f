// `@dtss/db/tracing`: OpenTelemetry traces of runs (issue 15 §2). Deterministic ids from the
// database's ids (trace = run), spans built from rows by the process that records their end, and
// the OTLP/HTTP exporter, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
export { spanIdOf, traceIdOf, traceparentOf, tracingEnabled, type SpanSubject } from './ids';
export { attemptEndSpans, runEndSpans, type SpanRecord } from './spans';
export { startTracing, tracingSink, type ServiceName, type SpanSink } from './exporter';
export { traceRunEnds } from './runEnds';
