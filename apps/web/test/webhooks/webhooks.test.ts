/**
 * Inbound webhooks over real HTTP, through the route handler Next.js serves
 * (src/app/api/hooks/[id]/route.ts): signatures good, bad, missing, replayed and expired.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook, webhookHeaders } from '@dtss/core';
import {
  createPool,
  createPrismaClient,
  createWebhookTrigger,
  setTriggerEnabled,
  type Pool,
  type PrismaClient,
} from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { createTeam, saveWorkflow } from '../support/fixtures';
import { startRouteServer, type RouteServer } from '../support/start-route-server';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let server: RouteServer;
let teamId: string;
let hook: { id: string; url: string; secret: string };
const secretsKey = randomBytes(32).toString('base64');

beforeAll(async () => {
  db = await createTestDatabase('web_webhooks');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { pool });
  teamId = await createTeam(pool, `hooks-${randomBytes(3).toString('hex')}`);
  const saved = await saveWorkflow(
    prisma,
    teamId,
    `name: on-push
params:
  ref: { type: string, required: true }
tasks:
  a: { kind: noop }
`,
  );
  const created = await createWebhookTrigger(
    pool,
    {
      teamId,
      workflowId: saved.workflowId,
      name: 'github',
      filter: { action: 'push' },
      params: { ref: '{{ event.payload.ref }}' },
    },
    secretsKey,
  );
  server = await startRouteServer(db.url, { DTSS_SECRETS_KEY: secretsKey });
  hook = { id: created.trigger.id, url: `${server.url}${created.path}`, secret: created.secret };
});
afterAll(async () => {
  await server?.stop();
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

async function counts() {
  const { rows } = await pool.query<{ events: number; runs: number }>(
    `SELECT (SELECT count(*)::int FROM events WHERE trigger_id = $1) AS events,
            (SELECT count(*)::int FROM workflow_runs WHERE trigger_id = $1) AS runs`,
    [hook.id],
  );
  return rows[0]!;
}

const post = (body: string, headers: Record<string, string>, url = hook.url) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('POST /api/hooks/:id', () => {
  it('records the event and starts the run for a good signature', async () => {
    const body = JSON.stringify({ action: 'push', ref: 'refs/heads/main' });
    const res = await post(body, await webhookHeaders(hook.secret, body));
    expect(res.status).toBe(202);
    const json = (await res.json()) as {
      eventId: string;
      duplicate: boolean;
      runs: { id: string }[];
    };
    expect(json.duplicate).toBe(false);
    expect(json.runs).toHaveLength(1);
    const { rows } = await pool.query(
      `SELECT r.trigger_kind, r.params, e.source, e.name FROM workflow_runs r
         JOIN events e ON e.id = r.event_id WHERE r.id = $1`,
      [json.runs[0]!.id],
    );
    expect(rows[0]).toEqual({
      trigger_kind: 'webhook',
      params: { ref: 'refs/heads/main' },
      source: 'webhook',
      name: 'webhook.github',
    });
  });

  it('refuses a missing, wrong or expired signature with 401 and stores nothing', async () => {
    const before = await counts();
    const body = JSON.stringify({ action: 'push', ref: 'x' });
    const now = Math.floor(Date.now() / 1000);
    const cases: Record<string, string>[] = [
      {},
      { 'x-dtss-timestamp': String(now) },
      await webhookHeaders('whsec_wrong', body),
      { ...(await webhookHeaders(hook.secret, body)), 'x-dtss-timestamp': String(now + 1) },
      await webhookHeaders(hook.secret, '{"action":"push","ref":"y"}'),
      await webhookHeaders(hook.secret, body, now - 600),
      await webhookHeaders(hook.secret, body, now + 600),
    ];
    for (const headers of cases) {
      const res = await post(body, headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(/x-dtss-/);
    }
    expect(await counts()).toEqual(before);
  });

  it('records a replay within the tolerance once (same signature, or same delivery id)', async () => {
    const before = await counts();
    const body = JSON.stringify({ action: 'push', ref: 'refs/tags/v1' });
    const headers = await webhookHeaders(hook.secret, body);
    const first = await post(body, headers);
    const replay = await post(body, headers);
    expect(first.status).toBe(202);
    expect(replay.status).toBe(202);
    expect(((await replay.json()) as { duplicate: boolean }).duplicate).toBe(true);
    // A sender re-signing the same delivery later: the delivery id dedupes it.
    const delivery = { 'x-dtss-delivery': 'd-1' };
    await post(body, { ...(await webhookHeaders(hook.secret, body)), ...delivery });
    const ts = Math.floor(Date.now() / 1000) - 5;
    const again = await post(body, {
      'x-dtss-timestamp': String(ts),
      'x-dtss-signature': await signWebhook(hook.secret, ts, body),
      ...delivery,
    });
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect(await counts()).toEqual({ events: before.events + 2, runs: before.runs + 2 });
  });

  it('filters: a delivery that does not match records the event but starts no run', async () => {
    const before = await counts();
    const body = JSON.stringify({ action: 'issue' });
    const res = await post(body, await webhookHeaders(hook.secret, body));
    expect(res.status).toBe(202);
    expect(((await res.json()) as { runs: unknown[] }).runs).toEqual([]);
    expect(await counts()).toEqual({ events: before.events + 1, runs: before.runs });
  });

  it('refuses a signed body it cannot store with 400 and stores nothing', async () => {
    // Found by webhooks-fuzz.test.ts: the route failed with a 500 (jsonb refuses \u0000 and
    // unpaired surrogates; a body nested 100,000 levels overflowed the stack).
    const before = await counts();
    for (const [body, message] of [
      ['{"action":"push","ref":"a\\u0000"}', /payload\.ref: contains a NUL character/],
      ['{"action":"push","ref":"\\ud800"}', /payload\.ref: contains an unpaired UTF-16 surrogate/],
      [`${'['.repeat(100_000)}${']'.repeat(100_000)}`, /nested deeper than 32 levels/],
    ] as const) {
      const res = await post(body, await webhookHeaders(hook.secret, body));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('413 for a body over 1 MiB, 404 for an unknown hook, 409 when disabled, 405 for GET', async () => {
    const body = '{}';
    const unknown = `${server.url}/api/hooks/00000000-0000-4000-8000-000000000000`;
    expect((await post(body, await webhookHeaders(hook.secret, body), unknown)).status).toBe(404);
    expect((await fetch(hook.url)).status).toBe(405);
    await setTriggerEnabled(pool, { teamId, triggerId: hook.id, enabled: false });
    expect((await post(body, await webhookHeaders(hook.secret, body))).status).toBe(409);
    await setTriggerEnabled(pool, { teamId, triggerId: hook.id, enabled: true });
    // Last: the server answers before reading the body, and then drops the connection.
    const before = await counts();
    const big = JSON.stringify({ action: 'push', pad: 'x'.repeat(1024 * 1024) });
    expect((await post(big, await webhookHeaders(hook.secret, big))).status).toBe(413);
    expect(await counts()).toEqual(before);
  });
});
