import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, listWorkers, type Pool } from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { exitOf, spawnWorker, waitFor } from './spawn-worker';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('worker_process');
  pool = createPool(db.url, { applicationName: 'test' });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

describe('worker process', () => {
  it('registers two workers that heartbeat, and marks them stopped on SIGTERM', async () => {
    const a = spawnWorker(db.url, [
      '--name',
      'w-a',
      '--pools',
      'default,gpu',
      '--heartbeat-ms',
      '200',
    ]);
    const b = spawnWorker(db.url, ['--name', 'w-b', '--concurrency', '2', '--heartbeat-ms', '200']);
    try {
      const rows = await waitFor(
        async () => {
          const ws = await listWorkers(pool);
          return ws.filter((w) => w.status === 'active').length === 2 && ws;
        },
        20_000,
        'two active workers',
      );
      const byName = Object.fromEntries(rows.map((w) => [w.name, w]));
      expect(byName['w-a']!.pools).toEqual(['default', 'gpu']);
      expect(byName['w-b']!.pools).toEqual(['default']);
      expect(byName['w-a']!.pid).toBe(a.pid);

      const first = byName['w-a']!.lastHeartbeatAt.getTime();
      await waitFor(
        async () => {
          const ws = await listWorkers(pool);
          return ws.find((w) => w.name === 'w-a')!.lastHeartbeatAt.getTime() > first;
        },
        5_000,
        'a later heartbeat',
      );
    } finally {
      a.kill('SIGTERM');
      b.kill('SIGTERM');
    }
    expect(await exitOf(a)).toBe(0);
    expect(await exitOf(b)).toBe(0);
    const after = await listWorkers(pool);
    expect(after.map((w) => w.status).sort()).toEqual(['stopped', 'stopped']);
  });

  it('a drain requested through the database stops the worker', async () => {
    const w = spawnWorker(db.url, ['--name', 'w-drain', '--heartbeat-ms', '200']);
    const row = await waitFor(
      async () =>
        (await listWorkers(pool)).find((x) => x.name === 'w-drain' && x.status === 'active'),
      20_000,
      'the worker to register',
    );
    await pool.query(`UPDATE workers SET status = 'draining' WHERE id = $1`, [row.id]);
    expect(await exitOf(w)).toBe(0);
    expect(w.output()).toContain('draining (drain requested)');
  });

  it('refuses invalid options with a message naming the option', async () => {
    const w = spawnWorker(db.url, ['--concurrency', '0', '--pools', 'ok,bad pool']);
    expect(await exitOf(w)).not.toBe(0);
    expect(w.output()).toMatch(/concurrency: .*1/);
    expect(w.output()).toMatch(/pools\.1: pool names are letters, digits, - and _/);
  });

  it('refuses to start without DATABASE_URL', async () => {
    const w = spawnWorker('', []);
    expect(await exitOf(w)).not.toBe(0);
    expect(w.output()).toContain('DATABASE_URL is required');
  });
});
