import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reapLostWorkers } from '@dtss/db';
import { spanIdOf, traceIdOf, traceRunEnds, type SpanRecord } from '@dtss/db/tracing';
import { startEngine, task, uniqueName, type Engine } from './engine/harness';
import { exitOf, waitFor } from './spawn-worker';

/** A span as an OTLP/HTTP JSON receiver sees it, with its resource's service name. */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status?: { code?: number; message?: string };
  attributes: Record<string, string | number>;
}

type AnyValue = { stringValue?: string; intValue?: string | number };
type KeyValue = { key: string; value: AnyValue };

const received: ReceivedSpan[] = [];
let server: http.Server;
let engine: Engine;

function attrs(list: KeyValue[] | undefined): Record<string, string | number> {
  return Object.fromEntries(
    (list ?? []).map((a) => [a.key, a.value.stringValue ?? Number(a.value.intValue)]),
  );
}

beforeAll(async () => {
  // A tiny OTLP/HTTP receiver (JSON: what @opentelemetry/exporter-trace-otlp-http sends).
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const data = JSON.parse(body) as {
          resourceSpans: {
            resource?: { attributes?: KeyValue[] };
            scopeSpans: {
              spans: (Omit<ReceivedSpan, 'service' | 'attributes'> & {
                attributes?: KeyValue[];
              })[];
            }[];
          }[];
        };
        for (const rs of data.resourceSpans) {
          const service = String(attrs(rs.resource?.attributes)['service.name']);
          for (const ss of rs.scopeSpans)
            for (const s of ss.spans)
              received.push({ ...s, service, attributes: attrs(s.attributes) });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  engine = await startEngine({
    label: 'tracing',
    workers: 1,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` },
  });
}, 60_000);
afterAll(async () => {
  await engine?.stop();
  server?.close();
});

describe('tracing', () => {
  it('a run of two tasks (one retried) is one trace: run → task → attempt spans', async () => {
    const name = uniqueName('traced');
    const counter = `${engine.tmpDir}/{{ run.id }}-flaky`;
    await engine.deploy(`
name: ${name}
tasks:
  flaky:
    kind: shell
    retries: { maxAttempts: 2, backoff: fixed, initialDelay: 100ms }
    command: 'n=$(cat "${counter}" 2>/dev/null || echo 0); echo $((n + 1)) > "${counter}"; [ "$n" -ge 1 ] || { echo boom >&2; exit 3; }'
  after:
    kind: shell
    needs: [flaky]
    command: 'echo "traceparent=$TRACEPARENT"'
`);
    const runId = await engine.run(name);
    const view = await engine.waitForRun(runId, 30_000);
    expect(view.status).toBe('succeeded');
    const traceId = traceIdOf(runId);
    // 1 run + 2 tasks + 3 attempts.
    const spans = await waitFor(
      async () => {
        const mine = received.filter((s) => s.traceId === traceId);
        return mine.length >= 6 && mine;
      },
      15_000,
      'six spans of the run',
    ).catch((err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(received)}\n${engine.workerOutput()}`);
    });
    expect(spans).toHaveLength(6);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['dtss-worker']));

    const run = spans.find((s) => s.name.startsWith('run '))!;
    expect(run.spanId).toBe(spanIdOf('run', runId));
    expect(run.parentSpanId || undefined).toBeUndefined();
    expect(run.attributes['dtss.run.id']).toBe(runId);
    expect(run.attributes['dtss.workflow']).toBe(name);
    expect(run.attributes['dtss.status']).toBe('succeeded');

    const ids = await engine.pool.query<{ task_key: string; id: string; attempt_id: string }>(
      `SELECT task_key, id, attempt_id FROM task_runs WHERE run_id = $1`,
      [runId],
    );
    const idOf = (key: string) => ids.rows.find((r) => r.task_key === key)!;
    expect(task(view, 'flaky').attempts).toBe(2);
    const flaky = idOf('flaky');
    const after = idOf('after');
    const taskSpans = spans.filter((s) => s.name.startsWith('task '));
    expect(taskSpans.map((s) => s.attributes['dtss.task.key']).sort()).toEqual(['after', 'flaky']);
    for (const t of taskSpans) {
      expect(t.parentSpanId).toBe(run.spanId);
      expect(t.attributes['dtss.status']).toBe('succeeded');
    }
    const flakySpan = taskSpans.find((s) => s.attributes['dtss.task.key'] === 'flaky')!;
    expect(flakySpan.spanId).toBe(spanIdOf('task', flaky.id));

    const attempts = spans
      .filter((s) => s.name.startsWith('attempt '))
      .map((s) => ({
        key: s.attributes['dtss.task.key'],
        n: s.attributes['dtss.attempt.number'],
        status: s.attributes['dtss.status'],
        error: s.status?.code === 2 ? s.status.message : null,
        parent: s.parentSpanId,
        worker: s.attributes['dtss.worker.id'],
      }))
      .sort((a, b) => `${a.key}${a.n}`.localeCompare(`${b.key}${b.n}`));
    const workerId = await engine.workerId(engine.workers[0]!.name);
    const afterSpanId = spanIdOf('task', after.id);
    expect(attempts).toEqual([
      {
        key: 'after',
        n: 1,
        status: 'succeeded',
        error: null,
        parent: afterSpanId,
        worker: workerId,
      },
      {
        key: 'flaky',
        n: 1,
        status: 'failed',
        error: expect.stringMatching(/3/) as unknown as string,
        parent: flakySpan.spanId,
        worker: workerId,
      },
      {
        key: 'flaky',
        n: 2,
        status: 'succeeded',
        error: null,
        parent: flakySpan.spanId,
        worker: workerId,
      },
    ]);
    // Span times are the database's: the task spans both attempts, inside the run.
    const nano = (s: string) => BigInt(s);
    expect(nano(flakySpan.startTimeUnixNano)).toBeGreaterThanOrEqual(nano(run.startTimeUnixNano));
    expect(nano(flakySpan.endTimeUnixNano)).toBeLessThanOrEqual(nano(run.endTimeUnixNano));

    // The task's process saw TRACEPARENT naming its attempt's span in the run's trace.
    const attemptId = after.attempt_id;
    const logs = await engine.logsOf(runId, 'after');
    expect(logs.map((l) => l.text)).toContain(
      `traceparent=00-${traceId}-${spanIdOf('attempt', attemptId)}-01`,
    );
  });

  it("the leader's sweep of a dead worker emits the lost attempt's span, and the task's and run's it ended", async () => {
    // The sweep runs in this process here (as in lost-worker.test.ts): it emits through traceRunEnds.
    const emitted: SpanRecord[] = [];
    const sink = {
      emit: (s: SpanRecord[]) => void emitted.push(...s),
      flush: async () => {},
      shutdown: async () => {},
    };
    const stop = traceRunEnds(engine.pool, sink, (e) => {
      throw e;
    });
    try {
      const name = uniqueName('swept');
      await engine.deploy(`
name: ${name}
tasks:
  slow: { kind: shell, command: sleep 30 }
`);
      const runId = await engine.run(name);
      await engine.waitForView(
        runId,
        (v) => task(v, 'slow').status === 'running',
        'slow to run',
        15_000,
      );
      const victim = engine.workers[0]!;
      victim.child.kill('SIGKILL');
      await exitOf(victim.child);
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await reapLostWorkers(engine.pool, 800)).attempts).toBe(1);
      await waitFor(async () => emitted.length >= 3, 10_000, 'three spans');
      const byName = Object.fromEntries(emitted.map((s) => [s.name.split(' ')[0]!, s]));
      expect(byName.attempt!.attributes['dtss.status']).toBe('lost');
      expect(byName.attempt!.error).toMatch(/stopped heartbeating/);
      expect(byName.task!.attributes['dtss.status']).toBe('failed');
      expect(byName.run!.attributes['dtss.status']).toBe('failed');
      expect(byName.run!.traceId).toBe(traceIdOf(runId));
      expect(byName.attempt!.parentSpanId).toBe(byName.task!.spanId);
    } finally {
      stop();
    }
  });
});
