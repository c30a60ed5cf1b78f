/**
 * What the web editor and the workflows list page need from the API: node positions saved with a
 * version (moving nodes makes no version), and list items with recent runs and schedules.
 */
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIssuePath } from '../src/errors';
import { createFetchHandler } from '../src/http';
import { MAX_LAYOUT_ENTRIES } from '../src/schemas/workflows';
import {
  callerFor,
  contextFor,
  newSchedule,
  newTeam,
  openWorld,
  queuedRun,
  userActor,
  type World,
} from './fixtures';

let w: World;
let teamId: string;
let api: ReturnType<typeof callerFor>;

beforeAll(async () => {
  w = await openWorld('wfeditor');
  teamId = (await newTeam(w)).id;
  api = callerFor(w, await userActor(w, teamId, 'editor'));
});

afterAll(async () => {
  await w?.close();
});

const TWO_TASKS =
  'name: drawn\ntasks:\n  extract: { kind: noop }\n  load: { kind: noop, needs: [extract] }\n';
const THREE_TASKS = `${TWO_TASKS}  report: { kind: noop, needs: [load] }\n`;

/** The input issues of a refused call, with dotted paths. */
async function issuesOf(p: Promise<unknown>): Promise<{ path: string; message: string }[]> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof TRPCError) || err.code !== 'BAD_REQUEST') throw err;
    const issues = (err.cause as unknown as { issues: { path: PropertyKey[]; message: string }[] })
      .issues;
    return issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message }));
  }
  throw new Error('the call was accepted');
}

describe('workflows.applyDefinition with a layout', () => {
  let workflowId: string;
  let v1Id: string;

  it('stores the layout with the new version; get and versions.get return it', async () => {
    const created = await api.workflows.applyDefinition({
      teamId,
      text: TWO_TASKS,
      layout: { extract: { x: 0, y: 0 }, load: { x: 0, y: 120 }, removed: { x: 5, y: 5 } },
    });
    expect(created).toMatchObject({ change: 'created', version: 1, layoutSaved: true });
    workflowId = created.workflowId;
    v1Id = created.versionId;
    const layout = { extract: { x: 0, y: 0 }, load: { x: 0, y: 120 } };
    expect((await api.workflows.get({ teamId, workflow: 'drawn' })).currentVersion?.layout).toEqual(
      layout,
    );
    expect((await api.versions.get({ versionId: v1Id })).layout).toEqual(layout);
  });

  it('moving nodes only: unchanged, same version, layout updated in place, audited', async () => {
    const moved = await api.workflows.applyDefinition({
      teamId,
      text: TWO_TASKS,
      layout: { extract: { x: -12.5, y: 40 }, load: { x: 300, y: 40 } },
    });
    expect(moved).toMatchObject({
      change: 'unchanged',
      version: 1,
      versionId: v1Id,
      layoutSaved: true,
    });
    expect((await api.versions.list({ workflowId })).map((v) => v.version)).toEqual([1]);
    expect((await api.versions.get({ versionId: v1Id })).layout).toEqual({
      extract: { x: -12.5, y: 40 },
      load: { x: 300, y: 40 },
    });
    const { rows } = await w.pool.query(
      `SELECT summary FROM audit_logs WHERE team_id = $1 AND action = 'workflow.apply'
        ORDER BY created_at DESC, id DESC LIMIT 1`,
      [teamId],
    );
    expect(rows[0].summary).toEqual({
      name: 'drawn',
      change: 'unchanged',
      version: 1,
      layoutSaved: true,
    });

    // The file applied again without a layout (CLI, API) keeps the editor's positions.
    const cli = await api.workflows.applyDefinition({ teamId, text: TWO_TASKS });
    expect(cli).toMatchObject({ change: 'unchanged', layoutSaved: false });
    expect((await api.versions.get({ versionId: v1Id })).layout).toMatchObject({
      load: { x: 300, y: 40 },
    });
  });

  it('a changed definition gets a new version with its own layout; the old keeps its', async () => {
    const updated = await api.workflows.applyDefinition({
      teamId,
      text: THREE_TASKS,
      layout: { extract: { x: 0, y: 0 }, load: { x: 200, y: 0 }, report: { x: 400, y: 0 } },
    });
    expect(updated).toMatchObject({ change: 'updated', version: 2, layoutSaved: true });
    const got = await api.workflows.get({ teamId, workflow: workflowId });
    expect(got.currentVersion).toMatchObject({
      id: updated.versionId,
      layout: { extract: { x: 0, y: 0 }, load: { x: 200, y: 0 }, report: { x: 400, y: 0 } },
    });
    expect((await api.versions.get({ versionId: v1Id })).layout).toEqual({
      extract: { x: -12.5, y: 40 },
      load: { x: 300, y: 40 },
    });
  });

  it('returns a null layout for a version saved without one', async () => {
    const plain = await api.workflows.applyDefinition({
      teamId,
      text: 'name: plain\ntasks:\n  a: { kind: noop }\n',
    });
    expect(plain.layoutSaved).toBe(false);
    expect((await api.workflows.get({ teamId, workflow: 'plain' })).currentVersion?.layout).toBe(
      null,
    );
    expect((await api.versions.get({ versionId: plain.versionId })).layout).toBe(null);
  });

  it('refuses bad layouts with the path and a reason, storing nothing', async () => {
    const apply = (layout: unknown) =>
      api.workflows.applyDefinition({
        teamId,
        text: THREE_TASKS,
        layout: layout as Record<string, { x: number; y: number }>,
      });
    expect(await issuesOf(apply({ '1st': { x: 0, y: 0 }, 'a b': { x: 0, y: 0 } }))).toEqual([
      {
        path: 'layout.1st',
        message: expect.stringMatching(/^invalid task id "1st": use up to 64 letters/),
      },
      { path: 'layout.a b', message: expect.stringMatching(/^invalid task id "a b"/) },
    ]);
    expect(
      await issuesOf(
        apply({
          extract: { x: Number.NaN, y: Number.POSITIVE_INFINITY },
          load: { x: 1e7 + 1, y: -2e7 },
          report: { x: 1 },
        }),
      ),
    ).toEqual([
      { path: 'layout.extract.x', message: 'must be a finite number' },
      { path: 'layout.extract.y', message: 'must be a finite number' },
      { path: 'layout.load.x', message: 'must be between -10000000 and 10000000' },
      { path: 'layout.load.y', message: 'must be between -10000000 and 10000000' },
      { path: 'layout.report.y', message: 'required' },
    ]);
    expect(await issuesOf(apply({ extract: 'left' }))).toEqual([
      { path: 'layout.extract', message: 'must be an object { x, y }' },
    ]);
    expect(await issuesOf(apply([{ x: 0, y: 0 }]))).toEqual([
      { path: 'layout', message: 'must be an object of task id → { x, y }' },
    ]);
    const tooMany = Object.fromEntries(
      Array.from({ length: MAX_LAYOUT_ENTRIES + 1 }, (_, i) => [`t${i}`, { x: i, y: 0 }]),
    );
    expect(await issuesOf(apply(tooMany))).toEqual([
      { path: 'layout', message: `has 10001 entries, at most 10000 allowed` },
    ]);
    // Refused before anything was saved: still version 2 with its layout.
    const got = await api.workflows.get({ teamId, workflow: 'drawn' });
    expect(got.currentVersion).toMatchObject({ version: 2, layout: { report: { x: 400, y: 0 } } });
  });

  it('says what is wrong over HTTP too', async () => {
    const editor = await userActor(w, teamId, 'editor');
    const handler = createFetchHandler({ createContext: async () => contextFor(w, editor) });
    const res = await handler(
      new Request('http://localhost/api/trpc/workflows.applyDefinition', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          json: { teamId, text: TWO_TASKS, layout: { extract: { x: 0, y: 1e9 } } },
        }),
      }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { json: { message: string; data: unknown } } };
    expect(body.error.json.message).toBe(
      'invalid input: layout.extract.y: must be between -10000000 and 10000000',
    );
    expect(body.error.json.data).toMatchObject({
      issues: [{ path: 'layout.extract.y', message: 'must be between -10000000 and 10000000' }],
    });
  });
});

