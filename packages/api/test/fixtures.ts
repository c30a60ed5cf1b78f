/**
 * A small world for API tests on a real database: teams with a workflow (two versions), an ended
 * failed run with a logged attempt, a secret; users and API tokens of every role; a worker.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseWorkflowText } from '@dtss/core';
import { TRPCError } from '@trpc/server';
import {
  appendLogChunk,
  claimTask,
  completeAttempt,
  createApiToken,
  createBackfill,
  createSchedule,
  createWebhookTrigger,
  createPool,
  createPrismaClient,
  createRun,
  putSecret,
  registerWorker,
  saveWorkflowVersion,
  type Pool,
  type PrismaClient,
  type TeamRole,
} from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import type { Actor } from '../src/actor';
import { createCaller } from '../src/root';
import type { ApiContext } from '../src/trpc';

export const SECRETS_KEY = randomBytes(32).toString('base64');
export const TEST_IP = '203.0.113.7';

export interface World {
  db: TestDatabase;
  pool: Pool;
  prisma: PrismaClient;
  close(): Promise<void>;
}

export async function openWorld(label: string): Promise<World> {
  const db = await createTestDatabase(label);
  const pool = createPool(db.url, { applicationName: 'api-test', max: 8 });
  const prisma = createPrismaClient(db.url, { pool });
  return {
    db,
    pool,
    prisma,
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await db.drop();
    },
  };
}

export function contextFor(w: World, actor: Actor | null): ApiContext {
  return {
    pool: w.pool,
    prisma: w.prisma,
    actor,
    ip: TEST_IP,
    secretsKey: SECRETS_KEY,
    eventsPerMinute: 1000,
  };
}

export function callerFor(w: World, actor: Actor | null) {
  return createCaller(contextFor(w, actor));
}

const uniq = () => randomBytes(4).toString('hex');

export function workflowYaml(name: string, description = 'first'): string {
  return `name: ${name}\ndescription: ${description}\nparams:\n  n:\n    type: integer\n    default: 1\ntasks:\n  a:\n    kind: noop\n  b:\n    kind: noop\n    needs: [a]\n`;
}

export async function newTeam(w: World): Promise<{ id: string; slug: string }> {
  const slug = `t-${uniq()}`;
  const { rows } = await w.pool.query<{ id: string }>(
    'INSERT INTO teams (slug, name) VALUES ($1, $1) RETURNING id',
    [slug],
  );
  return { id: rows[0]!.id, slug };
}

export async function newUser(w: World, email = `u-${uniq()}@example.test`) {
  const { rows } = await w.pool.query<{ id: string }>(
    'INSERT INTO users (email) VALUES ($1) RETURNING id',
    [email],
  );
  return { id: rows[0]!.id, email };
}

export async function addMember(w: World, teamId: string, userId: string, role: TeamRole) {
  await w.pool.query('INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, $3)', [
    teamId,
    userId,
    role,
  ]);
}

export async function userActor(w: World, teamId: string, role: TeamRole): Promise<Actor> {
  const user = await newUser(w);
  await addMember(w, teamId, user.id, role);
  return { type: 'user', userId: user.id, email: user.email };
}

export async function tokenActor(w: World, teamId: string, role: TeamRole): Promise<Actor> {
  const { info } = await createApiToken(w.pool, {
    teamId,
    name: `tok-${role}`,
    role,
    createdById: null,
  });
  return { type: 'token', tokenId: info.id, teamId, role, userId: null };
}

export async function applyWorkflow(w: World, teamId: string, name: string, description = 'first') {
  const parsed = parseWorkflowText(workflowYaml(name, description), { format: 'yaml' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return saveWorkflowVersion(w.prisma, { teamId, definition: parsed.workflow });
}

export async function queuedRun(w: World, teamId: string, workflow: string) {
  return (await createRun(w.pool, { teamId, workflow: { name: workflow } })).run;
}

/** A run whose first task failed (one attempt, with log lines) and whose second was skipped. */
export async function failedRun(w: World, teamId: string, workflow: string) {
  const run = await queuedRun(w, teamId, workflow);
  const { rows } = await w.pool.query<{ id: string }>(
    `SELECT id FROM task_runs WHERE run_id = $1 AND task_key = 'a'`,
    [run.id],
  );
  const claimed = await claimTask(w.pool, rows[0]!.id, null);
  if (!claimed) throw new Error('could not claim task a');
  const now = new Date().toISOString();
  await appendLogChunk(w.pool, {
    attemptId: claimed.attemptId,
    taskRunId: claimed.taskRunId,
    runId: run.id,
    seq: 0,
    firstLine: 0,
    lines: ['starting', 'ERROR: disk full', 'bye'],
    meta: [
      { t: now, s: 'stdout' },
      { t: now, s: 'stderr' },
      { t: now, s: 'stdout' },
    ],
  });
  await completeAttempt(w.pool, {
    attemptId: claimed.attemptId,
    taskRunId: claimed.taskRunId,
    runId: run.id,
    outcome: 'failed',
    exitCode: 1,
    error: 'exit 1',
  });
  return run;
}

