import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jitterDelayMs as jitterDelayMsForTest } from '@dtss/core';
import {
  acquireLease,
  cancelRun,
  createPool,
  createPrismaClient,
  createSchedule,
  fillMissingNextFires,
  findDueSchedules,
  fireDueSchedules,
  fireSchedule,
  getSchedule,
  listSchedules,
  nextScheduleDueAt,
  previewScheduleFires,
  ScheduleError,
  setScheduleEnabled,
  updateSchedule,
  deleteSchedule,
  type CreateScheduleInput,
  type FireDueResult,
  type Pool,
  type PrismaClient,
} from '../src';
import { deployWorkflow } from './support/workflows';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamId: string;
let counter = 0;

/** 10:00:00 UTC on a fixed day: the tests play the scheduler's clock from here. */
const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const deploy = (yaml: string) => deployWorkflow(prisma, teamId, yaml);

/** A new workflow and a UI schedule on it (every minute unless said otherwise), due at T0. */
async function scheduleOf(over: Partial<CreateScheduleInput> = {}, yaml = '') {
  counter += 1;
  const workflowId = await deploy(
    yaml ||
      `name: wf-${counter}\nparams:\n  table: { type: string, default: t }\ntasks:\n  a: { kind: noop }\n`,
  );
  const s = await createSchedule(pool, {
    teamId,
    workflowId,
    name: 'every-minute',
    cron: '* * * * *',
    ...over,
  });
  await pool.query(`UPDATE schedules SET next_fire_at = $2, last_fire_at = NULL WHERE id = $1`, [
    s.id,
    over.startAt ?? at(0),
  ]);
  return { scheduleId: s.id, workflowId };
}

async function fireAt(scheduleId: string, now: Date) {
  const due = (await findDueSchedules(pool, { now, limit: 1000 })).find((s) => s.id === scheduleId);
  if (!due) return null;
  return fireSchedule(pool, due, { now });
}

async function runsOf(scheduleId: string) {
  const { rows } = await pool.query<{
    id: string;
    status: string;
    logical_date: Date;
    idempotency_key: string;
    trigger_kind: string;
    params: Record<string, unknown>;
  }>(
    `SELECT id, status, logical_date, idempotency_key, trigger_kind, params FROM workflow_runs
      WHERE schedule_id = $1 ORDER BY logical_date, created_at`,
    [scheduleId],
  );
  return rows;
}
const dates = (rows: { logical_date: Date }[]) =>
  rows.map((r) => r.logical_date.toISOString().slice(11, 19));

beforeAll(async () => {
  db = await createTestDatabase('schedules');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { max: 2 });
  teamId = (await prisma.team.create({ data: { slug: 's', name: 'S' } })).id;
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

describe('firing', () => {
  it('creates one run per instant with its logical date, params and an idempotency key', async () => {
    const { scheduleId } = await scheduleOf({ params: { table: 'orders' } });
    expect(await fireAt(scheduleId, at(-1))).toBeNull();
    const result = (await fireAt(scheduleId, at(0.2)))!;
    expect(result.advanced).toBe(true);
    expect(result.nextFireAt).toEqual(at(60));
    const runs = await runsOf(scheduleId);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      trigger_kind: 'schedule',
      logical_date: at(0),
      idempotency_key: `schedule:${scheduleId}:${at(0).toISOString()}`,
      params: { table: 'orders' },
    });
    const s = (await getSchedule(pool, { teamId, scheduleId }))!;
    expect(s.lastFireAt).toEqual(at(0));
    expect(s.nextFireAt).toEqual(at(60));
  });

  it('never gives an instant two runs, even when two schedulers fire the same snapshot', async () => {
    const { scheduleId } = await scheduleOf({ overlapPolicy: 'allow_all' });
    const snapshot = (await findDueSchedules(pool, { now: at(0.1) })).find(
      (s) => s.id === scheduleId,
    )!;
    const [a, b] = await Promise.all([
      fireSchedule(pool, snapshot, { now: at(0.1) }),
      fireSchedule(pool, snapshot, { now: at(0.2) }),
    ]);
    expect(a.fired[0]!.runId).toBe(b.fired[0]!.runId);
    // Only one of them advances the schedule; the other sees it moved.
    expect([a.advanced, b.advanced].sort()).toEqual([false, true]);
    expect(await runsOf(scheduleId)).toHaveLength(1);
  });

  it('only a leader holding its lease advances a schedule (fencing)', async () => {
    const { scheduleId } = await scheduleOf();
    const lease = (await acquireLease(pool, 'scheduler-test', 'me', 60_000))!;
    const stale = { name: 'scheduler-test', holderId: 'me', fencingToken: lease.fencingToken - 1n };
    const pass = await fireDueSchedules(pool, { now: at(0.1), fence: stale });
    expect(pass.leader).toBe(false);
    expect(await runsOf(scheduleId)).toHaveLength(0);
    const due = (await findDueSchedules(pool, { now: at(0.1) })).find((s) => s.id === scheduleId)!;
    const result = await fireSchedule(pool, due, { now: at(0.1), fence: stale });
    expect(result.advanced).toBe(false);
    expect((await getSchedule(pool, { teamId, scheduleId }))!.nextFireAt).toEqual(at(0));
    const good = { ...stale, fencingToken: lease.fencingToken };
    expect((await fireSchedule(pool, due, { now: at(0.1), fence: good })).advanced).toBe(true);
    expect(await runsOf(scheduleId)).toHaveLength(1);
  });
});

