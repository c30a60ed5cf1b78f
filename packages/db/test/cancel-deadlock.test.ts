/**
 * Two cancels of runs of one concurrency-limited workflow at once: ending the running run locks
 * the workflow and starts its next queued run, while the other cancel holds that queued run and
 * waits for the workflow. Both must end; neither may fail with "deadlock detected".
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelRun,
  createPool,
  createPrismaClient,
  createRun,
  getRun,
  type Pool,
  type PrismaClient,
} from '../src';
import { createTestDatabase, type TestDatabase } from '../src/testing';
import { deployWorkflow } from './support/workflows';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamId: string;

beforeAll(async () => {
  db = await createTestDatabase('cancel_deadlock');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { max: 2 });
  teamId = (await prisma.team.create({ data: { slug: 'cd', name: 'CD' } })).id;
  await deployWorkflow(
    prisma,
    teamId,
    `
name: one-at-a-time
concurrency: { maxRuns: 1 }
tasks:
  only: { kind: noop }
`,
  );
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

describe('concurrent cancels of a concurrency-limited workflow', () => {
  it('end both runs and start the next queued one, without a deadlock', async () => {
    const start = () => createRun(pool, { teamId, workflow: { name: 'one-at-a-time' } });
    const a = (await start()).run;
    const b = (await start()).run;
    const c = (await start()).run;
    expect([a.status, b.status, c.status]).toEqual(['running', 'queued', 'queued']);

    // The cancel of B, in flight: it holds B's row and will want the workflow's row.
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SET LOCAL lock_timeout = '20s'`);
      await other.query(`SELECT 1 FROM workflow_runs WHERE id = $1 FOR UPDATE`, [b.id]);

      // Cancelling A frees the slot: it locks the workflow and picks the next queued run.
      let settled = false;
      const cancelA = cancelRun(pool, a.id).finally(() => (settled = true));
      // Wait until A's cancel either finished or is stuck waiting for a lock B's holder has.
      for (let i = 0; i < 200 && !settled; i++) {
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`,
        );
        if (rows[0]!.n > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      // B's cancel now wants the workflow's row, as startNextQueuedRun does.
      const workflowLock = other
        .query(
          `SELECT 1 FROM workflows w JOIN workflow_runs r ON r.workflow_id = w.id
            WHERE r.id = $1 FOR UPDATE OF w`,
          [b.id],
        )
        .then(() => other.query('COMMIT'));
      const [aResult, lockResult] = await Promise.allSettled([cancelA, workflowLock]);
      expect(aResult.status).toBe('fulfilled');
      expect(lockResult.status).toBe('fulfilled');
    } finally {
      await other.end();
    }
    expect((await getRun(pool, a.id))!.status).toBe('cancelled');
    // B was being changed by someone else: the freed slot went to the next queued run, C.
    expect((await getRun(pool, c.id))!.status).toBe('running');
    expect((await cancelRun(pool, b.id)).accepted).toBe(true);
    expect((await getRun(pool, b.id))!.status).toBe('cancelled');
  });
});
