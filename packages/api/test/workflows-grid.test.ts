/** workflows.runGrid: the workflow page's grid of recent runs × tasks, on a real database. */
import { readRunGrid } from '@dtss/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, newTeam, openWorld, userActor, type World } from './fixtures';

let w: World;
let team: { id: string; slug: string };
let api: ReturnType<typeof callerFor>;
let viewerApi: ReturnType<typeof callerFor>;

beforeAll(async () => {
  w = await openWorld('wfgrid');
  team = await newTeam(w);
  api = callerFor(w, await userActor(w, team.id, 'editor'));
  viewerApi = callerFor(w, await userActor(w, team.id, 'viewer'));
});

afterAll(async () => {
  await w?.close();
});

async function failure(p: Promise<unknown>): Promise<{ code: string; issues: unknown }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCError) {
      const cause = err.cause as { issues?: unknown } | undefined;
      return { code: err.code, issues: cause?.issues };
    }
    throw err;
  }
  return { code: 'ok', issues: undefined };
}

// Definition order is not graph order: `load` comes first but runs last.
const V1 = JSON.stringify({
  name: 'grid',
  tasks: {
    load: { kind: 'noop', needs: ['transform'] },
    transform: { kind: 'noop', needs: ['extract'] },
    extract: { kind: 'noop' },
    old_task: { kind: 'noop', needs: ['extract'] },
  },
});
// Version 2 drops old_task and adds report (downstream of load) and a second root.
const V2 = JSON.stringify({
  name: 'grid',
  tasks: {
    report: { kind: 'noop', needs: ['load'] },
    load: { kind: 'noop', needs: ['transform'] },
    transform: { kind: 'noop', needs: ['extract'] },
    extract: { kind: 'noop' },
    audit_everything: { kind: 'noop' },
  },
});

/** Sets a task run's status, timings (seconds after its run was created) and attempts. */
async function setTask(
  runId: string,
  key: string,
  status: string,
  opts: { start?: number; end?: number; attempts?: number } = {},
) {
  const { rowCount } = await w.pool.query(
    `UPDATE task_runs t
        SET status = $3::"TaskStatus",
            started_at = CASE WHEN $4::float8 IS NULL THEN NULL
                              ELSE r.created_at + make_interval(secs => $4) END,
            finished_at = CASE WHEN $5::float8 IS NULL THEN NULL
                               ELSE r.created_at + make_interval(secs => $5) END,
            attempt_count = $6
       FROM workflow_runs r
      WHERE r.id = t.run_id AND t.run_id = $1 AND t.task_key = $2`,
    [runId, key, status, opts.start ?? null, opts.end ?? null, opts.attempts ?? 0],
  );
  expect(rowCount).toBe(1);
}