describe('jitter', () => {
  it('delays each fire by the same 0..jitterMs wherever it is computed; the logical date stays exact', async () => {
    const { scheduleId } = await scheduleOf({ jitterMs: 20_000 });
    const delay = jitterDelayMsForTest(scheduleId, at(0), 20_000);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThanOrEqual(20_000);
    // Only this schedule is due that early in the test database's history.
    await pool.query(`UPDATE schedules SET enabled = false WHERE id <> $1`, [scheduleId]);
    expect(await nextScheduleDueAt(pool)).toEqual(new Date(T0 + delay));
    if (delay > 0) expect(await fireAt(scheduleId, new Date(T0 + delay - 1))).toBeNull();
    await fireAt(scheduleId, new Date(T0 + delay));
    expect(dates(await runsOf(scheduleId))).toEqual(['10:00:00']);
  });
});

describe('overlap policies', () => {
  it('skip: no run while the previous one is active', async () => {
    const { scheduleId } = await scheduleOf({ overlapPolicy: 'skip' });
    await fireAt(scheduleId, at(0.1));
    const second = (await fireAt(scheduleId, at(60.1)))!;
    expect(dates(second.skippedActive.map((d) => ({ logical_date: d })))).toEqual(['10:01:00']);
    const [first] = await runsOf(scheduleId);
    await cancelRun(pool, first!.id);
    await fireAt(scheduleId, at(120.1));
    expect(dates(await runsOf(scheduleId))).toEqual(['10:00:00', '10:02:00']);
  });

  it('allow_all: a run for every instant', async () => {
    const { scheduleId } = await scheduleOf({ overlapPolicy: 'allow_all' });
    await fireAt(scheduleId, at(0.1));
    await fireAt(scheduleId, at(60.1));
    const runs = await runsOf(scheduleId);
    expect(dates(runs)).toEqual(['10:00:00', '10:01:00']);
    expect(runs.every((r) => ['queued', 'running'].includes(r.status))).toBe(true);
  });

  it('buffer_one: one instant waits for the active run, later ones are dropped', async () => {
    const { scheduleId } = await scheduleOf({ overlapPolicy: 'buffer_one' });
    await fireAt(scheduleId, at(0.1));
    expect((await fireAt(scheduleId, at(60.1)))!.buffered).toEqual(at(60));
    const third = (await fireAt(scheduleId, at(120.1)))!;
    expect(third.buffered).toEqual(at(60));
    expect(third.skippedActive).toEqual([at(120)]);
    expect(await runsOf(scheduleId)).toHaveLength(1);
    await cancelRun(pool, (await runsOf(scheduleId))[0]!.id);
    // The run ended: the buffered instant runs at the next pass, before anything is due.
    const after = (await fireAt(scheduleId, at(121)))!;
    expect(after.buffered).toBeNull();
    expect(dates(await runsOf(scheduleId))).toEqual(['10:00:00', '10:01:00']);
    expect((await getSchedule(pool, { teamId, scheduleId }))!.bufferedFireAt).toBeNull();
  });

  it('cancel_previous: the active run is cancelled and the new one starts', async () => {
    const { scheduleId } = await scheduleOf({ overlapPolicy: 'cancel_previous' });
    await fireAt(scheduleId, at(0.1));
    const second = (await fireAt(scheduleId, at(60.1)))!;
    const runs = await runsOf(scheduleId);
    expect(second.cancelledRuns).toEqual([runs[0]!.id]);
    expect(runs.map((r) => r.status)).toEqual(['cancelled', 'running']);
  });
});