describe('workflows.list for the list page', () => {
  it('gives recent runs newest first (10 at most), next fire, schedule count; filters by tag', async () => {
    const team = await newTeam(w);
    const viewer = callerFor(w, await userActor(w, team.id, 'viewer'));
    const editor = callerFor(w, await userActor(w, team.id, 'editor'));
    const busy = await editor.workflows.applyDefinition({
      teamId: team.id,
      text: 'name: busy\ntags: [Finance, nightly]\ntasks:\n  a: { kind: noop }\n',
    });
    await editor.workflows.applyDefinition({
      teamId: team.id,
      text: 'name: idle\ntags: [finance-eu]\ntasks:\n  a: { kind: noop }\n',
    });
    const runs = [];
    for (let i = 0; i < 12; i++) runs.push(await queuedRun(w, team.id, 'busy'));
    // Distinct creation instants, run 1 oldest, whatever the clock's resolution.
    await w.pool.query(
      `UPDATE workflow_runs SET created_at = '2026-06-01T00:00:00Z'::timestamptz + number * interval '1 second'
        WHERE workflow_id = $1`,
      [busy.workflowId],
    );
    const one = await newSchedule(w, { id: team.id, workflowId: busy.workflowId });
    await newSchedule(w, { id: team.id, workflowId: busy.workflowId });
    await editor.schedules.pause({ teamId: team.id, scheduleId: one });

    const { items } = await viewer.workflows.list({ teamId: team.id });
    expect(items.map((x) => x.name)).toEqual(['busy', 'idle']);
    const [b, idle] = items;
    expect(b!.recentRuns.map((r) => r.number)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(b!.recentRuns[0]).toEqual({
      id: runs[11]!.id,
      number: 12,
      status: runs[11]!.status,
      createdAt: new Date('2026-06-01T00:00:12Z'),
    });
    expect(b!.lastRun).toEqual(b!.recentRuns[0]);
    expect(b!.scheduleCount).toBe(2);
    const { rows } = await w.pool.query<{ next: Date }>(
      'SELECT next_fire_at AS next FROM schedules WHERE workflow_id = $1 AND enabled',
      [busy.workflowId],
    );
    expect(rows).toHaveLength(1);
    expect(b!.nextFireAt).toEqual(rows[0]!.next);
    expect(idle).toMatchObject({
      recentRuns: [],
      lastRun: null,
      nextFireAt: null,
      scheduleCount: 0,
    });

    const tagged = async (tag: string) =>
      (await viewer.workflows.list({ teamId: team.id, tag })).items.map((x) => x.name);
    expect(await tagged('finance')).toEqual(['busy']);
    expect(await tagged(' FINANCE-EU ')).toEqual(['idle']);
    expect(await tagged('fin')).toEqual([]);
  });
});
