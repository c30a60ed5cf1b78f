/** Workflows, versions, runs and logs through the API: behaviour, not only access. */
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/actor';
import {
  callerFor,
  failedRun,
  newTeam,
  openWorld,
  userActor,
  workflowYaml,
  type World,
} from './fixtures';

let w: World;
let teamId: string;
let api: ReturnType<typeof callerFor>;
let editor: Actor;

beforeAll(async () => {
  w = await openWorld('wfruns');
  teamId = (await newTeam(w)).id;
  editor = await userActor(w, teamId, 'editor');
  api = callerFor(w, editor);
});

afterAll(async () => {
  await w?.close();
});

async function codeOf(p: Promise<unknown>): Promise<{ code: string; issues: unknown }> {
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

describe('workflows', () => {
  it('applyDefinition says created, updated, unchanged; get and exportYaml show the text', async () => {
    const a = await api.workflows.applyDefinition({ teamId, text: workflowYaml('etl', 'one') });
    expect(a).toMatchObject({ change: 'created', version: 1, name: 'etl' });
    const b = await api.workflows.applyDefinition({ teamId, text: workflowYaml('etl', 'one') });
    expect(b).toMatchObject({ change: 'unchanged', version: 1 });
    const c = await api.workflows.applyDefinition({ teamId, text: workflowYaml('etl', 'two') });
    expect(c).toMatchObject({ change: 'updated', version: 2 });

    const got = await api.workflows.get({ teamId, workflow: 'etl' });
    expect(got.currentVersion?.version).toBe(2);
    expect(got.currentVersion?.definitionText).toContain('description: two');
    expect((await api.workflows.get({ teamId, workflow: a.workflowId })).name).toBe('etl');

    const v1 = await api.workflows.exportYaml({ teamId, workflow: 'etl', version: 1 });
    expect(v1.yaml).toContain('description: one');

    const versions = await api.versions.list({ workflowId: a.workflowId });
    expect(versions.map((v) => [v.version, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    const diff = await api.versions.diff({
      fromVersionId: versions[1]!.id,
      toVersionId: versions[0]!.id,
    });
    expect(diff.identical).toBe(false);
    expect(diff.diff).toContain('--- etl@v1');
    expect(diff.diff).toContain('-description: one');
    expect(diff.diff).toContain('+description: two');
  });

  it('lists with search and archives', async () => {
    await api.workflows.applyDefinition({ teamId, text: workflowYaml('billing-sync') });
    const found = await api.workflows.list({ teamId, search: 'BILL' });
    expect(found.items.map((x) => x.name)).toEqual(['billing-sync']);
    await api.workflows.archive({ workflowId: found.items[0]!.id });
    expect((await api.workflows.list({ teamId, search: 'bill' })).items).toEqual([]);
    expect(
      (await api.workflows.list({ teamId, search: 'bill', includeArchived: true })).items,
    ).toHaveLength(1);
    expect(await codeOf(api.runs.trigger({ teamId, workflow: 'billing-sync' }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('refuses invalid definitions with paths, and validate reports them without storing', async () => {
    const bad = 'name: broken\ntasks:\n  a:\n    kind: shell\n';
    const res = await codeOf(api.workflows.applyDefinition({ teamId, text: bad }));
    expect(res.code).toBe('BAD_REQUEST');
    expect(res.issues).toEqual([
      expect.objectContaining({ path: expect.stringMatching(/^tasks\.a/) }),
    ]);
    const v = await api.workflows.validate({ text: bad });
    expect(v.ok).toBe(false);
    expect((await api.workflows.list({ teamId, search: 'broken' })).items).toEqual([]);
  });
});

describe('team selection', () => {
  it('takes a team slug instead of an id; a foreign or unknown slug is not found', async () => {
    const { rows } = await w.pool.query('SELECT slug FROM teams WHERE id = $1', [teamId]);
    const slug = rows[0].slug as string;
    expect((await api.workflows.list({ teamSlug: slug })).items.length).toBeGreaterThan(0);
    const other = await newTeam(w);
    expect((await codeOf(api.workflows.list({ teamSlug: other.slug }))).code).toBe('NOT_FOUND');
    expect((await codeOf(api.workflows.list({ teamSlug: 'no-such-team' }))).code).toBe('NOT_FOUND');
    expect((await codeOf(api.workflows.list({ teamSlug: slug, teamId: other.id }))).code).toBe(
      'BAD_REQUEST',
    );
    expect((await codeOf(api.workflows.list({}))).code).toBe('BAD_REQUEST');
  });
});

describe('runs', () => {
  it('trigger validates params (paths) and maps unknown workflows to NOT_FOUND', async () => {
    await api.workflows.applyDefinition({ teamId, text: workflowYaml('jobs') });
    const bad = await codeOf(api.runs.trigger({ teamId, workflow: 'jobs', params: { n: 'x' } }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.issues).toEqual([expect.objectContaining({ path: 'params.n' })]);
    expect((await codeOf(api.runs.trigger({ teamId, workflow: 'nope' }))).code).toBe('NOT_FOUND');

    const one = await api.runs.trigger({ teamId, workflow: 'jobs', idempotencyKey: 'k1' });
    const again = await api.runs.trigger({ teamId, workflow: 'jobs', idempotencyKey: 'k1' });
    expect(one.created).toBe(true);
    expect(again).toMatchObject({ created: false, run: { id: one.run.id } });
    const view = await api.runs.get({ runId: one.run.id });
    expect(view.tasks.map((t) => t.key)).toEqual(['a', 'b']);
    expect(view.triggerKind).toBe('manual');
    // The run names its version (the run page draws that version's graph).
    const version = await api.versions.get({ versionId: view.versionId });
    expect(version.version).toBe(view.version);
    expect(version.definitionText).toContain('name: ');
    // Without its text (the run page draws the graph from the definition alone).
    const bare = await api.versions.get({ versionId: view.versionId, withText: false });
    expect(bare).not.toHaveProperty('definitionText');
    expect(bare.definition).toEqual(version.definition);
    // No successful run of the workflow yet: no history to forecast from.
    expect(await api.runs.history({ runId: one.run.id })).toEqual({
      runs: 0,
      runMedianMs: null,
      tasks: {},
    });
    expect((await codeOf(api.runs.history({ runId: one.run.id, limit: 0 }))).code).toBe(
      'BAD_REQUEST',
    );
    expect(await api.runs.cancel({ runId: one.run.id })).toMatchObject({ accepted: true });
  });

  it('lists with filters and keyset pagination', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await api.runs.trigger({ teamId, workflow: 'jobs' })).run.id);
    const seen: string[] = [];
    let cursor: { createdAt: Date; id: string } | null = null;
    do {
      const page: Awaited<ReturnType<typeof api.runs.list>> = await api.runs.list({
        teamId,
        workflow: 'jobs',
        limit: 2,
        cursor,
      });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
    const cancelled = await api.runs.list({ teamId, status: ['cancelled'] });
    expect(cancelled.items.every((r) => r.status === 'cancelled')).toBe(true);
    expect(cancelled.items.length).toBeGreaterThan(0);
    const future = await api.runs.list({ teamId, from: new Date(Date.now() + 3600_000) });
    expect(future.items).toEqual([]);
    const scheduled = await api.runs.list({ teamId, triggerKind: ['schedule'] });
    expect(scheduled.items).toEqual([]);
  });

  it('reruns the failed part or one task, and pages and searches logs', async () => {
    const run = await failedRun(w, teamId, 'jobs');
    const rerun = await api.runs.rerun({ runId: run.id, mode: 'failed' });
    expect(rerun.id).not.toBe(run.id);
    const single = await api.runs.rerun({ runId: run.id, mode: { task: 'a', downstream: false } });
    expect((await api.runs.get({ runId: single.id })).triggerKind).toBe('rerun');
    expect(
      (await codeOf(api.runs.rerun({ runId: run.id, mode: { task: 'zzz', downstream: true } })))
        .code,
    ).toBe('BAD_REQUEST');

    const page = await api.logs.attempt({ runId: run.id, task: 'a', attempt: 1 });
    expect(page.lines.map((l) => l.text)).toEqual(['starting', 'ERROR: disk full', 'bye']);
    const next = await api.logs.attempt({
      runId: run.id,
      task: 'a',
      attempt: 1,
      cursor: page.nextCursor,
    });
    expect(next.lines).toEqual([]);
    expect((await codeOf(api.logs.attempt({ runId: run.id, task: 'a', attempt: 9 }))).code).toBe(
      'NOT_FOUND',
    );
    const hits = await api.logs.search({ runId: run.id, query: 'disk' });
    expect(hits.hits).toEqual([
      expect.objectContaining({
        task: 'a',
        attempt: 1,
        line: 1,
        text: 'ERROR: disk full',
        stream: 'stderr',
      }),
    ]);
  });

  it('summarises metrics for the team', async () => {
    const m = await api.metrics.summary({ teamId, bucket: 'minute' });
    expect(m.runsByStatus.reduce((n, r) => n + r.count, 0)).toBe(m.endedRuns);
    expect(m.endedRuns).toBeGreaterThan(0);
    expect(m.successRate).toBe(0);
    expect(m.taskThroughput.length).toBeGreaterThan(0);
    expect(m.queueDepth.queuedTasks).toBeGreaterThan(0);
    expect(typeof m.workersOnline).toBe('number');
  });
});
