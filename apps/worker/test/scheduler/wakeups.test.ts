/**
 * The leader acts on changes when they happen, without polling: a new schedule, a run ending
 * (cross-workflow trigger, backfill slot), a new backfill. The periodic safety scans and the
 * schedule loop's longest sleep are set to a minute, so only NOTIFY can explain a quick reaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelRun,
  claimTask,
  completeAttempt,
  createBackfill,
  createRun,
  createSchedule,
} from '@dtss/db';
import { eventually, startTestbed, type SchedulerTestbed } from './harness';

let bed: SchedulerTestbed;

beforeAll(async () => {
  bed = await startTestbed('wakeups');
  bed.startScheduler({
    DTSS_SCHEDULER_MAX_SLEEP_MS: '60000',
    DTSS_SCHEDULER_SCAN_MS: '60000',
  });
  await eventually(() => bed.leader(), 20_000, 'a leader', bed.output);
  // Let the first passes (and their scans) finish before anything exists.
  await new Promise((r) => setTimeout(r, 500));
});
afterAll(async () => {
  await bed?.stop();
});

const runsWhere = async (sql: string, params: unknown[]) =>
  (
    await bed.pool.query<{ id: string; status: string }>(
      `SELECT id, status FROM workflow_runs WHERE ${sql}`,
      params,
    )
  ).rows;

describe('scheduler wake-ups', () => {
  it('a schedule created through the API fires at its first instant', async () => {
    const workflowId = await bed.deploy('name: api-made\ntasks:\n  a: { kind: noop }\n');
    const s = await createSchedule(bed.pool, {
      teamId: bed.teamId,
      workflowId,
      name: 'now',
      cron: '* * * * * *',
      overlapPolicy: 'allow_all',
    });
    const firstInstant = s.nextFireAt!.getTime();
    await eventually(
      async () => (await runsWhere('schedule_id = $1', [s.id])).length > 0,
      5_000,
      'the first run',
      bed.output,
    );
    const { rows } = await bed.pool.query<{ logical_date: Date; created_at: Date }>(
      `SELECT logical_date, created_at FROM workflow_runs WHERE schedule_id = $1 ORDER BY logical_date LIMIT 1`,
      [s.id],
    );
    expect(rows[0]!.logical_date.getTime()).toBe(firstInstant);
    await bed.pool.query(`UPDATE schedules SET enabled = false WHERE id = $1`, [s.id]);
  });

  it('an upstream run ending starts the downstream workflow at once', async () => {
    await bed.deploy('name: ingest\ntasks:\n  load: { kind: noop }\n');
    await bed.deploy(`
name: report
params:
  source: { type: string, required: true }
tasks:
  a: { kind: noop }
triggers:
  - name: after-ingest
    after: { workflow: ingest }
    params: { source: "{{ upstream_run.id }}" }
`);
    const { run } = await createRun(bed.pool, { teamId: bed.teamId, workflow: { name: 'ingest' } });
    const { rows } = await bed.pool.query<{ id: string }>(
      `SELECT id FROM task_runs WHERE run_id = $1`,
      [run.id],
    );
    const claimed = (await claimTask(bed.pool, rows[0]!.id, null))!;
    await completeAttempt(bed.pool, {
      attemptId: claimed.attemptId,
      taskRunId: claimed.taskRunId,
      runId: run.id,
      outcome: 'succeeded',
    });
    const [downstream] = await eventually(
      async () => {
        const r = await runsWhere('upstream_run_id = $1', [run.id]);
        return r.length ? r : null;
      },
      5_000,
      'the downstream run',
      bed.output,
    );
    const { rows: p } = await bed.pool.query(`SELECT params FROM workflow_runs WHERE id = $1`, [
      downstream!.id,
    ]);
    expect(p[0].params).toEqual({ source: run.id });
  });

  it('a backfill starts at once and takes the next instant as soon as a run ends', async () => {
    const workflowId = await bed.deploy('name: backfilled\ntasks:\n  a: { kind: noop }\n');
    const b = await createBackfill(bed.pool, {
      teamId: bed.teamId,
      workflowId,
      cron: '0 0 * * *',
      rangeStart: new Date('2026-01-01T00:00:00Z'),
      rangeEnd: new Date('2026-01-03T00:00:00Z'),
      maxConcurrency: 1,
    });
    for (let i = 1; i <= 3; i++) {
      const runs = await eventually(
        async () => {
          const r = await runsWhere('backfill_id = $1', [b.id]);
          return r.length === i ? r : null;
        },
        5_000,
        `backfill run ${i}`,
        bed.output,
      );
      expect(runs.filter((r) => r.status === 'queued' || r.status === 'running')).toHaveLength(1);
      for (const r of runs) await cancelRun(bed.pool, r.id);
    }
    await eventually(
      async () => {
        const { rows } = await bed.pool.query(`SELECT status FROM backfills WHERE id = $1`, [b.id]);
        return rows[0].status !== 'running';
      },
      5_000,
      'the backfill to end',
      bed.output,
    );
  });
});
