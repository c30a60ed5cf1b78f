import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPool,
  createPrismaClient,
  createWebhookTrigger,
  EventError,
  fanOutEvent,
  listEvents,
  listTriggers,
  loadWebhookTarget,
  publishEvent,
  retryUnprocessedEvents,
  setTriggerEnabled,
  type Pool,
  type PrismaClient,
} from '../src';
import { deployWorkflow } from './support/workflows';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamId: string;
let ordersId: string;

const deploy = (yaml: string) => deployWorkflow(prisma, teamId, yaml);

async function runsOfEvent(eventId: string) {
  const { rows } = await pool.query<{
    id: string;
    trigger_kind: string;
    trigger_id: string;
    params: Record<string, unknown>;
    idempotency_key: string;
  }>(
    `SELECT id, trigger_kind, trigger_id, params, idempotency_key FROM workflow_runs
      WHERE event_id = $1 ORDER BY created_at`,
    [eventId],
  );
  return rows;
}

beforeAll(async () => {
  db = await createTestDatabase('events');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { max: 2 });
  teamId = (await prisma.team.create({ data: { slug: 'e', name: 'E' } })).id;
  ordersId = await deploy(`
name: orders
params:
  order: { type: integer, required: true }
  who: { type: string, default: nobody }
tasks:
  a: { kind: noop }
triggers:
  - name: paid
    event: order.updated
    filter:
      status: paid
      region: { in: [eu, us] }
    params:
      order: "{{ event.payload.id }}"
      who: "customer {{ event.payload.customer.name }}"
`);
  await deploy(`
name: audit
tasks:
  a: { kind: noop }
triggers:
  - { name: all-orders, event: order.updated }
`);
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

describe('publishEvent', () => {
  it('starts one run per matching trigger, with params from the event', async () => {
    const result = await publishEvent(pool, {
      teamId,
      name: 'order.updated',
      payload: { id: 7, status: 'paid', region: 'eu', customer: { name: 'Ada' } },
    });
    expect(result.created).toBe(true);
    expect(result.runs).toHaveLength(2);
    const runs = await runsOfEvent(result.event.id);
    const orders = runs.find((r) => r.params.order !== undefined)!;
    expect(orders).toMatchObject({
      trigger_kind: 'event',
      params: { order: 7, who: 'customer Ada' },
      idempotency_key: `event:${result.event.id}:${orders.trigger_id}`,
    });
    expect(result.event.processedAt).not.toBeNull();
    expect(result.event.runCount).toBe(2);
  });

  it('filters: a payload that does not match starts only the unfiltered trigger', async () => {
    for (const payload of [
      { id: 8, status: 'open', region: 'eu' },
      { id: 9, status: 'paid', region: 'apac' },
      { id: 10, region: 'eu' },
    ]) {
      const result = await publishEvent(pool, { teamId, name: 'order.updated', payload });
      const runs = await runsOfEvent(result.event.id);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.params).toEqual({});
    }
    const other = await publishEvent(pool, { teamId, name: 'order.deleted', payload: {} });
    expect(other.runs).toEqual([]);
    expect(other.event.processedAt).not.toBeNull();
  });

  it('a repeated idempotency key returns the first event and creates nothing', async () => {
    const payload = { id: 11, status: 'paid', region: 'us', customer: { name: 'Bo' } };
    const key = `k-${randomBytes(3).toString('hex')}`;
    const first = await publishEvent(pool, {
      teamId,
      name: 'order.updated',
      payload,
      idempotencyKey: key,
    });
    const again = await Promise.all(
      [1, 2, 3].map(() =>
        publishEvent(pool, { teamId, name: 'order.updated', payload, idempotencyKey: key }),
      ),
    );
    for (const r of again) {
      expect(r.created).toBe(false);
      expect(r.event.id).toBe(first.event.id);
    }
    const { rows } = await pool.query(`SELECT id FROM events WHERE idempotency_key = $1`, [key]);
    expect(rows).toHaveLength(1);
    expect(await runsOfEvent(first.event.id)).toHaveLength(2);
  });

  it('a trigger whose params cannot be built is reported; the others still run', async () => {
    const result = await publishEvent(pool, {
      teamId,
      name: 'order.updated',
      payload: { status: 'paid', region: 'eu' },
    });
    expect(result.runs).toHaveLength(1);
    expect(result.refused).toHaveLength(1);
    expect(result.refused[0]!.message).toMatch(/no value at event\.payload\./);
  });

  it('refuses bad input before storing anything', async () => {
    const before = await listEvents(pool, { teamId, limit: 500 });
    for (const input of [
      { teamId, name: 'bad name!' },
      { teamId: 'x', name: 'ok' },
      { teamId, name: 'ok', source: 'mail' as 'api' },
      { teamId, name: 'ok', payload: { big: 'x'.repeat(1024 * 1024 + 1) } },
    ]) {
      await expect(publishEvent(pool, input)).rejects.toBeInstanceOf(EventError);
    }
    // What jsonb cannot hold (found by the webhook fuzz test: a 500 from Postgres or a stack
    // overflow serializing it), refused with the path of the value.
    const deep = JSON.parse(`{"a":${'['.repeat(50_000)}${']'.repeat(50_000)}}`) as unknown;
    for (const [payload, path, message] of [
      [{ ref: 'x\u0000' }, 'payload.ref', /NUL character/],
      [{ list: ['\ud800'] }, 'payload.list.0', /unpaired UTF-16 surrogate/],
      [deep, `payload.a${'.0'.repeat(31)}`, /nested deeper than 32 levels/],
    ] as const) {
      const refused = await publishEvent(pool, { teamId, name: 'ok', payload }).catch((e) => e);
      expect(refused).toBeInstanceOf(EventError);
      expect((refused as EventError).details).toEqual([
        { path, message: expect.stringMatching(message) },
      ]);
    }
    expect(await listEvents(pool, { teamId, limit: 500 })).toHaveLength(before.length);
  });

  it('a paused workflow or a disabled trigger starts nothing', async () => {
    const [paid] = (await listTriggers(pool, { teamId, workflowId: ordersId })).filter(
      (t) => t.name === 'paid',
    );
    await setTriggerEnabled(pool, { teamId, triggerId: paid!.id, enabled: false });
    const payload = { id: 12, status: 'paid', region: 'eu', customer: { name: 'C' } };
    const r = await publishEvent(pool, { teamId, name: 'order.updated', payload });
    expect(r.runs.map((x) => x.workflowId)).not.toContain(ordersId);
    await setTriggerEnabled(pool, { teamId, triggerId: paid!.id, enabled: true });
  });
});

