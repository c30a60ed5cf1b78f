import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkflowText } from '@dtss/core';
import {
  advanceBackfills,
  BackfillError,
  cancelBackfill,
  cancelRun,
  createBackfill,
  createPool,
  createPrismaClient,
  createSchedule,
  getBackfill,
  saveWorkflowVersion,
  type Pool,
  type PrismaClient,
} from '../src';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamId: string;
let workflowId: string;

async function runsOf(backfillId: string) {
  const { rows } = await pool.query<{
    id: string;
    status: string;
    logical_date: Date;
    trigger_kind: string;
    idempotency_key: string;
    params: Record<string, unknown>;
  }>(
    `SELECT id, status, logical_date, trigger_kind, idempotency_key, params FROM workflow_runs
      WHERE backfill_id = $1 ORDER BY logical_date`,
    [backfillId],
  );
  return rows;
}
const active = <T extends { status: string }>(rows: T[]) =>
  rows.filter((r) => r.status === 'queued' || r.status === 'running');
/** Ends the active runs (a cancel is the quickest way to end a run without workers). */
async function endActive(backfillId: string) {
  for (const r of active(await runsOf(backfillId))) await cancelRun(pool, r.id);
}

beforeAll(async () => {
  db = await createTestDatabase('backfills');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { max: 2 });
  teamId = (await prisma.team.create({ data: { slug: 'b', name: 'B' } })).id;
  const parsed = parseWorkflowText(
    `name: daily
params:
  table: { type: string, default: t }
tasks:
  a: { kind: noop }
`,
    { format: 'yaml' },
  );
  if (!parsed.ok) throw new Error('bad workflow');
  workflowId = (await saveWorkflowVersion(prisma, { teamId, definition: parsed.workflow }))
    .workflowId;
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

describe('backfills', () => {
  it('runs every instant of the range, at most maxConcurrency at a time, then ends', async () => {
    const b = await createBackfill(pool, {
      teamId,
      workflowId,
      cron: '0 0 * * *',
      timezone: 'UTC',
      rangeStart: new Date('2026-01-01T00:00:00Z'),
      rangeEnd: new Date('2026-01-05T00:00:00Z'),
      params: { table: 'orders' },
      maxConcurrency: 2,
    });
    expect(b).toMatchObject({ status: 'running', totalRuns: 5, createdRuns: 0 });
    expect(b.cursor).toEqual(new Date('2026-01-01T00:00:00Z'));

    await advanceBackfills(pool);
    await advanceBackfills(pool);
    let runs = await runsOf(b.id);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({
      trigger_kind: 'backfill',
      logical_date: new Date('2026-01-01T00:00:00Z'),
      idempotency_key: `backfill:${b.id}:2026-01-01T00:00:00.000Z`,
      params: { table: 'orders' },
    });
    let view = (await getBackfill(pool, { teamId, backfillId: b.id }))!;
    expect(view).toMatchObject({ createdRuns: 2, cursor: new Date('2026-01-03T00:00:00Z') });
    expect(view.runsByStatus).toEqual({ running: 2 });

    for (let i = 0; i < 4 && view.status === 'running'; i++) {
      await endActive(b.id);
      await advanceBackfills(pool);
      runs = await runsOf(b.id);
      expect(active(runs).length).toBeLessThanOrEqual(2);
      view = (await getBackfill(pool, { teamId, backfillId: b.id }))!;
    }
    expect(runs.map((r) => r.logical_date.toISOString().slice(0, 10))).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-01-04',
      '2026-01-05',
    ]);
    // Its runs were cancelled, so it ends failed (not every run succeeded).
    expect(view).toMatchObject({ status: 'failed', createdRuns: 5, cursor: null });
    expect(view.finishedAt).not.toBeNull();
  });

  it('cancel stops creating runs and cancels the active ones', async () => {
    const b = await createBackfill(pool, {
      teamId,
      workflowId,
      cron: '0 * * * *',
      rangeStart: new Date('2026-02-01T00:00:00Z'),
      rangeEnd: new Date('2026-02-01T23:00:00Z'),
      maxConcurrency: 3,
    });
    expect(b.totalRuns).toBe(24);
    await advanceBackfills(pool);
    expect(active(await runsOf(b.id))).toHaveLength(3);
    expect(await cancelBackfill(pool, { teamId, backfillId: b.id })).toEqual({
      accepted: true,
      cancelledRuns: 3,
    });
    await advanceBackfills(pool);
    const runs = await runsOf(b.id);
    expect(runs).toHaveLength(3);
    expect(runs.every((r) => r.status === 'cancelled')).toBe(true);
    expect((await getBackfill(pool, { teamId, backfillId: b.id }))!.status).toBe('cancelled');
    expect(await cancelBackfill(pool, { teamId, backfillId: b.id })).toMatchObject({
      accepted: false,
    });
  });

  it('takes the cron, zone and params of a schedule', async () => {
    const s = await createSchedule(pool, {
      teamId,
      workflowId,
      name: 'paris',
      cron: '0 9 * * *',
      timezone: 'Europe/Paris',
      params: { table: 'sales' },
    });
    const b = await createBackfill(pool, {
      teamId,
      workflowId,
      scheduleId: s.id,
      rangeStart: new Date('2026-07-01T00:00:00Z'),
      rangeEnd: new Date('2026-07-02T23:59:59Z'),
    });
    expect(b).toMatchObject({ cron: '0 9 * * *', timezone: 'Europe/Paris', totalRuns: 2 });
    await advanceBackfills(pool);
    const [run] = await runsOf(b.id);
    expect(run).toMatchObject({
      logical_date: new Date('2026-07-01T07:00:00Z'),
      params: { table: 'sales' },
    });
    await cancelBackfill(pool, { teamId, backfillId: b.id });
  });

  it('refuses bad requests before storing anything', async () => {
    const base = {
      teamId,
      workflowId,
      cron: '0 0 * * *',
      rangeStart: new Date('2026-01-01T00:00:00Z'),
      rangeEnd: new Date('2026-01-02T00:00:00Z'),
    };
    const cases: [object, RegExp][] = [
      [{ ...base, cron: 'nope' }, /cron/],
      [{ ...base, timezone: 'Nowhere/City' }, /timezone/],
      [{ ...base, params: { table: 5 } }, /params\.table/],
      [{ ...base, rangeEnd: new Date('2025-01-01T00:00:00Z') }, /rangeEnd/],
      [{ ...base, cron: '* * * * * *', rangeEnd: new Date('2026-02-01T00:00:00Z') }, /split/],
      [{ ...base, maxConcurrency: 0 }, /maxConcurrency/],
    ];
    const { rows: before } = await pool.query('SELECT id FROM backfills');
    for (const [input, message] of cases) {
      const err = await createBackfill(pool, input as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackfillError);
      expect((err as Error).message).toMatch(message);
    }
    const { rows: after } = await pool.query('SELECT id FROM backfills');
    expect(after.length).toBe(before.length);
  });
});
