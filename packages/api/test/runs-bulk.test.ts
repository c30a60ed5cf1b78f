/** runs.count, runs.cancelMany and runs.rerunMany on a real database: behaviour, not only access. */
import { claimTask, completeAttempt } from '@dtss/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/actor';
import { formatIssuePath } from '../src/errors';
import {
  applyWorkflow,
  callerFor,
  failedRun,
  newTeam,
  openWorld,
  queuedRun,
  userActor,
  type World,
} from './fixtures';

let w: World;
let teamId: string;
let otherTeamId: string;
let editor: Actor;
let api: ReturnType<typeof callerFor>;

beforeAll(async () => {
  w = await openWorld('runsbulk');
  teamId = (await newTeam(w)).id;
  otherTeamId = (await newTeam(w)).id;
  editor = await userActor(w, teamId, 'editor');
  api = callerFor(w, editor);
});

afterAll(async () => {
  await w?.close();
});

async function failure(
  p: Promise<unknown>,
): Promise<{ code: string; message: string; issues: unknown }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCError) {
      // A ZodError's issues carry paths as arrays; the error formatter (over HTTP) joins them.
      const cause = err.cause as { issues?: { path: string | PropertyKey[]; message: string }[] };
      const issues = cause?.issues?.map((i) => ({
        path: typeof i.path === 'string' ? i.path : formatIssuePath(i.path),
        message: i.message,
      }));
      return { code: err.code, message: err.message, issues };
    }
    throw err;
  }
  return { code: 'ok', message: '', issues: undefined };
}

async function statusOf(runId: string): Promise<string> {
  const { rows } = await w.pool.query<{ status: string; cancel_requested_at: Date | null }>(
    'SELECT status, cancel_requested_at FROM workflow_runs WHERE id = $1',
    [runId],
  );
  return rows[0]!.status;
}

async function cancelRequested(runId: string): Promise<boolean> {
  const { rows } = await w.pool.query<{ at: Date | null }>(
    'SELECT cancel_requested_at AS at FROM workflow_runs WHERE id = $1',
    [runId],
  );
  return rows[0]!.at !== null;
}

async function auditsOf(action: string, targetId: string) {
  const { rows } = await w.pool.query<{ summary: Record<string, unknown>; actor: string }>(
    `SELECT summary, actor_user_id AS actor FROM audit_logs
      WHERE team_id = $1 AND action = $2 AND target_id = $3`,
    [teamId, action, targetId],
  );
  return rows;
}

/** A run whose two tasks both succeeded. */
async function succeededRun(workflow: string): Promise<string> {
  const run = await queuedRun(w, teamId, workflow);
  for (const key of ['a', 'b']) {
    const { rows } = await w.pool.query<{ id: string }>(
      'SELECT id FROM task_runs WHERE run_id = $1 AND task_key = $2',
      [run.id, key],
    );
    const claimed = await claimTask(w.pool, rows[0]!.id, null);
    if (!claimed) throw new Error(`could not claim ${key}`);
    await completeAttempt(w.pool, {
      attemptId: claimed.attemptId,
      taskRunId: claimed.taskRunId,
      runId: run.id,
      outcome: 'succeeded',
      exitCode: 0,
    });
  }
  expect(await statusOf(run.id)).toBe('succeeded');
  return run.id;
}

describe('runs.count', () => {
  it('counts what runs.list lists, with the same filters', async () => {
    await applyWorkflow(w, teamId, 'count-me');
    const started = [
      await queuedRun(w, teamId, 'count-me'),
      await queuedRun(w, teamId, 'count-me'),
    ];
    await failedRun(w, teamId, 'count-me');
    const filters = [
      { workflow: 'count-me' },
      { workflow: 'count-me', status: ['running' as const] },
      { workflow: 'count-me', status: ['failed' as const, 'running' as const] },
      { workflow: 'count-me', triggerKind: ['schedule' as const] },
      { workflow: 'count-me', from: new Date(Date.now() + 60_000) },
      { workflow: 'count-me', to: new Date(Date.now() + 60_000) },
    ];
    for (const f of filters) {
      const listed = await api.runs.list({ teamId, ...f, limit: 200 });
      expect(await api.runs.count({ teamId, ...f })).toEqual({ count: listed.items.length });
    }
    expect(await api.runs.count({ teamId, workflow: 'count-me', status: ['running'] })).toEqual({
      count: started.length,
    });
  });

  it('refuses a range that ends before it starts, on the `to` field', async () => {
    const res = await failure(
      api.runs.count({ teamId, from: new Date('2026-02-01'), to: new Date('2026-01-01') }),
    );
    expect(res.code).toBe('BAD_REQUEST');
    expect(res.issues).toEqual([{ path: 'to', message: 'from must be before to' }]);
  });
});

