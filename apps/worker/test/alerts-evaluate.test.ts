/**
 * The leader's alert evaluation, pass by pass, against a real database without a scheduler
 * process: deadlines, retried tasks, lost workers and pools without workers open one incident
 * each (however many passes see them) and resolve when the condition clears.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseWorkflowText, type AlertRuleSpec } from '@dtss/core';
import {
  claimTask,
  completeAttempt,
  createAlertChannel,
  createAlertRule,
  createPool,
  createPrismaClient,
  createRun,
  listIncidents,
  registerWorker,
  saveWorkflowVersion,
  setWorkerStatus,
  type Pool,
  type PrismaClient,
} from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluator } from '../src/alerts/evaluate';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let team: string;
let evaluator: AlertEvaluator;

const spec = (s: Partial<AlertRuleSpec> & Pick<AlertRuleSpec, 'name' | 'on'>): AlertRuleSpec => ({
  channels: ['hook'],
  enabled: true,
  statuses: [],
  retries: null,
  deadline: null,
  waitingMs: null,
  pool: null,
  ...s,
});

async function state(kind: string) {
  return (await listIncidents(pool, team)).filter((i) => i.kind === kind).map((i) => i.status);
}

async function finish(runId: string) {
  for (let guard = 0; guard < 10; guard++) {
    const { rows } = await pool.query<{ id: string; status: string }>(
      `SELECT id, status FROM task_runs WHERE run_id = $1 AND status IN ('queued', 'running')`,
      [runId],
    );
    if (rows.length === 0) return;
    for (const row of rows) {
      if (row.status === 'running') {
        await pool.query(`UPDATE task_runs SET status = 'queued' WHERE id = $1`, [row.id]);
      }
      const c = (await claimTask(pool, row.id, null))!;
      await completeAttempt(pool, {
        attemptId: c.attemptId,
        taskRunId: c.taskRunId,
        runId,
        outcome: 'succeeded',
      });
    }
  }
}

beforeAll(async () => {
  db = await createTestDatabase('alerts_eval');
  pool = createPool(db.url, { applicationName: 'test', max: 4 });
  prisma = createPrismaClient(db.url, { max: 2 });
  team = (await prisma.team.create({ data: { slug: 'ev', name: 'Ev' } })).id;
  const parsed = parseWorkflowText(
    `name: gpu-job\ntasks:\n  train: { kind: noop, pool: gpu-${randomBytes(2).toString('hex')} }\n`,
    { format: 'yaml' },
  );
  if (!parsed.ok) throw new Error('bad yaml');
  await saveWorkflowVersion(prisma, { teamId: team, definition: parsed.workflow });
  await createAlertChannel(pool, {
    teamId: team,
    name: 'hook',
    settings: { kind: 'webhook', url: 'http://127.0.0.1:9/x' },
    key: randomBytes(32).toString('base64'),
  });
  evaluator = new AlertEvaluator(pool, {
    publicUrl: null,
    lookbackMs: 60_000,
    overlapMs: 30_000,
    workerAliveMs: 10_000,
  });
});

afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

describe('alert evaluation', () => {
  it('a run past its deadline, a task retried too often, a starved pool; cleared when it ends', async () => {
    await createAlertRule(pool, {
      teamId: team,
      workflowId: null,
      spec: spec({
        name: 'late',
        on: 'deadline',
        deadline: { from: 'queued', afterMs: 0, runs: 10, factor: 1 },
      }),
    });
    await createAlertRule(pool, {
      teamId: team,
      workflowId: null,
      spec: spec({ name: 'flaky', on: 'task_retries', retries: 1 }),
    });
    await createAlertRule(pool, {
      teamId: team,
      workflowId: null,
      spec: spec({ name: 'starved', on: 'pool_starved', waitingMs: 1000 }),
    });
    const { run } = await createRun(pool, { teamId: team, workflow: { name: 'gpu-job' } });
    // The task waits in its pool (no worker serves it) for a minute already, on its third attempt.
    await pool.query(
      `UPDATE task_runs SET queued_at = now() - interval '1 minute', attempt_count = 3 WHERE run_id = $1`,
      [run.id],
    );
    await pool.query(
      `UPDATE workflow_runs SET status = 'running', started_at = now() WHERE id = $1`,
      [run.id],
    );

    for (let i = 0; i < 3; i++) await evaluator.pass(null);
    expect(await state('deadline')).toEqual(['open']);
    expect(await state('task_retries')).toEqual(['open']);
    expect(await state('pool_starved')).toEqual(['open']);
    const [late] = await listIncidents(pool, team, { runId: run.id });
    expect(late!.deliveries.map((d) => [d.channelName, d.event])).toEqual([['hook', 'opened']]);

    await finish(run.id);
    for (let i = 0; i < 2; i++) await evaluator.pass(null);
    expect(await state('deadline')).toEqual(['resolved']);
    expect(await state('task_retries')).toEqual(['resolved']);
    expect(await state('pool_starved')).toEqual(['resolved']);
    const incidents = await listIncidents(pool, team);
    for (const i of incidents) {
      expect(i.deliveries.map((d) => d.event).sort()).toEqual(['opened', 'resolved']);
    }
  });

  it('a lost worker serving the team opens an incident until it is back', async () => {
    await createAlertRule(pool, {
      teamId: team,
      workflowId: null,
      spec: spec({ name: 'lost', on: 'worker_lost' }),
    });
    const id = randomUUID();
    await registerWorker(pool, {
      id,
      name: 'w-1',
      hostname: 'h',
      pid: 1,
      version: 't',
      pools: ['default'],
      concurrency: 1,
    });
    await setWorkerStatus(pool, id, 'lost');
    await evaluator.pass(null);
    await evaluator.pass(null);
    expect(await state('worker_lost')).toEqual(['open']);
    await setWorkerStatus(pool, id, 'active');
    await evaluator.pass(null);
    expect(await state('worker_lost')).toEqual(['resolved']);
  });

  it('a new leader re-reading recent run ends opens and resolves nothing twice', async () => {
    await createAlertRule(pool, {
      teamId: team,
      workflowId: null,
      spec: spec({ name: 'fails', on: 'run_failed', statuses: ['failed', 'timed_out'] }),
    });
    const outcome = async (result: 'failed' | 'succeeded') => {
      const { run } = await createRun(pool, { teamId: team, workflow: { name: 'gpu-job' } });
      const { rows } = await pool.query<{ id: string }>(
        `SELECT id FROM task_runs WHERE run_id = $1`,
        [run.id],
      );
      const c = (await claimTask(pool, rows[0]!.id, null))!;
      await completeAttempt(pool, {
        attemptId: c.attemptId,
        taskRunId: c.taskRunId,
        runId: run.id,
        outcome: result,
      });
    };
    await outcome('failed');
    await evaluator.pass(null);
    await outcome('failed');
    await evaluator.pass(null);
    await outcome('succeeded');
    await outcome('failed');
    await evaluator.pass(null);
    const before = await listIncidents(pool, team);
    const failures = () => before.filter((i) => i.kind === 'run_failed').map((i) => i.status);
    // The first streak resolved by the success; the failure after it is a new incident.
    expect(failures()).toEqual(['open', 'resolved']);

    const successor = new AlertEvaluator(pool, {
      publicUrl: null,
      lookbackMs: 60_000,
      overlapMs: 30_000,
      workerAliveMs: 10_000,
    });
    expect(await successor.pass(null)).toEqual({ opened: 0, resolved: 0 });
    const after = await listIncidents(pool, team);
    expect(after.map((i) => [i.id, i.status, i.deliveries.length])).toEqual(
      before.map((i) => [i.id, i.status, i.deliveries.length]),
    );
  });
});
