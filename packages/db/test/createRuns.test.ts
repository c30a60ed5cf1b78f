import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NormalizedWorkflow } from '@dtss/core';
import {
  archiveWorkflow,
  createPool,
  createPrismaClient,
  createRun,
  createRuns,
  getRun,
  putSecret,
  RunRequestError,
  type CreateRunInput,
  type CreateRunResult,
  type Pool,
  type PrismaClient,
} from '../src';
import { deployWorkflow, driveRun } from './support/workflows';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamId: string;

const deploy = (yaml: string) => deployWorkflow(prisma, teamId, yaml);

const deployRaw = (yaml: string, change: (w: NormalizedWorkflow) => void) =>
  deployWorkflow(prisma, teamId, yaml, change);

function created(result: CreateRunResult | RunRequestError): CreateRunResult {
  if (result instanceof RunRequestError) throw result;
  return result;
}

/** Root task keys with a graphile job, per run. */
async function jobsOf(runId: string): Promise<string[]> {
  const { rows } = await pool.query<{ task_key: string }>(
    `SELECT t.task_key FROM graphile_worker._private_jobs j JOIN task_runs t ON j.key = 'task:' || t.id
      WHERE t.run_id = $1 ORDER BY t.task_key`,
    [runId],
  );
  return rows.map((r) => r.task_key);
}

async function taskStatuses(runId: string): Promise<Record<string, string>> {
  const view = (await getRun(pool, runId))!;
  return Object.fromEntries(view.tasks.map((t) => [t.key, t.status]));
}

const drive = (runId: string) => driveRun(pool, runId);