describe('workflows.runGrid', () => {
  let workflowId: string;
  const runs: string[] = [];

  it('has runs oldest first, tasks in graph order (older versions’ tasks last) and one cell per task run', async () => {
    const v1 = await api.workflows.applyDefinition({ teamId: team.id, text: V1, format: 'json' });
    workflowId = v1.workflowId;
    // Nothing ran yet: the rows are the graph, no columns.
    expect(await viewerApi.workflows.runGrid({ teamSlug: team.slug, workflow: 'grid' })).toEqual({
      workflow: { id: workflowId, name: 'grid' },
      runs: [],
      // Within a layer, the stored definition's order (Postgres jsonb: shorter keys first).
      tasks: ['extract', 'old_task', 'transform', 'load'],
      cells: {},
    });

    runs.push((await api.runs.trigger({ teamId: team.id, workflow: 'grid' })).run.id);
    await api.workflows.applyDefinition({ teamId: team.id, text: V2, format: 'json' });
    runs.push((await api.runs.trigger({ teamId: team.id, workflow: 'grid' })).run.id);
    runs.push((await api.runs.trigger({ teamId: team.id, workflow: 'grid' })).run.id);
    const [r1, r2, r3] = runs as [string, string, string];

    await setTask(r1, 'extract', 'succeeded', { start: 1, end: 3.5, attempts: 1 });
    await setTask(r1, 'old_task', 'failed', { start: 4, end: 4.25, attempts: 3 });
    await setTask(r2, 'extract', 'succeeded', { start: 1, end: 2, attempts: 2 });
    await setTask(r2, 'transform', 'running', { start: 2, attempts: 1 });
    await setTask(r3, 'extract', 'skipped');

    const grid = await viewerApi.workflows.runGrid({ teamSlug: team.slug, workflow: 'grid' });
    expect(grid.workflow).toEqual({ id: workflowId, name: 'grid' });
    expect(grid.runs.map((r) => r.id)).toEqual([r1, r2, r3]);
    expect(grid.runs.map((r) => [r.number, r.version, r.triggerKind])).toEqual([
      [1, 1, 'manual'],
      [2, 2, 'manual'],
      [3, 2, 'manual'],
    ]);
    expect(grid.runs[0]).toMatchObject({ status: expect.any(String), createdAt: expect.any(Date) });
    // Roots first (extract, audit_everything), then each layer; old_task only run 1 has: last.
    expect(grid.tasks).toEqual([
      'extract',
      'audit_everything',
      'transform',
      'load',
      'report',
      'old_task',
    ]);
    expect(grid.cells[r1]).toEqual({
      extract: ['succeeded', 2500, 1],
      transform: ['pending', null, 0],
      load: ['pending', null, 0],
      old_task: ['failed', 250, 3],
    });
    expect(grid.cells[r2]).toMatchObject({
      extract: ['succeeded', 1000, 2],
      // Running: no end yet, so no duration.
      transform: ['running', null, 1],
      audit_everything: [expect.any(String), null, 0],
    });
    expect(grid.cells[r2]).not.toHaveProperty('old_task');
    expect(grid.cells[r3]!.extract).toEqual(['skipped', null, 0]);
    expect(Object.keys(grid.cells[r3]!).sort()).toEqual(
      ['audit_everything', 'extract', 'load', 'report', 'transform'].sort(),
    );
  });

  it('takes the workflow by id or name and keeps only the last `limit` runs', async () => {
    const byId = await api.workflows.runGrid({ teamId: team.id, workflow: workflowId, limit: 2 });
    expect(byId.runs.map((r) => r.id)).toEqual(runs.slice(1));
    expect(Object.keys(byId.cells).sort()).toEqual(runs.slice(1).sort());
    // Run 1, the only one with old_task, is out of the window: so is its row.
    expect(byId.tasks).not.toContain('old_task');
    const byName = await api.workflows.runGrid({ teamId: team.id, workflow: ' grid ', limit: 2 });
    expect(byName).toEqual(byId);
  });

  it('refuses bad input with the field and a sentence', async () => {
    for (const limit of [0, 101, 2.5]) {
      const res = await failure(
        api.workflows.runGrid({ teamId: team.id, workflow: 'grid', limit }),
      );
      expect(res.code).toBe('BAD_REQUEST');
      expect(res.issues).toEqual([
        expect.objectContaining({
          path: ['limit'],
          message: 'must be a whole number from 1 to 100',
        }),
      ]);
    }
    const empty = await failure(api.workflows.runGrid({ teamId: team.id, workflow: '  ' }));
    expect(empty).toEqual({
      code: 'BAD_REQUEST',
      issues: [
        expect.objectContaining({
          path: ['workflow'],
          message: "must be the workflow's name or id",
        }),
      ],
    });
    const missing = await failure(
      // @ts-expect-error the workflow is required
      api.workflows.runGrid({ teamId: team.id }),
    );
    expect(missing.code).toBe('BAD_REQUEST');
  });

  it('does not find unknown workflows or those of another team', async () => {
    expect((await failure(api.workflows.runGrid({ teamId: team.id, workflow: 'nope' }))).code).toBe(
      'NOT_FOUND',
    );
    const other = await newTeam(w);
    const otherApi = callerFor(w, await userActor(w, other.id, 'owner'));
    const foreign = await otherApi.workflows.applyDefinition({
      teamId: other.id,
      text: V1,
      format: 'json',
    });
    await otherApi.runs.trigger({ teamId: other.id, workflow: 'grid' });
    // Named under one's own team, by id: not found (not the other team's grid).
    expect(
      (await failure(api.workflows.runGrid({ teamId: team.id, workflow: foreign.workflowId })))
        .code,
    ).toBe('NOT_FOUND');
    // The other team itself: not a member.
    expect(
      (await failure(api.workflows.runGrid({ teamSlug: other.slug, workflow: 'grid' }))).code,
    ).toBe('NOT_FOUND');
    // Same name in both teams: each sees its own runs only.
    const mine = await api.workflows.runGrid({ teamId: team.id, workflow: 'grid' });
    expect(mine.workflow.id).toBe(workflowId);
    expect(mine.runs.map((r) => r.id)).toEqual(runs);
  });

  it('reads 50 runs × 500 tasks in two statements, whatever the size', async () => {
    const n = 500;
    const tasks = Object.fromEntries(
      Array.from({ length: n }, (_, i) => [
        `t${i}`,
        { kind: 'noop', ...(i > 0 ? { needs: [`t${Math.floor((i - 1) / 2)}`] } : {}) },
      ]),
    );
    const applied = await api.workflows.applyDefinition({
      teamId: team.id,
      text: JSON.stringify({ name: 'big', tasks }),
      format: 'json',
    });
    // Runs and task runs written directly: 25,000 task runs without the engine's bookkeeping.
    await w.pool.query(
      `WITH runs AS (
         INSERT INTO workflow_runs (team_id, workflow_id, workflow_version_id, number, status,
                                    trigger_kind, created_at, started_at, finished_at)
         SELECT $1, $2, $3, g, 'succeeded', 'schedule',
                now() - make_interval(mins => 60 - g), now() - make_interval(mins => 60 - g),
                now() - make_interval(mins => 59 - g)
           FROM generate_series(1, 50) g
         RETURNING id, created_at)
       INSERT INTO task_runs (run_id, task_key, kind, status, attempt_count, started_at, finished_at)
       SELECT r.id, 't' || i, 'noop', 'succeeded', 1, r.created_at,
              r.created_at + make_interval(secs => i / 100.0)
         FROM runs r CROSS JOIN generate_series(0, $4 - 1) i`,
      [team.id, applied.workflowId, applied.versionId, n],
    );

    let statements = 0;
    const counting = {
      query: ((...args: Parameters<typeof w.pool.query>) => {
        statements++;
        return (w.pool.query as (...a: unknown[]) => unknown)(...args);
      }) as typeof w.pool.query,
    };
    const started = performance.now();
    const grid = await readRunGrid(counting, team.id, { name: 'big' }, { limit: 50 });
    const ms = performance.now() - started;
    expect(statements).toBe(2);
    expect(grid!.runs).toHaveLength(50);
    expect(grid!.runs.map((r) => r.number)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(grid!.tasks).toHaveLength(n);
    expect(grid!.tasks.slice(0, 3)).toEqual(['t0', 't1', 't2']);
    const cells = Object.values(grid!.cells).reduce((s, c) => s + Object.keys(c).length, 0);
    expect(cells).toBe(50 * n);
    expect(grid!.cells[grid!.runs[0]!.id]!.t250).toEqual(['succeeded', 2500, 1]);
    // Generous: the statement itself takes tens of milliseconds.
    expect(ms).toBeLessThan(5_000);

    // Through the API, the default is the last 25 runs.
    const viaApi = await viewerApi.workflows.runGrid({ teamSlug: team.slug, workflow: 'big' });
    expect(viaApi.runs.map((r) => r.number)).toEqual(Array.from({ length: 25 }, (_, i) => i + 26));
  });
});