describe('catch-up policies after downtime', () => {
  // Down from 10:00 to 10:05:30: six instants (10:00..10:05) were missed.
  const now = at(330);

  it('skip: missed instants are dropped; the next one is in the future', async () => {
    const { scheduleId } = await scheduleOf({ catchupPolicy: 'skip', overlapPolicy: 'allow_all' });
    const result = (await fireAt(scheduleId, now))!;
    expect(result.fired).toEqual([]);
    expect(result.nextFireAt).toEqual(at(360));
    expect((await getSchedule(pool, { teamId, scheduleId }))!.lastFireAt).toEqual(at(300));
  });

  it('latest: the most recent missed instant runs once', async () => {
    const { scheduleId } = await scheduleOf({
      catchupPolicy: 'latest',
      overlapPolicy: 'allow_all',
    });
    await fireAt(scheduleId, now);
    expect(dates(await runsOf(scheduleId))).toEqual(['10:05:00']);
  });

  it('all: each missed instant runs, oldest first, within the window', async () => {
    const { scheduleId } = await scheduleOf({ catchupPolicy: 'all', overlapPolicy: 'allow_all' });
    await fireAt(scheduleId, now);
    expect(dates(await runsOf(scheduleId))).toEqual([
      '10:00:00',
      '10:01:00',
      '10:02:00',
      '10:03:00',
      '10:04:00',
      '10:05:00',
    ]);
    const windowed = await scheduleOf({
      catchupPolicy: 'all',
      overlapPolicy: 'allow_all',
      catchupWindowMs: 120_000,
    });
    await fireAt(windowed.scheduleId, now);
    expect(dates(await runsOf(windowed.scheduleId))).toEqual(['10:04:00', '10:05:00']);
  });
});

describe('start and end dates, pause and resume', () => {
  it('fires nothing before startAt and nothing after endAt', async () => {
    const { scheduleId } = await scheduleOf({
      startAt: at(120),
      endAt: at(180),
      overlapPolicy: 'allow_all',
      catchupPolicy: 'all',
    });
    expect(await fireAt(scheduleId, at(100))).toBeNull();
    const result = (await fireAt(scheduleId, at(600)))!;
    expect(result.nextFireAt).toBeNull();
    expect(dates(await runsOf(scheduleId))).toEqual(['10:02:00', '10:03:00']);
    expect(await fireAt(scheduleId, at(1000))).toBeNull();
  });

  it('a paused schedule fires nothing; on resume its missed fires follow the catch-up policy', async () => {
    const { scheduleId } = await scheduleOf({
      catchupPolicy: 'latest',
      overlapPolicy: 'allow_all',
    });
    await fireAt(scheduleId, at(0.1));
    const paused = await setScheduleEnabled(pool, { teamId, scheduleId, enabled: false });
    expect(paused.nextFireAt).toBeNull();
    expect(await fireAt(scheduleId, at(200))).toBeNull();
    const resumed = await setScheduleEnabled(pool, { teamId, scheduleId, enabled: true });
    // Continues after the last fire (10:00): 10:01..now were missed while paused.
    expect(resumed.nextFireAt).toEqual(at(60));
    await fireAt(scheduleId, at(200));
    expect(dates(await runsOf(scheduleId))).toEqual(['10:00:00', '10:03:00']);
  });
});

