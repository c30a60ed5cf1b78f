/**
 * Deterministic trace and span ids: a run's work is spread over processes and time, so no process
 * keeps live span objects. Every process derives the same ids from the database's ids: the trace
 * is the run (its UUID as 32 hex digits), and a span id is the first 16 hex digits of
 * sha256(`<kind>:<uuid>`) of the run, task run or attempt it stands for.
 */
import { createHash } from 'node:crypto';

/** W3C trace id of a run: its UUID without dashes. */
export function traceIdOf(runId: string): string {
  return runId.replace(/-/g, '').toLowerCase();
}

export type SpanSubject = 'run' | 'task' | 'attempt';

/** W3C span id (16 hex digits) of a run, task run or attempt. */
export function spanIdOf(subject: SpanSubject, id: string): string {
  return createHash('sha256').update(`${subject}:${id.toLowerCase()}`).digest('hex').slice(0, 16);
}

/** The W3C `traceparent` a task's process receives: its attempt's span, sampled. */
export function traceparentOf(runId: string, attemptId: string): string {
  return `00-${traceIdOf(runId)}-${spanIdOf('attempt', attemptId)}-01`;
}

/** Tracing is on when an OTLP endpoint is configured (the OpenTelemetry variables). */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}
