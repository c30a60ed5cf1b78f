/**
 * The workers page's procedures: a member sees the workers serving the team's pools (default and
 * those its workflows name) and those pools' cluster-wide figures, an operator all of them; a
 * worker's attempts are per team (a worker serves every team), and a drain needs a worker still
 * running.
 */
import { randomUUID } from 'node:crypto';
import {
  claimTask,
  completeAttempt,
  createApiToken,
  createRun,
  registerWorker,
  saveWorkflowVersion,
  setWorkerStatus,
} from '@dtss/db';
import { parseWorkflowText } from '@dtss/core';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/actor';
import { createCaller } from '../src/root';
import {
  callerFor,
  contextFor,
  newWorker,
  openWorld,
  teamFixture,
  tokenActor,
  userActor,
  type TeamFixture,
  type World,
} from './fixtures';

let w: World;
let home: TeamFixture;
let foreign: TeamFixture;
let workerId: string;
let homeRun: string;
let foreignRun: string;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}

/** Runs every task of a new run of the team's workflow on the worker; the run's id. */
async function runOnWorker(team: TeamFixture): Promise<string> {
  const { run } = await createRun(w.pool, {
    teamId: team.id,
    workflow: { name: team.workflowName },
  });
  for (let guard = 0; guard < 10; guard++) {
    const { rows } = await w.pool.query<{ id: string }>(
      `SELECT id FROM task_runs WHERE run_id = $1 AND status = 'queued'`,
      [run.id],
    );
    if (!rows.length) break;
    for (const row of rows) {
      const c = (await claimTask(w.pool, row.id, workerId))!;
      await completeAttempt(w.pool, {
        attemptId: c.attemptId,
        taskRunId: c.taskRunId,
        runId: run.id,
        outcome: 'succeeded',
      });
    }
  }
  return run.id;
}

beforeAll(async () => {
  w = await openWorld('workers');
  home = await teamFixture(w);
  foreign = await teamFixture(w);
  workerId = await newWorker(w);
  homeRun = await runOnWorker(home);
  foreignRun = await runOnWorker(foreign);
});

afterAll(async () => {
  await w?.close();
});

describe('workers.attempts', () => {
  it("shows a member only their team's runs' attempts on a worker that served both teams", async () => {
    const viewer = await userActor(w, home.id, 'viewer');
    const seen = await callerFor(w, viewer).workers.attempts({ teamId: home.id, workerId });
    expect(seen.worker).toMatchObject({ id: workerId, status: 'active' });
    expect(seen.attempts.map((a) => a.runId)).toEqual([homeRun, homeRun]);
    expect(new Set(seen.attempts.map((a) => a.workflowName))).toEqual(new Set([home.workflowName]));
    expect(seen.attempts.map((a) => a.taskKey).sort()).toEqual(['a', 'b']);
    expect(JSON.stringify(seen)).not.toContain(foreign.workflowName);
    expect(JSON.stringify(seen)).not.toContain(foreignRun);

    const other = await userActor(w, foreign.id, 'viewer');
    const theirs = await callerFor(w, other).workers.attempts({ teamId: foreign.id, workerId });
    expect(theirs.attempts.map((a) => a.runId)).toEqual([foreignRun, foreignRun]);
  });

  it('is NOT_FOUND for a team one is not in, whoever asks, and for a worker that does not exist', async () => {
    const viewer = await userActor(w, home.id, 'viewer');
    expect(
      await codeOf(callerFor(w, viewer).workers.attempts({ teamId: foreign.id, workerId })),
    ).toBe('NOT_FOUND');
    const missing = callerFor(w, viewer).workers.attempts({
      teamId: home.id,
      workerId: randomUUID(),
    });
    await expect(missing).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'worker not found' });
  });

  it('refuses a worker id that is not an id, and a limit out of range, by field', async () => {
    const viewer = await userActor(w, home.id, 'viewer');
    const api = callerFor(w, viewer);
    expect(await codeOf(api.workers.attempts({ teamId: home.id, workerId: 'w-1' }))).toBe(
      'BAD_REQUEST',
    );
    expect(await codeOf(api.workers.attempts({ teamId: home.id, workerId, limit: 101 }))).toBe(
      'BAD_REQUEST',
    );
    const one = await api.workers.attempts({ teamId: home.id, workerId, limit: 1 });
    expect(one.attempts).toHaveLength(1);
  });
});

