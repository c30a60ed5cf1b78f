/**
 * The data model's behaviour in a real database, through the generated Prisma client (driver
 * adapter, no native engine) and through raw SQL the way the engine's hot paths use it: ids and
 * defaults, the uniqueness rules the product relies on, and what deleting things does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPrismaClient,
  Prisma,
  TeamRole,
  TriggerKind,
  type PrismaClient,
} from '../src/client';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  db = await createTestDatabase('schema');
  prisma = createPrismaClient(db.url, { max: 4 });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}-${Date.now().toString(36)}`;

/** A team with a workflow, its first version and one run with two tasks (a → b). */
async function seedRun() {
  const user = await prisma.user.create({
    data: { email: `${unique('u')}@example.com`, name: 'U' },
  });
  const team = await prisma.team.create({
    data: {
      slug: unique('team'),
      name: 'Team',
      memberships: { create: { userId: user.id, role: 'owner' } },
    },
  });
  const workflow = await prisma.workflow.create({
    data: { teamId: team.id, name: unique('wf'), tags: ['etl', 'nightly'], createdById: user.id },
  });
  const version = await prisma.workflowVersion.create({
    data: {
      workflowId: workflow.id,
      version: 1,
      definition: { tasks: [] },
      contentHash: 'a'.repeat(64),
    },
  });
  await prisma.workflow.update({
    where: { id: workflow.id },
    data: { currentVersionId: version.id, latestVersionNumber: 1 },
  });
  const run = await prisma.workflowRun.create({
    data: {
      teamId: team.id,
      workflowId: workflow.id,
      workflowVersionId: version.id,
      number: 1,
      triggerKind: 'manual',
      triggeredById: user.id,
      tasksTotal: 2,
      tasks: {
        create: [
          { taskKey: 'a', kind: 'shell', downstreamKeys: ['b'] },
          { taskKey: 'b', kind: 'shell', upstreamTotal: 1, upstreamPending: 1 },
        ],
      },
    },
    include: { tasks: true },
  });
  return { user, team, workflow, version, run };
}

