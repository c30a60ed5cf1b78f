import { randomUUID } from 'node:crypto';
import { createPool, registerWorker, type Pool } from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHousekeeping } from '../../src/scheduler/housekeeping';
import { waitFor } from '../spawn-worker';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('housekeeping');
  pool = createPool(db.url, { applicationName: 'housekeeping-test', max: 4 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

async function silentWorker(): Promise<string> {
  const id = randomUUID();
  await registerWorker(pool, {
    id,
    name: `silent-${id.slice(0, 6)}`,
    hostname: 'test',
    pid: 1,
    version: 'test',
    pools: ['default'],
    concurrency: 1,
  });
  // As every worker looks right after a database outage: its last beat is long ago.
  await pool.query(
    `UPDATE workers SET last_heartbeat_at = now() - interval '1 hour' WHERE id = $1`,
    [id],
  );
  return id;
}

const statusOf = async (id: string) =>
  (await pool.query<{ status: string }>(`SELECT status FROM workers WHERE id = $1`, [id])).rows[0]
    ?.status;

describe('housekeeping of silent workers', () => {
  it('declares none lost before it has watched the database for a whole timeout', async () => {
    const id = await silentWorker();
    const logs: string[] = [];
    const stop = startHousekeeping(pool, {
      isLeader: () => true,
      intervalMs: 100,
      workerLostAfterMs: 3_000,
      log: (l) => logs.push(l),
    });
    try {
      // Several passes run meanwhile; a slow machine only makes this wait longer, not shorter.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await statusOf(id)).toBe('active');
      // Lost once the timeout was watched.
      await waitFor(
        async () => logs.some((l) => l.includes('lost 1 silent worker')),
        20_000,
        'the worker to be declared lost',
      );
      expect(await statusOf(id)).toBe('lost');
    } finally {
      stop();
    }
  });
});