describe('workers.pools', () => {
  it("shows a member the team's pools only, each with its cluster-wide figures; operators every pool", async () => {
    const parsed = parseWorkflowText(
      'name: lonely\ntasks:\n  x: { kind: noop, pool: team-b-private }\n',
      {
        format: 'yaml',
      },
    );
    if (!parsed.ok) throw new Error('bad yaml');
    await saveWorkflowVersion(w.prisma, { teamId: foreign.id, definition: parsed.workflow });
    await createRun(w.pool, { teamId: foreign.id, workflow: { name: 'lonely' } });

    const homeViewer = await userActor(w, home.id, 'viewer');
    const seenHome = await callerFor(w, homeViewer).workers.pools({ teamId: home.id });
    expect(seenHome.pools.map((p) => p.name)).toEqual(['default']);
    expect(JSON.stringify(seenHome)).not.toContain('team-b-private');
    // `default` is every team's: served by the live worker, with the whole cluster's figures.
    expect(seenHome.pools[0]).toMatchObject({ known: true, workers: 1 });

    const foreignViewer = await userActor(w, foreign.id, 'viewer');
    const seenForeign = await callerFor(w, foreignViewer).workers.pools({ teamId: foreign.id });
    expect(seenForeign.pools.find((p) => p.name === 'team-b-private')).toMatchObject({
      known: false,
      waiting: 1,
      workers: 0,
    });

    const operator = (await userActor(w, home.id, 'viewer')) as Actor & { type: 'user' };
    const asOperator = await createCaller({
      ...contextFor(w, operator),
      operators: [operator.email],
    }).workers.pools({ teamId: home.id });
    expect(asOperator.pools.map((p) => p.name)).toContain('team-b-private');
  });
});