describe('runs.cancelMany', () => {
  it('cancels the active runs given by id, skips ended, unknown and foreign ones, and audits each', async () => {
    await applyWorkflow(w, teamId, 'cancel-ids');
    await applyWorkflow(w, otherTeamId, 'cancel-ids');
    const a = await queuedRun(w, teamId, 'cancel-ids');
    const b = await queuedRun(w, teamId, 'cancel-ids');
    const ended = await failedRun(w, teamId, 'cancel-ids');
    const foreign = await queuedRun(w, otherTeamId, 'cancel-ids');
    const unknown = '3b0c5a0e-6a8e-4a53-9d55-2b2f7d7f0b8e';

    const result = await api.runs.cancelMany({
      teamId,
      runIds: [a.id, b.id, a.id, ended.id, foreign.id, unknown],
    });
    expect(result.done).toBe(2);
    expect(result.runs.map((r) => r.runId)).toEqual([a.id, b.id]);
    expect(result.skipped).toEqual([
      { runId: ended.id, reason: 'ended', message: 'already failed' },
      { runId: foreign.id, reason: 'not_found', message: 'no such run in this team' },
      { runId: unknown, reason: 'not_found', message: 'no such run in this team' },
    ]);
    expect(await statusOf(a.id)).toBe('cancelled');
    expect(await statusOf(b.id)).toBe('cancelled');
    expect(await statusOf(ended.id)).toBe('failed');
    // The other team's run is untouched.
    expect(await statusOf(foreign.id)).toBe('running');
    expect(await cancelRequested(foreign.id)).toBe(false);

    for (const run of [a, b]) {
      const audits = await auditsOf('run.cancel', run.id);
      expect(audits).toHaveLength(1);
      expect(audits[0]!.summary).toMatchObject({ accepted: true, bulk: true });
    }
    expect(await auditsOf('run.cancel', ended.id)).toEqual([]);
  });

  it('with a filter, acts only when the runs are exactly as many as confirmed', async () => {
    await applyWorkflow(w, teamId, 'cancel-filter');
    const runs = [
      await queuedRun(w, teamId, 'cancel-filter'),
      await queuedRun(w, teamId, 'cancel-filter'),
      await queuedRun(w, teamId, 'cancel-filter'),
    ];
    const filter = { workflow: 'cancel-filter', status: ['queued' as const, 'running' as const] };
    const { count } = await api.runs.count({ teamId, ...filter });
    expect(count).toBe(3);

    // Another run started after the count: the confirmation is stale, nothing is done.
    const late = await queuedRun(w, teamId, 'cancel-filter');
    const stale = await failure(api.runs.cancelMany({ teamId, filter, expectedCount: count }));
    expect(stale.code).toBe('CONFLICT');
    expect(stale.message).toContain('the filter now matches 4 runs, not the 3 you confirmed');
    for (const run of [...runs, late]) {
      expect(await statusOf(run.id)).toBe('running');
      expect(await cancelRequested(run.id)).toBe(false);
    }

    const result = await api.runs.cancelMany({ teamId, filter, expectedCount: 4 });
    expect(result).toMatchObject({ done: 4, skipped: [] });
    for (const run of [...runs, late]) expect(await statusOf(run.id)).toBe('cancelled');
    expect(await api.runs.count({ teamId, ...filter })).toEqual({ count: 0 });
  });

  it('refuses a filter matching more than 1,000 runs, with a clear message', async () => {
    const wf = await applyWorkflow(w, teamId, 'too-many');
    await w.pool.query(
      `INSERT INTO workflow_runs (team_id, workflow_id, workflow_version_id, number, status,
                                  trigger_kind, tasks_total)
       SELECT $1, $2, $3, n, 'queued', 'schedule', 0 FROM generate_series(1, 1001) AS n`,
      [teamId, wf.workflowId, wf.versionId],
    );
    const filter = { workflow: 'too-many' };
    expect(await api.runs.count({ teamId, ...filter })).toEqual({ count: 1001 });
    const res = await failure(api.runs.cancelMany({ teamId, filter, expectedCount: 1000 }));
    expect(res.code).toBe('BAD_REQUEST');
    expect(res.message).toBe(
      'the filter matches 1,001 runs; a bulk action takes at most 1,000: narrow the filter',
    );
    expect(await api.runs.count({ teamId, ...filter, status: ['queued'] })).toEqual({
      count: 1001,
    });
    // The schema caps the confirmation too.
    const over = await failure(api.runs.cancelMany({ teamId, filter, expectedCount: 1001 }));
    expect(over.issues).toEqual([
      { path: 'expectedCount', message: 'at most 1,000 runs at a time' },
    ]);
  });

  it('validates its input with field paths', async () => {
    const cases: [unknown, string][] = [
      [{ teamId, runIds: [] }, 'runIds'],
      [{ teamId, runIds: ['nope'] }, 'runIds[0]'],
      [{ teamId }, 'runIds'],
      [{ teamId, runIds: [crypto.randomUUID()], filter: {} }, 'filter'],
      [{ teamId, filter: { status: ['queued'] } }, 'expectedCount'],
      [{ teamId, runIds: [crypto.randomUUID()], expectedCount: 1 }, 'expectedCount'],
      [{ teamId, filter: { status: ['bogus'] }, expectedCount: 1 }, 'filter.status[0]'],
      [{ teamId, filter: { from: '2026-02-01', to: '2026-01-01' }, expectedCount: 1 }, 'filter.to'],
      [{ teamId, runIds: Array.from({ length: 501 }, () => crypto.randomUUID()) }, 'runIds'],
    ];
    for (const [input, path] of cases) {
      const res = await failure(api.runs.cancelMany(input as never));
      expect(res.code, JSON.stringify(input).slice(0, 120)).toBe('BAD_REQUEST');
      expect(res.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    }
  });

  it('needs the editor role', async () => {
    const viewer = callerFor(w, await userActor(w, teamId, 'viewer'));
    const run = await queuedRun(w, teamId, 'cancel-ids');
    expect((await failure(viewer.runs.cancelMany({ teamId, runIds: [run.id] }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await failure(viewer.runs.rerunMany({ teamId, runIds: [run.id] }))).code).toBe(
      'FORBIDDEN',
    );
    expect(await statusOf(run.id)).toBe('running');
    expect(await viewer.runs.count({ teamId, workflow: 'cancel-ids' })).toMatchObject({
      count: expect.any(Number),
    });
  });
});

describe('runs.rerunMany', () => {
  it('reruns the failed part of ended runs, skips active and fully successful ones', async () => {
    await applyWorkflow(w, teamId, 'rerun-many');
    const failed = await failedRun(w, teamId, 'rerun-many');
    const cancelled = await queuedRun(w, teamId, 'rerun-many');
    await api.runs.cancel({ runId: cancelled.id });
    expect(await statusOf(cancelled.id)).toBe('cancelled');
    const active = await queuedRun(w, teamId, 'rerun-many');
    const ok = await succeededRun('rerun-many');

    const result = await api.runs.rerunMany({
      teamId,
      runIds: [failed.id, cancelled.id, active.id, ok],
    });
    expect(result.done).toBe(2);
    expect(result.runs.map((r) => r.runId)).toEqual([failed.id, cancelled.id]);
    expect(result.skipped).toEqual([
      {
        runId: active.id,
        reason: 'active',
        message: 'still running: rerun it once it has ended',
      },
      { runId: ok, reason: 'nothing_failed', message: 'every task succeeded: nothing to rerun' },
    ]);
    for (const { runId, newRun } of result.runs) {
      const view = await api.runs.get({ runId: newRun.id });
      expect(view.triggerKind).toBe('rerun');
      const parent = await w.pool.query<{ parent: string }>(
        'SELECT parent_run_id AS parent FROM workflow_runs WHERE id = $1',
        [newRun.id],
      );
      expect(parent.rows[0]!.parent).toBe(runId);
      const audits = await auditsOf('run.rerun', newRun.id);
      expect(audits).toHaveLength(1);
      expect(audits[0]!.summary).toEqual({
        parentRunId: runId,
        scope: { kind: 'failed' },
        bulk: true,
      });
    }
    // The originals are left as they were.
    expect(await statusOf(failed.id)).toBe('failed');
    expect(await statusOf(active.id)).toBe('running');
  });

  it('reruns every failed run matching a filter once confirmed', async () => {
    await applyWorkflow(w, teamId, 'rerun-filter');
    const runs = [
      await failedRun(w, teamId, 'rerun-filter'),
      await failedRun(w, teamId, 'rerun-filter'),
    ];
    const filter = { workflow: 'rerun-filter', status: ['failed' as const] };
    const { count } = await api.runs.count({ teamId, ...filter });
    expect(count).toBe(2);
    const result = await api.runs.rerunMany({ teamId, filter, expectedCount: count });
    expect(result.done).toBe(2);
    expect(new Set(result.runs.map((r) => r.runId))).toEqual(new Set(runs.map((r) => r.id)));
    // The reruns are new runs (trigger `rerun`), not matches of the filter's status.
    expect(
      await api.runs.count({ teamId, workflow: 'rerun-filter', triggerKind: ['rerun'] }),
    ).toEqual({ count: 2 });
  });
});