describe('at-least-once fan-out', () => {
  it('the leader finishes an event whose fan-out stopped half-way, without doubles', async () => {
    // The publisher stored the event and started one of its two runs, then died.
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO events (team_id, name, payload, received_at)
       VALUES ($1, 'order.updated', $2, now() - interval '1 minute') RETURNING id`,
      [teamId, JSON.stringify({ id: 13, status: 'paid', region: 'eu', customer: { name: 'D' } })],
    );
    const eventId = rows[0]!.id;
    await fanOutEvent(pool, eventId);
    await pool.query(`UPDATE events SET processed_at = NULL WHERE id = $1`, [eventId]);
    const runIds = (await runsOfEvent(eventId)).map((r) => r.id);
    await pool.query(`DELETE FROM workflow_runs WHERE id = $1`, [runIds[1]]);

    const retried = await retryUnprocessedEvents(pool);
    expect(retried.events).toBeGreaterThanOrEqual(1);
    const runs = await runsOfEvent(eventId);
    expect(runs).toHaveLength(2);
    expect(runs.map((r) => r.id)).toContain(runIds[0]);
    expect(await retryUnprocessedEvents(pool)).toMatchObject({ runsCreated: 0 });
    expect(await runsOfEvent(eventId)).toHaveLength(2);
  });

  it('leaves a fresh unprocessed event to its publisher for a moment', async () => {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO events (team_id, name, payload) VALUES ($1, 'order.deleted', '{}') RETURNING id`,
      [teamId],
    );
    await retryUnprocessedEvents(pool, { olderThanMs: 60_000 });
    const { rows: after } = await pool.query(`SELECT processed_at FROM events WHERE id = $1`, [
      rows[0]!.id,
    ]);
    expect(after[0].processed_at).toBeNull();
  });
});

describe('webhook triggers', () => {
  it('are created with a secret shown once and stored encrypted, bound to the trigger', async () => {
    const key = randomBytes(32).toString('base64');
    const created = await createWebhookTrigger(
      pool,
      { teamId, workflowId: ordersId, name: 'stripe', params: { order: '{{ event.payload.id }}' } },
      key,
    );
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.path).toBe(`/api/hooks/${created.trigger.id}`);
    expect(created.trigger).toMatchObject({ kind: 'webhook', eventName: 'webhook.stripe' });
    const { rows } = await pool.query<{ webhook_secret: Buffer }>(
      `SELECT webhook_secret FROM triggers WHERE id = $1`,
      [created.trigger.id],
    );
    expect(rows[0]!.webhook_secret.includes(Buffer.from(created.secret))).toBe(false);
    const target = await loadWebhookTarget(pool, created.trigger.id, key);
    expect(target!.secret).toBe(created.secret);
    expect(await loadWebhookTarget(pool, 'not-a-uuid', key)).toBeNull();
    await expect(
      loadWebhookTarget(pool, created.trigger.id, randomBytes(32).toString('base64')),
    ).rejects.toThrow(/key/);
    await expect(
      createWebhookTrigger(pool, { teamId, workflowId: ordersId, name: 'stripe' }, key),
    ).rejects.toMatchObject({ code: 'duplicate_name' });
  });
});
