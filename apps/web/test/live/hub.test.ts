// The live hub against a real Postgres: one LISTEN connection however many subscribers, fan-out
// by run id, and recovery (with a resync) after its connection is killed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, LOG_CHANNEL, RUN_EVENTS_CHANNEL, type Pool } from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { LiveHub, type HubEvent } from '../../src/server/live/hub';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('web_live_hub');
  pool = createPool(db.url, { applicationName: 'hub-test', max: 4 });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

async function listeners(applicationName: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
    [applicationName],
  );
  return rows[0]!.n;
}

async function until(probe: () => boolean | Promise<boolean>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('LiveHub', () => {
  it('fans notices out by run id over a single connection', async () => {
    const hub = new LiveHub({ databaseUrl: db.url, applicationName: 'hub-fanout' });
    try {
      const [a, b] = [randomUUID(), randomUUID()];
      const got: Record<string, HubEvent[]> = { a1: [], a2: [], b: [] };
      const subs = await Promise.all([
        hub.subscribe(a, (e) => got.a1!.push(e)),
        hub.subscribe(a, (e) => got.a2!.push(e)),
        hub.subscribe(b, (e) => got.b!.push(e)),
        ...Array.from({ length: 50 }, () => hub.subscribe(randomUUID(), () => {})),
      ]);
      expect(await listeners('hub-fanout')).toBe(1);

      await pool.query('SELECT pg_notify($1, $2)', [
        RUN_EVENTS_CHANNEL,
        JSON.stringify({ runId: a, changes: [{ status: 'running' }] }),
      ]);
      await pool.query('SELECT pg_notify($1, $2)', [
        LOG_CHANNEL,
        JSON.stringify({ runId: b, taskRunId: randomUUID(), attemptId: randomUUID(), seq: 0 }),
      ]);
      // Not ours, or malformed: dropped without harm.
      await pool.query('SELECT pg_notify($1, $2)', [RUN_EVENTS_CHANNEL, '{"runId": 1']);
      await until(
        () => got.a1!.length === 1 && got.a2!.length === 1 && got.b!.length === 1,
        'notices',
      );
      expect(got.a1![0]).toEqual({
        channel: RUN_EVENTS_CHANNEL,
        notice: { runId: a, changes: [{ status: 'running' }] },
      });
      expect(got.b![0]!.channel).toBe(LOG_CHANNEL);

      for (const unsubscribe of subs) unsubscribe();
      expect(hub.subscriberCount).toBe(0);
    } finally {
      await hub.close();
    }
  });

  it('reconnects after its connection is killed and tells subscribers to resync', async () => {
    const warnings: string[] = [];
    const hub = new LiveHub({
      databaseUrl: db.url,
      applicationName: 'hub-reconnect',
      minBackoffMs: 50,
      maxBackoffMs: 200,
      onWarning: (m) => warnings.push(m),
    });
    try {
      const runId = randomUUID();
      const events: HubEvent[] = [];
      await hub.subscribe(runId, (e) => events.push(e));
      // What a database restart looks like from the client: the server ends the session.
      await pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'hub-reconnect'`,
      );
      await until(() => events.some((e) => e.channel === 'resync'), 'a resync');
      expect(hub.connected).toBe(true);
      expect(warnings).toContain('lost the LISTEN connection; reconnecting');
      expect(await listeners('hub-reconnect')).toBe(1);

      // And it listens again.
      await pool.query('SELECT pg_notify($1, $2)', [
        RUN_EVENTS_CHANNEL,
        JSON.stringify({ runId, changes: [{ task: 't', status: 'queued' }] }),
      ]);
      await until(
        () => events.some((e) => e.channel === RUN_EVENTS_CHANNEL),
        'a notice after reconnecting',
      );
    } finally {
      await hub.close();
    }
    expect(await listeners('hub-reconnect')).toBe(0);
  });
});
