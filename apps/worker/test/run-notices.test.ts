// The worker's coalescing of task changes: many changes of a run within the delay go out as one
// NOTIFY per run, in the order they happened; a flush sends at once; a failure is reported, not
// thrown (the changes are committed already; live status only).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, RUN_EVENTS_CHANNEL, type Pool, type RunEventsNotice } from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { RunNoticeBuffer } from '../src/engine/runNotices';

let db: TestDatabase;
let pool: Pool;
let listener: pg.Client;
const heard: { at: number; notice: RunEventsNotice }[] = [];

const RUN_A = '00000000-0000-4000-8000-00000000000a';
const RUN_B = '00000000-0000-4000-8000-00000000000b';

beforeAll(async () => {
  db = await createTestDatabase('run_notices');
  pool = createPool(db.url, { applicationName: 'test' });
  listener = new pg.Client({ connectionString: db.url });
  await listener.connect();
  listener.on('notification', (n) =>
    heard.push({ at: Date.now(), notice: JSON.parse(n.payload!) as RunEventsNotice }),
  );
  await listener.query(`LISTEN ${RUN_EVENTS_CHANNEL}`);
});
afterAll(async () => {
  await listener.end();
  await pool.end();
  await db.drop();
});

async function waitFor(n: number, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (heard.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

describe('RunNoticeBuffer', () => {
  it('sends the changes of each run within the delay as one notice, in order', async () => {
    heard.length = 0;
    const errors: string[] = [];
    const buffer = new RunNoticeBuffer(pool, (m) => errors.push(m), 40);
    const t0 = Date.now();
    buffer.add(RUN_A, [{ task: 'x', status: 'running' }]);
    buffer.add(RUN_B, [{ task: 'y', status: 'running' }]);
    buffer.add(RUN_A, [
      { task: 'z', status: 'running' },
      { task: 'x', status: 'succeeded' },
    ]);
    buffer.add(RUN_A, []);
    await waitFor(2);
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.map((h) => h.notice)).toEqual([
      {
        runId: RUN_A,
        changes: [
          { task: 'x', status: 'running' },
          { task: 'z', status: 'running' },
          { task: 'x', status: 'succeeded' },
        ],
      },
      { runId: RUN_B, changes: [{ task: 'y', status: 'running' }] },
    ]);
    // Held for the delay (not sent at once), and not much longer.
    expect(heard[0]!.at - t0).toBeGreaterThanOrEqual(35);
    expect(heard[0]!.at - t0).toBeLessThan(1_000);
    expect(errors).toEqual([]);
  });

  it('flush() sends what is pending at once, and keeps later changes for the next notice', async () => {
    heard.length = 0;
    const buffer = new RunNoticeBuffer(pool, () => {}, 60_000);
    buffer.add(RUN_A, [{ task: 'x', status: 'running' }]);
    await buffer.flush();
    buffer.add(RUN_A, [{ task: 'x', status: 'succeeded' }]);
    await buffer.flush();
    await buffer.flush(); // nothing pending: no empty notice
    await waitFor(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(heard.map((h) => h.notice.changes)).toEqual([
      [{ task: 'x', status: 'running' }],
      [{ task: 'x', status: 'succeeded' }],
    ]);
  });

  it('reports a failed send instead of throwing, and goes on working', async () => {
    const broken = createPool('postgresql://nobody:wrong@127.0.0.1:1/none', {
      applicationName: 'test-broken',
    });
    const errors: string[] = [];
    const buffer = new RunNoticeBuffer(broken, (m) => errors.push(m), 1);
    buffer.add(RUN_A, [{ task: 'x', status: 'running' }]);
    await buffer.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^run notices not sent: /);
    await broken.end();
  });
});