export interface TeamFixture {
  id: string;
  slug: string;
  workflowId: string;
  workflowName: string;
  versionIds: [string, string];
  failedRunId: string;
  secretName: string;
  scheduleId: string;
  backfillId: string;
  triggerId: string;
}

export async function teamFixture(w: World): Promise<TeamFixture> {
  const team = await newTeam(w);
  const name = `wf-${uniq()}`;
  const v1 = await applyWorkflow(w, team.id, name, 'first');
  const v2 = await applyWorkflow(w, team.id, name, 'second');
  const run = await failedRun(w, team.id, name);
  await putSecret(w.pool, {
    teamId: team.id,
    name: 'DB_PASSWORD',
    value: 's3cr3t-value',
    key: SECRETS_KEY,
  });
  const base = {
    ...team,
    workflowId: v1.workflowId,
    workflowName: name,
    versionIds: [v1.versionId, v2.versionId] as [string, string],
    failedRunId: run.id,
    secretName: 'DB_PASSWORD',
  };
  return {
    ...base,
    scheduleId: await newSchedule(w, base),
    backfillId: await newBackfill(w, base),
    triggerId: await newWebhook(w, base),
  };
}

/** A UI-made schedule of the team's workflow. */
export async function newSchedule(
  w: World,
  t: { id: string; workflowId: string },
): Promise<string> {
  const s = await createSchedule(w.pool, {
    teamId: t.id,
    workflowId: t.workflowId,
    name: `s-${uniq()}`,
    cron: '0 5 * * *',
    timezone: 'Europe/Berlin',
  });
  return s.id;
}

/** A running backfill of three hourly runs. */
export async function newBackfill(
  w: World,
  t: { id: string; workflowId: string },
): Promise<string> {
  const b = await createBackfill(w.pool, {
    teamId: t.id,
    workflowId: t.workflowId,
    cron: '0 * * * *',
    timezone: 'UTC',
    rangeStart: new Date('2026-01-01T00:00:00Z'),
    rangeEnd: new Date('2026-01-01T02:00:00Z'),
  });
  return b.id;
}

export async function newWorker(w: World): Promise<string> {
  const id = randomUUID();
  await registerWorker(w.pool, {
    id,
    name: `w-${uniq()}`,
    hostname: 'test-host',
    pid: 1,
    version: 'test',
    pools: ['default'],
    concurrency: 1,
  });
  return id;
}

/** A webhook trigger of the team's workflow. */
export async function newWebhook(w: World, t: { id: string; workflowId: string }): Promise<string> {
  const created = await createWebhookTrigger(
    w.pool,
    { teamId: t.id, workflowId: t.workflowId, name: `h-${uniq()}` },
    SECRETS_KEY,
  );
  return created.trigger.id;
}

/** A call's outcome as "ok", or its code and the paths of its input issues ("BAD_REQUEST from"). */
export async function outcomeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    const issues = (err.cause as { issues?: { path: PropertyKey[] }[] } | undefined)?.issues ?? [];
    return `${err.code} ${issues.map((i) => i.path.join('.')).join(',')}`;
  }
}
