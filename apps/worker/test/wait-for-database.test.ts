// An attempt's preparation reads (version, secrets, upstream outputs) wait for a database that
// cannot be reached instead of failing the task; real Postgres behind a proxy that cuts the link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { waitForDatabase } from '../src/engine/waitForDatabase';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

let db: TestDatabase;
let proxy: TcpProxy;
let pool: Pool;
const FAST = [20, 50];

beforeAll(async () => {
  db = await createTestDatabase('wait_for_database');
  const url = new URL(db.url);
  proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
  pool = createPool(proxy.urlFor(db.url), { applicationName: 'test', max: 2 });
});
afterAll(async () => {
  await pool.end();
  await proxy.close();
  await db.drop();
});

const select = async () => (await pool.query<{ n: number }>('select 7 as n')).rows[0]!.n;

describe('waitForDatabase', () => {
  it('waits through a cut link and returns the read once the database answers again', async () => {
    proxy.cut();
    const lines: string[] = [];
    let reads = 0;
    const read = waitForDatabase(
      () => {
        reads++;
        // Let the link come back once the wait has been seen to retry.
        if (reads === 3) proxy.restore();
        return select();
      },
      new AbortController().signal,
      (line) => lines.push(line),
      'attempt a1: its upstream outputs',
      FAST,
    );
    expect(await read).toBe(7);
    expect(reads).toBeGreaterThanOrEqual(3);
    // Told once, not on every retry.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^attempt a1: its upstream outputs waits for the database/);
  });

  it('fails at once on an error that is not about reaching the database', async () => {
    let reads = 0;
    const read = waitForDatabase(
      () => {
        reads++;
        return pool.query('select * from no_such_table');
      },
      new AbortController().signal,
      () => {},
      'x',
      FAST,
    );
    await expect(read).rejects.toThrow(/no_such_table/);
    expect(reads).toBe(1);
  });

  it('ends the wait when the attempt is stopped (cancelled or disowned)', async () => {
    proxy.cut();
    try {
      const stop = new AbortController();
      let reads = 0;
      const read = waitForDatabase(
        () => {
          reads++;
          return select();
        },
        stop.signal,
        // Told of the first failure: the attempt is cancelled while the wait pauses.
        () => setTimeout(() => stop.abort('cancelled'), 10),
        'x',
        // A long pause: the stop must end it, not the timer.
        [60_000],
      );
      await expect(read).rejects.toSatisfy((err: unknown) => err instanceof Error);
      expect(reads).toBe(1);
    } finally {
      proxy.restore();
    }
  });
});
