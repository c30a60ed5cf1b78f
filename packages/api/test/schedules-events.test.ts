/** Schedules, backfills, triggers and events through the API: thin routers over packages/db. */
import { createRun } from '@dtss/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, newTeam, openWorld, tokenActor, workflowYaml, type World } from './fixtures';
import { createCaller } from '../src/root';

let w: World;
let teamId: string;
let workflowId: string;

beforeAll(async () => {
  w = await openWorld('sched');
  teamId = (await newTeam(w)).id;
});

afterAll(async () => {
  await w?.close();
});

async function codeOf(p: Promise<unknown>): Promise<{ code: string; issues?: unknown }> {
  try {
    await p;
    return { code: 'ok' };
  } catch (err) {
    if (err instanceof TRPCError)
      return { code: err.code, issues: (err.cause as { issues?: unknown })?.issues };
    throw err;
  }
}

describe('schedules, triggers and events', () => {
  it('creates, previews, pauses and deletes a schedule; reports bad cron with a path', async () => {
    const api = createCaller(contextFor(w, await tokenActor(w, teamId, 'editor')));
    workflowId = (await api.workflows.applyDefinition({ text: workflowYaml('nightly') }))
      .workflowId;
    // A token's run is an `api` run that remembers the token.
    const { run } = await api.runs.trigger({ workflow: 'nightly' });
    const { rows } = await w.pool.query(
      'SELECT trigger_kind, triggered_by_token_id FROM workflow_runs WHERE id = $1',
      [run.id],
    );
    expect(rows[0].trigger_kind).toBe('api');
    expect(rows[0].triggered_by_token_id).not.toBeNull();
    const s = await api.schedules.create({
      workflowId,
      name: 'every-hour',
      cron: '0 * * * *',
      timezone: 'Europe/Berlin',
    });
    const preview = await api.schedules.preview({ scheduleId: s.id, count: 3 });
    expect(JSON.stringify(preview)).toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect((await api.schedules.pause({ scheduleId: s.id })).enabled).toBe(false);
    expect((await api.schedules.resume({ scheduleId: s.id })).enabled).toBe(true);
    const bad = await codeOf(
      api.schedules.update({ scheduleId: s.id, changes: { cron: '61 * * * *' } }),
    );
    expect(bad.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(bad.issues)).toContain('cron');
    expect(
      (await codeOf(api.schedules.create({ workflowId, name: 'every-hour', cron: '0 * * * *' })))
        .code,
    ).toBe('CONFLICT');
    await api.schedules.delete({ scheduleId: s.id });
    expect((await codeOf(api.schedules.get({ scheduleId: s.id }))).code).toBe('NOT_FOUND');
  });

  it("lists each schedule with the run of its latest instant, only the team's own", async () => {
    const api = createCaller(contextFor(w, await tokenActor(w, teamId, 'editor')));
    const s = await api.schedules.create({ workflowId, name: 'with-runs', cron: '0 * * * *' });
    const listed = async () => (await api.schedules.list({})).find((x) => x.id === s.id)!;
    expect((await listed()).lastRun).toBeNull();
    const fire = (iso: string) =>
      createRun(w.pool, {
        teamId,
        workflow: { id: workflowId },
        triggerKind: 'schedule',
        scheduleId: s.id,
        logicalDate: new Date(iso),
        idempotencyKey: `schedule:${s.id}:${iso}`,
      });
    const later = (await fire('2026-01-01T02:00:00.000Z')).run;
    await fire('2026-01-01T01:00:00.000Z');
    expect((await listed()).lastRun).toMatchObject({
      id: later.id,
      number: later.number,
      status: later.status,
      logicalDate: new Date('2026-01-01T02:00:00.000Z'),
    });
    // Another team sees none of it.
    const other = createCaller(contextFor(w, await tokenActor(w, (await newTeam(w)).id, 'viewer')));
    expect((await other.schedules.list({})).map((x) => x.id)).not.toContain(s.id);
    await api.schedules.delete({ scheduleId: s.id });
  });

  it('backfills a range and cancels it', async () => {
    const api = createCaller(contextFor(w, await tokenActor(w, teamId, 'editor')));
    const b = await api.schedules.backfills.create({
      workflowId,
      cron: '0 * * * *',
      timezone: 'UTC',
      rangeStart: new Date('2026-01-01T00:00:00Z'),
      rangeEnd: new Date('2026-01-01T05:00:00Z'),
    });
    expect(b.totalRuns).toBe(6);
    expect((await api.schedules.backfills.list({})).map((x) => x.id)).toContain(b.id);
    await api.schedules.backfills.cancel({ backfillId: b.id });
    expect((await api.schedules.backfills.get({ backfillId: b.id })).status).toBe('cancelled');
  });

  it('shows a webhook secret once and never audits it', async () => {
    const api = createCaller(contextFor(w, await tokenActor(w, teamId, 'editor')));
    const created = await api.triggers.createWebhook({ workflowId, name: 'github' });
    expect(created.secret).toMatch(/^whsec_/);
    const rotated = await api.triggers.rotateSecret({ triggerId: created.trigger.id });
    const stored = JSON.stringify([
      await api.triggers.list({}),
      (await w.pool.query('SELECT * FROM audit_logs')).rows,
    ]);
    expect(stored).not.toContain(created.secret);
    expect(stored).not.toContain(rotated.secret);
  });

  it('publishes events within the team rate limit, then refuses with TOO_MANY_REQUESTS', async () => {
    const actor = await tokenActor(w, teamId, 'editor');
    const api = createCaller({ ...contextFor(w, actor), eventsPerMinute: 3 });
    for (let i = 0; i < 3; i++) await api.events.publish({ name: 'order.created', payload: { i } });
    expect((await codeOf(api.events.publish({ name: 'order.created' }))).code).toBe(
      'TOO_MANY_REQUESTS',
    );
    expect(await api.events.list({ name: 'order.created' })).toHaveLength(3);
    expect((await codeOf(api.events.publish({ name: 'bad name!' }))).code).toBe('BAD_REQUEST');
  });
});
