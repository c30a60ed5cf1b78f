/** API calls as spans, linked to the runs they create (only with an OTLP endpoint set). */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spanIdOf, traceIdOf } from '@dtss/db/tracing';
import { applyWorkflow, callerFor, newTeam, openWorld, userActor, type World } from './fixtures';

// Read when the API's tracing module loads: set before the imports above are evaluated.
vi.hoisted(() => {
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://127.0.0.1:9';
});

const exporter = new InMemorySpanExporter();
let w: World;

beforeAll(async () => {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
  w = await openWorld('tracing');
});
afterAll(async () => {
  await w?.close();
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
});

describe('API spans', () => {
  it('runs.trigger and runs.rerun are spans linked to the runs they create; errors are ERROR', async () => {
    const teamId = (await newTeam(w)).id;
    await applyWorkflow(w, teamId, 'traced');
    const api = callerFor(w, await userActor(w, teamId, 'editor'));

    const { run } = await api.runs.trigger({ teamId, workflow: 'traced' });
    const trigger = exporter.getFinishedSpans().find((s) => s.name === 'trpc runs.trigger')!;
    expect(trigger.status.code).toBe(SpanStatusCode.OK);
    expect(trigger.attributes['rpc.method']).toBe('runs.trigger');
    expect(trigger.links.map((l) => l.context)).toEqual([
      expect.objectContaining({ traceId: traceIdOf(run.id), spanId: spanIdOf('run', run.id) }),
    ]);

    await api.runs.cancel({ runId: run.id });
    const rerun = await api.runs.rerun({ runId: run.id, mode: 'failed' });
    const rerunSpan = exporter.getFinishedSpans().find((s) => s.name === 'trpc runs.rerun')!;
    expect(rerunSpan.links.map((l) => l.context.traceId)).toEqual([traceIdOf(rerun.id)]);

    await expect(api.runs.trigger({ teamId, workflow: 'missing' })).rejects.toThrow();
    const failed = exporter
      .getFinishedSpans()
      .filter((s) => s.name === 'trpc runs.trigger')
      .at(-1)!;
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.status.message).toMatch(/NOT_FOUND/);
    expect(failed.links).toEqual([]);
  });
});