describe("workers of other teams' pools", () => {
  let gpuWorker: string;
  beforeAll(async () => {
    // The foreign team's workflow names a pool that a dedicated worker serves.
    const parsed = parseWorkflowText('name: train\ntasks:\n  fit: { kind: noop, pool: b-gpu }\n', {
      format: 'yaml',
    });
    if (!parsed.ok) throw new Error('bad yaml');
    await saveWorkflowVersion(w.prisma, { teamId: foreign.id, definition: parsed.workflow });
    gpuWorker = randomUUID();
    await registerWorker(w.pool, {
      id: gpuWorker,
      name: 'b-gpu-1',
      hostname: 'gpu-host.internal',
      pid: 7,
      version: 't',
      pools: ['b-gpu'],
      concurrency: 1,
    });
  });

  it('are hidden from a member whose team does not use their pools, and shown to its members', async () => {
    const homeViewer = await userActor(w, home.id, 'viewer');
    const api = callerFor(w, homeViewer);
    const listed = await api.workers.list({ teamId: home.id, scope: 'all' });
    expect(listed.map((x) => x.id)).toContain(workerId);
    expect(listed.map((x) => x.id)).not.toContain(gpuWorker);
    expect(JSON.stringify(listed)).not.toContain('gpu-host.internal');
    await expect(
      api.workers.attempts({ teamId: home.id, workerId: gpuWorker }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'worker not found' });

    const foreignViewer = await userActor(w, foreign.id, 'viewer');
    const theirs = callerFor(w, foreignViewer);
    expect((await theirs.workers.list({ teamId: foreign.id })).map((x) => x.id)).toContain(
      gpuWorker,
    );
    expect(
      (await theirs.workers.attempts({ teamId: foreign.id, workerId: gpuWorker })).worker,
    ).toMatchObject({ name: 'b-gpu-1' });
  });

  it('are shown to an operator, whatever team the page is for; a token counts with its creator', async () => {
    const operator = (await userActor(w, home.id, 'viewer')) as Actor & { type: 'user' };
    const api = createCaller({ ...contextFor(w, operator), operators: [operator.email] });
    expect((await api.workers.list({ teamId: home.id })).map((x) => x.id)).toContain(gpuWorker);
    expect((await api.workers.attempts({ teamId: home.id, workerId: gpuWorker })).attempts).toEqual(
      [],
    );

    const { info } = await createApiToken(w.pool, {
      teamId: home.id,
      name: 'ops',
      role: 'viewer',
      createdById: operator.userId,
    });
    const token: Actor = {
      type: 'token',
      tokenId: info.id,
      teamId: home.id,
      role: 'viewer',
      userId: operator.userId,
    };
    const byToken = createCaller({ ...contextFor(w, token), operators: [operator.email] });
    expect((await byToken.workers.list({})).map((x) => x.id)).toContain(gpuWorker);
    const plainToken = await tokenActor(w, home.id, 'viewer');
    const byPlain = createCaller({ ...contextFor(w, plainToken), operators: [operator.email] });
    expect((await byPlain.workers.list({})).map((x) => x.id)).not.toContain(gpuWorker);
  });

  it("show a member only the team's pools of a worker that serves others' too", async () => {
    const shared = randomUUID();
    await registerWorker(w.pool, {
      id: shared,
      name: 'shared-1',
      hostname: 'h',
      pid: 8,
      version: 't',
      pools: ['default', 'b-gpu'],
      concurrency: 2,
    });
    const viewer = await userActor(w, home.id, 'viewer');
    const seen = (await callerFor(w, viewer).workers.list({ teamId: home.id })).find(
      (x) => x.id === shared,
    );
    expect(seen).toMatchObject({ name: 'shared-1', pools: ['default'] });
    const theirs = await userActor(w, foreign.id, 'viewer');
    const seenByThem = (await callerFor(w, theirs).workers.list({ teamId: foreign.id })).find(
      (x) => x.id === shared,
    );
    expect(seenByThem?.pools).toEqual(['default', 'b-gpu']);
    await setWorkerStatus(w.pool, shared, 'stopped');
  });

  it('become visible to a team once its workflows name their pool', async () => {
    const viewer = await userActor(w, home.id, 'viewer');
    const api = callerFor(w, viewer);
    expect((await api.workers.list({ teamId: home.id })).map((x) => x.id)).not.toContain(gpuWorker);
    const parsed = parseWorkflowText('name: borrow\ntasks:\n  x: { kind: noop, pool: b-gpu }\n', {
      format: 'yaml',
    });
    if (!parsed.ok) throw new Error('bad yaml');
    await saveWorkflowVersion(w.prisma, { teamId: home.id, definition: parsed.workflow });
    expect((await api.workers.list({ teamId: home.id })).map((x) => x.id)).toContain(gpuWorker);
    expect((await api.workers.pools({ teamId: home.id })).pools.map((p) => p.name)).toContain(
      'b-gpu',
    );
    await w.prisma.workflow.updateMany({
      where: { teamId: home.id, name: 'borrow' },
      data: { archivedAt: new Date() },
    });
  });
});

describe('workers.list and workers.drain', () => {
  it('lists recently stopped workers in the recent scope, not in the online one', async () => {
    const viewer = await userActor(w, home.id, 'viewer');
    const stopped = await newWorker(w);
    await setWorkerStatus(w.pool, stopped, 'stopped');
    const api = callerFor(w, viewer);
    const recent = await api.workers.list({ teamId: home.id, scope: 'recent' });
    expect(recent.find((x) => x.id === stopped)).toMatchObject({ status: 'stopped' });
    const online = await api.workers.list({ teamId: home.id, onlineOnly: true });
    expect(online.map((x) => x.id)).not.toContain(stopped);
    expect(online.map((x) => x.id)).toContain(workerId);
  });

  it('refuses to drain a worker that has stopped (its row must not look alive again)', async () => {
    const operator = (await userActor(w, home.id, 'admin')) as Actor & { type: 'user' };
    const id = randomUUID();
    await registerWorker(w.pool, {
      id,
      name: 'gone',
      hostname: 'h',
      pid: 1,
      version: 't',
      pools: ['default'],
      concurrency: 1,
    });
    await setWorkerStatus(w.pool, id, 'stopped');
    const api = createCaller({ ...contextFor(w, operator), operators: [operator.email] });
    await expect(api.workers.drain({ teamId: home.id, workerId: id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const { rows } = await w.pool.query('SELECT status FROM workers WHERE id = $1', [id]);
    expect(rows[0].status).toBe('stopped');
  });
});
