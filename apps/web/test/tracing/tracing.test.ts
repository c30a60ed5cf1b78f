/**
 * The web process's spans over real HTTP (the route server) with OTEL_EXPORTER_OTLP_ENDPOINT set:
 * an API call that creates a run is a span linked to the run's trace, and a cancel that ends the
 * run at once emits the run's span from the web process. A tiny OTLP/HTTP (JSON) receiver.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPool, createPrismaClient, type Pool, type PrismaClient } from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { spanIdOf, traceIdOf } from '@dtss/db/tracing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeam, createToken, saveWorkflow } from '../support/fixtures';
import { startRouteServer, type RouteServer } from '../support/start-route-server';

type KeyValue = { key: string; value: { stringValue?: string } };
interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  status?: { code?: number; message?: string };
  links?: { traceId: string; spanId: string }[];
  attributes?: KeyValue[];
}

const received: Span[] = [];
let receiver: http.Server;
let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let web: RouteServer;
let token: string;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const data = JSON.parse(body || '{}') as {
        resourceSpans?: {
          resource?: { attributes?: KeyValue[] };
          scopeSpans: { spans: Span[] }[];
        }[];
      };
      for (const rs of data.resourceSpans ?? []) {
        const service =
          rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const ss of rs.scopeSpans) for (const s of ss.spans) received.push({ ...s, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const { port } = receiver.address() as AddressInfo;
  db = await createTestDatabase('web_tracing');
  pool = createPool(db.url, { applicationName: 'tracing-test', max: 2 });
  prisma = createPrismaClient(db.url, { pool });
  const teamId = await createTeam(pool, 'tracing');
  token = await createToken(pool, teamId, 'editor');
  await saveWorkflow(prisma, teamId, 'name: traced\ntasks:\n  a: { kind: noop }\n');
  web = await startRouteServer(db.url, { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
}, 60_000);

afterAll(async () => {
  await web?.stop();
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
  receiver?.close();
});

async function call(procedure: string, input: unknown): Promise<unknown> {
  const res = await fetch(`${web.url}/api/trpc/${procedure}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { result: { data: { json: unknown } } }).result.data.json;
}

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`no ${what}: ${JSON.stringify(received)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('web spans', () => {
  it('runs.trigger links to the run it created; a cancel that ends the run emits its span', async () => {
    const { run } = (await call('runs.trigger', { workflow: 'traced' })) as { run: { id: string } };
    await call('runs.cancel', { runId: run.id });
    const traceId = traceIdOf(run.id);

    const trigger = await until(
      () => received.find((s) => s.name === 'trpc runs.trigger'),
      'runs.trigger span',
    );
    expect(trigger.service).toBe('dtss-web');
    expect(trigger.status?.code).toBe(1);
    expect(trigger.links).toEqual([
      expect.objectContaining({ traceId, spanId: spanIdOf('run', run.id) }),
    ]);

    const runSpan = await until(
      () => received.find((s) => s.traceId === traceId && s.name.startsWith('run ')),
      'run span',
    );
    expect(runSpan.service).toBe('dtss-web');
    expect(runSpan.spanId).toBe(spanIdOf('run', run.id));
    const status = runSpan.attributes?.find((a) => a.key === 'dtss.status')?.value.stringValue;
    expect(status).toBe('cancelled');
    // Its task never ran: its span comes with the run's, under it.
    const task = received.find((s) => s.traceId === traceId && s.name === 'task a');
    expect(task?.parentSpanId).toBe(runSpan.spanId);
  });
});