beforeAll(async () => {
  db = await createTestDatabase('create_runs');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { max: 2 });
  teamId = (await prisma.team.create({ data: { slug: 'b', name: 'B' } })).id;
  await deploy(`
name: diamond
params:
  n: { type: integer, default: 1 }
tasks:
  a: { kind: noop }
  b: { kind: noop, needs: [a] }
  c: { kind: noop, needs: [a] }
  d: { kind: noop, needs: [b, c] }
`);
  await deploy(`
name: pair
tasks:
  x: { kind: noop }
  y: { kind: noop }
  z: { kind: noop, needs: [x, y] }
`);
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

describe('createRuns', () => {
  it('creates runs of several workflows in one call, numbered consecutively per workflow', async () => {
    const first = await createRun(pool, { teamId, workflow: { name: 'diamond' } });
    const inputs: CreateRunInput[] = [
      { teamId, workflow: { name: 'diamond' }, params: { n: 2 } },
      { teamId, workflow: { name: 'pair' } },
      { teamId, workflow: { id: first.run.workflowId }, triggerKind: 'schedule' },
      { teamId, workflow: { name: 'pair' }, priority: 5 },
      { teamId, workflow: { name: 'diamond' } },
    ];
    const results = (await createRuns(pool, inputs)).map(created);
    expect(results.every((r) => r.created && r.run.status === 'running')).toBe(true);
    expect(new Set(results.map((r) => r.run.id)).size).toBe(5);
    const n = first.run.number;
    expect([0, 2, 4].map((i) => results[i]!.run.number)).toEqual([n + 1, n + 2, n + 3]);
    expect([1, 3].map((i) => results[i]!.run.number)).toEqual([1, 2]);
    // The next run of each workflow continues the numbering.
    expect((await createRun(pool, { teamId, workflow: { name: 'pair' } })).run.number).toBe(3);

    const view = (await getRun(pool, results[0]!.run.id))!;
    expect(view).toMatchObject({ status: 'running', params: { n: 2 }, triggerKind: 'manual' });
    expect((await getRun(pool, results[2]!.run.id))!.triggerKind).toBe('schedule');
    expect(await taskStatuses(results[0]!.run.id)).toEqual({
      a: 'queued',
      b: 'pending',
      c: 'pending',
      d: 'pending',
    });
    // Jobs exist for the root tasks only.
    expect(await jobsOf(results[0]!.run.id)).toEqual(['a']);
    expect(await jobsOf(results[1]!.run.id)).toEqual(['x', 'y']);
    const { rows } = await pool.query<{ priority: number }>(
      `SELECT j.priority FROM graphile_worker._private_jobs j JOIN task_runs t ON j.key = 'task:' || t.id
        WHERE t.run_id = $1`,
      [results[3]!.run.id],
    );
    expect(rows.map((r) => r.priority)).toEqual([-5, -5]);
    await drive(results[1]!.run.id);
    expect((await getRun(pool, results[1]!.run.id))!.status).toBe('succeeded');
    expect(await createRuns(pool, [])).toEqual([]);
  });

  it('gives one idempotency key one run: twice in a batch, after createRun, and concurrently', async () => {
    const [a, b, c] = await createRuns(pool, [
      { teamId, workflow: { name: 'diamond' }, idempotencyKey: 'batch-1' },
      { teamId, workflow: { name: 'diamond' }, idempotencyKey: 'batch-1' },
      { teamId, workflow: { name: 'pair' }, idempotencyKey: 'batch-1' },
    ]);
    expect(created(a!).created).toBe(true);
    expect(created(b!)).toEqual({ run: created(a!).run, created: false });
    // Keys are per workflow.
    expect(created(c!).created).toBe(true);

    const earlier = await createRun(pool, {
      teamId,
      workflow: { name: 'diamond' },
      idempotencyKey: 'single',
    });
    const [again, fresh] = (
      await createRuns(pool, [
        { teamId, workflow: { name: 'diamond' }, idempotencyKey: 'single' },
        { teamId, workflow: { name: 'diamond' }, idempotencyKey: 'other' },
      ])
    ).map(created);
    expect(again).toEqual({ run: earlier.run, created: false });
    // The existing key did not use up a number.
    expect(fresh!.run.number).toBe(earlier.run.number + 1);

    for (let round = 0; round < 5; round++) {
      const key = `race-${round}`;
      const input = { teamId, workflow: { name: 'diamond' }, idempotencyKey: key };
      const outcomes = await Promise.all([
        createRuns(pool, [input, { teamId, workflow: { name: 'pair' } }]).then((r) =>
          created(r[0]!),
        ),
        createRun(pool, input),
        createRuns(pool, [{ teamId, workflow: { name: 'pair' } }, input]).then((r) =>
          created(r[1]!),
        ),
      ]);
      expect(new Set(outcomes.map((o) => o.run.id)).size).toBe(1);
      expect(outcomes.filter((o) => o.created)).toHaveLength(1);
      const { rows } = await pool.query(`SELECT 1 FROM workflow_runs WHERE idempotency_key = $1`, [
        key,
      ]);
      expect(rows).toHaveLength(1);
    }
  });

  it('refuses bad inputs one by one, storing nothing for them, and creates the others', async () => {
    const archived = await deploy('name: old\ntasks:\n  a: { kind: noop }\n');
    await archiveWorkflow(pool, teamId, archived);
    await deploy(`
name: secretive
tasks:
  a: { kind: shell, command: 'true', secrets: { PW: db-pw } }
`);
    const runsBefore = await prisma.workflowRun.count();
    const results = await createRuns(pool, [
      { teamId, workflow: { name: 'nope' } },
      { teamId, workflow: { name: 'diamond' }, params: { n: 'x' } },
      { teamId, workflow: { name: 'pair' } },
      { teamId, workflow: { id: 'not-a-uuid' } },
      { teamId, workflow: { id: archived } },
      { teamId, workflow: { name: 'secretive' } },
      { teamId, workflow: { name: 'diamond' }, params: { n: 3 } },
    ]);
    const codes = results.map((r) => (r instanceof RunRequestError ? r.code : 'ok'));
    expect(codes).toEqual([
      'unknown_workflow',
      'invalid_params',
      'ok',
      'unknown_workflow',
      'archived_workflow',
      'missing_secrets',
      'ok',
    ]);
    // The same refusals as createRun's.
    for (const [i, input] of [
      [1, { teamId, workflow: { name: 'diamond' }, params: { n: 'x' } }],
      [5, { teamId, workflow: { name: 'secretive' } }],
    ] as const) {
      const single = await createRun(pool, input).catch((e: unknown) => e);
      expect(single).toEqual(results[i]);
      expect((single as RunRequestError).details).toEqual((results[i] as RunRequestError).details);
    }
    expect(await prisma.workflowRun.count()).toBe(runsBefore + 2);

    await putSecret(pool, {
      teamId,
      name: 'db-pw',
      value: 'x',
      key: randomBytes(32).toString('base64'),
    });
    const [ok] = await createRuns(pool, [{ teamId, workflow: { name: 'secretive' } }]);
    expect(created(ok!).run.status).toBe('running');
  });

  it('respects concurrency.maxRuns: runs beyond the free slots wait queued', async () => {
    await deploy(`
name: limited
concurrency: { maxRuns: 2 }
tasks:
  only: { kind: noop }
`);
    const first = await createRun(pool, { teamId, workflow: { name: 'limited' } });
    const results = (
      await createRuns(
        pool,
        [1, 2, 3].map(() => ({ teamId, workflow: { name: 'limited' } })),
      )
    ).map(created);
    expect(results.map((r) => r.run.status)).toEqual(['running', 'queued', 'queued']);
    expect(await jobsOf(results[1]!.run.id)).toEqual([]);
    expect(await taskStatuses(results[1]!.run.id)).toEqual({ only: 'pending' });
    // A slot frees: the oldest queued run starts.
    await drive(first.run.id);
    expect((await getRun(pool, results[1]!.run.id))!.status).toBe('running');
    expect((await getRun(pool, results[2]!.run.id))!.status).toBe('queued');
    for (const r of results) await drive(r.run.id);
    for (const r of results) expect((await getRun(pool, r.run.id))!.status).toBe('succeeded');
  });

  it('starts a run whose root is skipped at start the way createRun does', async () => {
    // The file format refuses such a root ("could never run"); a stored definition may still
    // have one, and createRun's startRun path decides it.
    await deployRaw(
      `
name: odd-roots
tasks:
  onfail: { kind: noop, needs: [main], trigger: all_failed }
  after: { kind: noop, needs: [onfail] }
  main: { kind: noop }
`,
      (w) => (w.tasks.onfail!.needs = []),
    );
    await deployRaw(
      `
name: only-odd
tasks:
  main: { kind: noop }
  onfail: { kind: noop, needs: [main], trigger: all_failed }
`,
      (w) => {
        delete w.tasks.main;
        w.tasks.onfail!.needs = [];
      },
    );
    const single = await createRun(pool, { teamId, workflow: { name: 'odd-roots' } });
    const [odd, plain, ended] = (
      await createRuns(pool, [
        { teamId, workflow: { name: 'odd-roots' } },
        { teamId, workflow: { name: 'pair' } },
        { teamId, workflow: { name: 'only-odd' } },
      ])
    ).map(created);
    expect(odd!.run.status).toBe(single.run.status);
    expect(await taskStatuses(odd!.run.id)).toEqual(await taskStatuses(single.run.id));
    expect(await taskStatuses(odd!.run.id)).toEqual({
      onfail: 'skipped',
      after: 'skipped',
      main: 'queued',
    });
    expect(await jobsOf(odd!.run.id)).toEqual(['main']);
    expect(plain!.run.status).toBe('running');
    // Everything skipped: the run ends in its creating transaction.
    expect(ended!.run.status).toBe('succeeded');
    expect((await getRun(pool, ended!.run.id))!.status).toBe('succeeded');
    await drive(odd!.run.id);
    expect((await getRun(pool, odd!.run.id))!.status).toBe('succeeded');
  });

  it('announces each run on dtss_run_events like createRun', async () => {
    await deploy(`
name: one-slot
concurrency: { maxRuns: 1 }
tasks:
  t: { kind: noop }
`);
    const wide = Array.from({ length: 150 }, (_, i) => `  root-task-number-${i}: { kind: noop }`);
    await deploy(`name: wide\ntasks:\n${wide.join('\n')}\n`);
    const listener = await pool.connect();
    const notices: { runId: string; changes: { task?: string; status: string }[] }[] = [];
    listener.on('notification', (m) => notices.push(JSON.parse(m.payload!)));
    await listener.query('LISTEN dtss_run_events');
    try {
      const [started, queued, odd, many] = (
        await createRuns(pool, [
          { teamId, workflow: { name: 'one-slot' } },
          { teamId, workflow: { name: 'one-slot' } },
          { teamId, workflow: { name: 'odd-roots' } },
          { teamId, workflow: { name: 'wide' } },
        ])
      ).map(created);
      await new Promise((r) => setTimeout(r, 100));
      const of = (id: string) => notices.filter((n) => n.runId === id).map((n) => n.changes);
      expect(of(started!.run.id)).toEqual([
        [{ status: 'queued' }, { status: 'running' }, { task: 't', status: 'queued' }],
      ]);
      expect(of(queued!.run.id)).toEqual([[{ status: 'queued' }]]);
      // Past the NOTIFY size cap: the run's own changes only, marked truncated.
      expect(notices.filter((n) => n.runId === many!.run.id)).toEqual([
        {
          runId: many!.run.id,
          truncated: true,
          changes: [{ status: 'queued' }, { status: 'running' }],
        },
      ]);
      expect(await jobsOf(many!.run.id)).toHaveLength(150);
      // startRun's notice: the run's changes, then its tasks' (in the order the rows changed).
      const [oddNotice, ...more] = of(odd!.run.id);
      expect(more).toEqual([]);
      expect(oddNotice!.slice(0, 2)).toEqual([{ status: 'queued' }, { status: 'running' }]);
      expect(oddNotice!.slice(2)).toHaveLength(3);
      expect(oddNotice!.slice(2)).toEqual(
        expect.arrayContaining([
          { task: 'onfail', status: 'skipped' },
          { task: 'main', status: 'queued' },
          { task: 'after', status: 'skipped' },
        ]),
      );
    } finally {
      await listener.query('UNLISTEN *');
      listener.release();
    }
  });
});