describe('schedule operations', () => {
  it('a new leader gives enabled schedules without a next fire time one', async () => {
    const { scheduleId } = await scheduleOf();
    const off = await scheduleOf();
    await setScheduleEnabled(pool, { teamId, scheduleId: off.scheduleId, enabled: false });
    await pool.query(
      `UPDATE schedules SET next_fire_at = NULL, last_fire_at = NULL WHERE id = $1`,
      [scheduleId],
    );
    expect(await fillMissingNextFires(pool, at(30))).toBeGreaterThanOrEqual(1);
    expect((await getSchedule(pool, { teamId, scheduleId }))!.nextFireAt).toEqual(at(60));
    expect(
      (await getSchedule(pool, { teamId, scheduleId: off.scheduleId }))!.nextFireAt,
    ).toBeNull();
  });

  it('refuses bad input with clear messages and stores nothing', async () => {
    const workflowId = await deploy(
      'name: strict\nparams:\n  n: { type: integer, required: true }\ntasks:\n  a: { kind: noop }\n',
    );
    const base = { teamId, workflowId, name: 'x', params: { n: 1 } };
    const bad = [
      { ...base, cron: '61 * * * *' },
      { ...base, cron: '* * * * *', timezone: 'Mars/Olympus' },
      { ...base, cron: '* * * * *', params: { n: 'one' } },
      { ...base, cron: '* * * * *', startAt: at(10), endAt: at(0) },
      { ...base, cron: '* * * * *', overlapPolicy: 'sometimes' as 'skip' },
    ];
    for (const input of bad) {
      const err = await createSchedule(pool, input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ScheduleError);
      expect((err as ScheduleError).message).toMatch(/cron|timezone|params\.n|endAt|overlap/);
    }
    expect(await listSchedules(pool, { teamId, workflowId })).toEqual([]);
    await expect(listSchedules(pool, { teamId: 'nope' })).rejects.toThrow(/teamId/);
  });

  it('updates, previews and deletes a UI schedule; a declared one is owned by its file', async () => {
    const { scheduleId, workflowId } = await scheduleOf();
    const updated = await updateSchedule(pool, {
      teamId,
      scheduleId,
      changes: { cron: '0 9 * * *', timezone: 'Europe/Paris' },
    });
    expect(updated).toMatchObject({ cron: '0 9 * * *', timezone: 'Europe/Paris' });
    // Fields present but undefined are left as they are (found by the API fuzz test: a 500 on
    // `cron.trim()` of undefined, or a NULL written into enabled).
    const unchanged = await updateSchedule(pool, {
      teamId,
      scheduleId,
      changes: { cron: undefined, enabled: undefined, jitterMs: undefined, timezone: 'UTC' },
    });
    expect(unchanged).toMatchObject({
      cron: '0 9 * * *',
      enabled: true,
      jitterMs: 0,
      timezone: 'UTC',
    });
    const preview = await previewScheduleFires(
      pool,
      { teamId, scheduleId, count: 2 },
      new Date('2026-07-01T12:00:00Z'),
    );
    expect(preview.fires).toEqual([
      new Date('2026-07-02T09:00:00Z'),
      new Date('2026-07-03T09:00:00Z'),
    ]);
    expect(await deleteSchedule(pool, { teamId, scheduleId })).toBe(true);
    expect(await listSchedules(pool, { teamId, workflowId })).toEqual([]);

    const declared = await deploy(`name: declared
tasks:
  a: { kind: noop }
schedules:
  - { name: hourly, cron: "0 * * * *", catchup: all, overlap: allow_all }
`);
    const [s] = await listSchedules(pool, { teamId, workflowId: declared });
    expect(s).toMatchObject({ source: 'definition', catchupPolicy: 'all' });
    expect(s!.nextFireAt!.getTime()).toBeGreaterThan(Date.now());
    expect(s!.nextFireAt!.getUTCMinutes()).toBe(0);
    await expect(
      updateSchedule(pool, { teamId, scheduleId: s!.id, changes: { cron: '* * * * *' } }),
    ).rejects.toMatchObject({ code: 'declared_in_file' });
    expect(
      (await setScheduleEnabled(pool, { teamId, scheduleId: s!.id, enabled: false })).enabled,
    ).toBe(false);
  });
});