describe('the Prisma client over the pg driver adapter', () => {
  it('creates rows with database-generated ids and defaults', async () => {
    const { team, workflow, run } = await seedRun();
    expect(team.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(workflow.paused).toBe(false);
    expect(workflow.nextRunNumber).toBe(1);
    expect(run.status).toBe('queued');
    expect(run.params).toEqual({});
    expect(run.tasks.map((t) => [t.taskKey, t.status, t.pool, t.triggerRule])).toEqual([
      ['a', 'pending', 'default', 'all_success'],
      ['b', 'pending', 'default', 'all_success'],
    ]);
  });

  it('reads relations (include) and runs interactive transactions', async () => {
    const { workflow } = await seedRun();
    const number = await prisma.$transaction(async (tx) => {
      const w = await tx.workflow.update({
        where: { id: workflow.id },
        data: { nextRunNumber: { increment: 1 } },
      });
      return w.nextRunNumber - 1;
    });
    expect(number).toBe(1);
    const found = await prisma.workflow.findUniqueOrThrow({
      where: { id: workflow.id },
      include: { currentVersion: true, runs: { include: { tasks: true } } },
    });
    expect(found.currentVersion?.version).toBe(1);
    expect(found.runs[0]?.tasks).toHaveLength(2);
  });

  it('gives raw-SQL inserts ids and defaults too (the engine hot paths use raw SQL)', async () => {
    const { run } = await seedRun();
    const rows = await prisma.$queryRaw<{ id: string; status: string; created_at: Date }[]>`
      INSERT INTO task_runs (run_id, task_key, kind) VALUES (${run.id}::uuid, 'raw', 'http')
      RETURNING id, status::text, created_at`;
    expect(rows[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows[0]!.status).toBe('pending');
    expect(rows[0]!.created_at).toBeInstanceOf(Date);
  });

  it('streams log chunks by a growing bigint id', async () => {
    const { run } = await seedRun();
    const task = run.tasks[0]!;
    const attempt = await prisma.taskAttempt.create({
      data: { taskRunId: task.id, runId: run.id, attemptNumber: 1 },
    });
    const chunk = (seq: number) => ({
      attemptId: attempt.id,
      taskRunId: task.id,
      runId: run.id,
      seq,
      firstLine: seq * 2,
      lineCount: 2,
      bytes: 8,
      text: 'one\ntwo',
      lineMeta: [{ t: '2026-01-01T00:00:00.000Z', s: 'stdout' }],
    });
    const first = await prisma.logChunk.create({ data: chunk(0) });
    const second = await prisma.logChunk.create({ data: chunk(1) });
    expect(typeof first.id).toBe('bigint');
    expect(second.id > first.id).toBe(true);
    const after = await prisma.logChunk.findMany({
      where: { runId: run.id, id: { gt: first.id } },
    });
    expect(after.map((c) => c.seq)).toEqual([1]);
    await expect(prisma.logChunk.create({ data: chunk(1) })).rejects.toMatchObject({
      code: 'P2002',
    });
  });
});

describe('uniqueness rules', () => {
  it('one workflow name per team; one version number per workflow', async () => {
    const { team, workflow } = await seedRun();
    await expect(
      prisma.workflow.create({ data: { teamId: team.id, name: workflow.name } }),
    ).rejects.toMatchObject({ code: 'P2002' });
    await expect(
      prisma.workflowVersion.create({
        data: { workflowId: workflow.id, version: 1, definition: {}, contentHash: 'b'.repeat(64) },
      }),
    ).rejects.toMatchObject({ code: 'P2002' });
  });

  it('run idempotency keys are unique per workflow, and runs without a key are unconstrained', async () => {
    const { team, workflow, version } = await seedRun();
    const base = {
      teamId: team.id,
      workflowId: workflow.id,
      workflowVersionId: version.id,
      triggerKind: TriggerKind.api,
    };
    await prisma.workflowRun.create({ data: { ...base, number: 2, idempotencyKey: 'k' } });
    await expect(
      prisma.workflowRun.create({ data: { ...base, number: 3, idempotencyKey: 'k' } }),
    ).rejects.toMatchObject({ code: 'P2002' });
    await prisma.workflowRun.create({ data: { ...base, number: 4 } });
    await prisma.workflowRun.create({ data: { ...base, number: 5 } });
    // Run numbers are unique per workflow.
    await expect(prisma.workflowRun.create({ data: { ...base, number: 5 } })).rejects.toMatchObject(
      {
        code: 'P2002',
      },
    );
  });

  it('event idempotency keys are unique per team; events without a key are not deduplicated', async () => {
    const { team } = await seedRun();
    await prisma.event.create({
      data: { teamId: team.id, name: 'order.paid', idempotencyKey: 'e1' },
    });
    await expect(
      prisma.event.create({ data: { teamId: team.id, name: 'order.paid', idempotencyKey: 'e1' } }),
    ).rejects.toMatchObject({ code: 'P2002' });
    await prisma.event.create({ data: { teamId: team.id, name: 'order.paid' } });
    await prisma.event.create({ data: { teamId: team.id, name: 'order.paid' } });
    const other = await prisma.team.create({ data: { slug: unique('other'), name: 'Other' } });
    await prisma.event.create({
      data: { teamId: other.id, name: 'order.paid', idempotencyKey: 'e1' },
    });
  });

  it('one membership per user and team; Auth.js account pairs are unique', async () => {
    const { user, team } = await seedRun();
    await expect(
      prisma.membership.create({ data: { teamId: team.id, userId: user.id, role: 'viewer' } }),
    ).rejects.toMatchObject({ code: 'P2002' });
    const account = {
      userId: user.id,
      type: 'oauth',
      provider: 'github',
      providerAccountId: unique('gh'),
    };
    await prisma.account.create({ data: account });
    await expect(prisma.account.create({ data: account })).rejects.toMatchObject({ code: 'P2002' });
    // The compound key the Auth.js Prisma adapter looks accounts up by.
    const found = await prisma.account.findUnique({
      where: {
        provider_providerAccountId: {
          provider: 'github',
          providerAccountId: account.providerAccountId,
        },
      },
    });
    expect(found?.userId).toBe(user.id);
  });
});

describe('deleting', () => {
  it('a team removes everything it owns, runs, tasks, attempts and logs included', async () => {
    const { team, run } = await seedRun();
    const task = run.tasks[0]!;
    const attempt = await prisma.taskAttempt.create({
      data: { taskRunId: task.id, runId: run.id, attemptNumber: 1 },
    });
    await prisma.logChunk.create({
      data: {
        attemptId: attempt.id,
        taskRunId: task.id,
        runId: run.id,
        seq: 0,
        firstLine: 0,
        lineCount: 1,
        bytes: 1,
        text: 'x',
        lineMeta: [],
      },
    });
    await prisma.secret.create({
      data: { teamId: team.id, name: 'TOKEN', ciphertext: new Uint8Array([1, 2, 3]), keyId: 'k1' },
    });
    await prisma.team.delete({ where: { id: team.id } });
    expect(await prisma.workflowRun.count({ where: { id: run.id } })).toBe(0);
    expect(await prisma.taskRun.count({ where: { runId: run.id } })).toBe(0);
    expect(await prisma.taskAttempt.count({ where: { runId: run.id } })).toBe(0);
    expect(await prisma.logChunk.count({ where: { runId: run.id } })).toBe(0);
    expect(await prisma.secret.count({ where: { teamId: team.id } })).toBe(0);
  });

  it('a workflow version that runs pinned cannot be deleted on its own', async () => {
    const { version } = await seedRun();
    await expect(prisma.workflowVersion.delete({ where: { id: version.id } })).rejects.toThrow();
  });

  it('a user leaves history behind: runs they started stay, without them', async () => {
    const { user, run } = await seedRun();
    await prisma.user.delete({ where: { id: user.id } });
    const after = await prisma.workflowRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(after.triggeredById).toBeNull();
  });

  it('a schedule leaves its runs behind', async () => {
    const { team, workflow, version } = await seedRun();
    const schedule = await prisma.schedule.create({
      data: { teamId: team.id, workflowId: workflow.id, name: 'hourly', cron: '0 * * * *' },
    });
    expect(schedule).toMatchObject({
      timezone: 'UTC',
      overlapPolicy: 'skip',
      catchupPolicy: 'latest',
      source: 'ui',
    });
    const run = await prisma.workflowRun.create({
      data: {
        teamId: team.id,
        workflowId: workflow.id,
        workflowVersionId: version.id,
        number: 9,
        triggerKind: 'schedule',
        scheduleId: schedule.id,
        logicalDate: new Date('2026-01-01T00:00:00Z'),
      },
    });
    await prisma.schedule.delete({ where: { id: schedule.id } });
    expect(
      (await prisma.workflowRun.findUniqueOrThrow({ where: { id: run.id } })).scheduleId,
    ).toBeNull();
  });
});

describe('enums', () => {
  // RunStatus, TaskStatus, AttemptStatus and TriggerKind: enums-match-core.test.ts.
  it('team roles, strongest first', () => {
    expect(Object.values(TeamRole)).toEqual(['owner', 'admin', 'editor', 'viewer']);
  });

  it('the Prisma namespace is exported for typed errors', () => {
    expect(typeof Prisma.PrismaClientKnownRequestError).toBe('function');
  });
});