describe('a pass over many schedules (runs created in batches)', () => {
  // Due since 10:00 (catch-up all): 10:00..10:05 are to be handled at 10:05:30.
  const now = at(330);
  const mine = (pass: FireDueResult, id: string) =>
    pass.schedules.find((s) => s.scheduleId === id)!;

  it('applies each overlap policy per schedule, as if each schedule fired alone', async () => {
    const all = { catchupPolicy: 'all' } as const;
    const allowAll = await scheduleOf({ ...all, overlapPolicy: 'allow_all' });
    const skip = await scheduleOf({ ...all, overlapPolicy: 'skip' });
    const buffer = await scheduleOf({ ...all, overlapPolicy: 'buffer_one' });
    const cancel = await scheduleOf({ ...all, overlapPolicy: 'cancel_previous' });
    const paused = await scheduleOf({ ...all, overlapPolicy: 'allow_all' });
    await pool.query(`UPDATE workflows SET paused = true WHERE id = $1`, [paused.workflowId]);
    const refused = await scheduleOf({ catchupPolicy: 'latest', overlapPolicy: 'allow_all' });
    // The workflow now wants a param the schedule does not give.
    await deploy(
      `name: wf-${counter}\nparams:\n  n: { type: integer, required: true }\ntasks:\n  a: { kind: noop }\n`,
    );

    const pass = await fireDueSchedules(pool, { now, limit: 1000 });
    expect(pass.errors).toEqual([]);
    const six = ['10:00:00', '10:01:00', '10:02:00', '10:03:00', '10:04:00', '10:05:00'];

    expect(dates(await runsOf(allowAll.scheduleId))).toEqual(six);
    expect(mine(pass, allowAll.scheduleId).fired.every((f) => f.created)).toBe(true);

    expect(dates(await runsOf(skip.scheduleId))).toEqual(['10:00:00']);
    expect(mine(pass, skip.scheduleId).skippedActive).toHaveLength(5);

    const b = mine(pass, buffer.scheduleId);
    expect(dates(await runsOf(buffer.scheduleId))).toEqual(['10:00:00']);
    expect(b.buffered).toEqual(at(60));
    expect(b.skippedActive).toEqual([at(120), at(180), at(240), at(300)]);

    const cancelRuns = await runsOf(cancel.scheduleId);
    expect(dates(cancelRuns)).toEqual(six);
    expect(cancelRuns.map((r) => r.status)).toEqual([...Array(5).fill('cancelled'), 'running']);
    expect(mine(pass, cancel.scheduleId).cancelledRuns).toEqual(
      cancelRuns.slice(0, 5).map((r) => r.id),
    );

    expect(await runsOf(paused.scheduleId)).toEqual([]);
    const r = mine(pass, refused.scheduleId);
    expect(r.fired).toEqual([]);
    expect(r.refused).toEqual([{ instant: at(300), message: expect.stringMatching(/params\.n/) }]);
    expect(await runsOf(refused.scheduleId)).toEqual([]);

    for (const { scheduleId } of [allowAll, skip, buffer, cancel, paused, refused]) {
      expect(mine(pass, scheduleId).advanced).toBe(true);
      expect((await getSchedule(pool, { teamId, scheduleId }))!.nextFireAt).toEqual(at(360));
    }
    expect(
      (await getSchedule(pool, { teamId, scheduleId: buffer.scheduleId }))!.bufferedFireAt,
    ).toEqual(at(60));
  });

  it('creates the runs of one pass in one transaction', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push((await scheduleOf({ overlapPolicy: 'allow_all' })).scheduleId);
    const pass = await fireDueSchedules(pool, { now: at(0.5), limit: 1000 });
    expect(pass.errors).toEqual([]);
    const { rows } = await pool.query<{ n: string; stamps: string }>(
      `SELECT count(*) AS n, count(DISTINCT created_at) AS stamps FROM workflow_runs
        WHERE schedule_id = ANY($1::uuid[])`,
      [ids],
    );
    // now() is the transaction's start: one stamp for all.
    expect(rows[0]).toEqual({ n: '3', stamps: '1' });
  });

  it('two schedulers running the same pass at once give every instant exactly one run', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const policy = (['allow_all', 'skip', 'cancel_previous'] as const)[i % 3];
      ids.push((await scheduleOf({ catchupPolicy: 'all', overlapPolicy: policy })).scheduleId);
    }
    const [a, b] = await Promise.all([
      fireDueSchedules(pool, { now, limit: 1000 }),
      fireDueSchedules(pool, { now, limit: 1000 }),
    ]);
    expect([...a.errors, ...b.errors]).toEqual([]);
    const { rows } = await pool.query<{ schedule_id: string; logical_date: Date; n: string }>(
      `SELECT schedule_id, logical_date, count(*) AS n FROM workflow_runs
        WHERE schedule_id = ANY($1::uuid[]) GROUP BY 1, 2 HAVING count(*) > 1`,
      [ids],
    );
    expect(rows).toEqual([]);
    for (const id of ids) expect((await runsOf(id)).length).toBeGreaterThan(0);
  });
});
