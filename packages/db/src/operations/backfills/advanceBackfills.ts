/**
 * The scheduler leader drives backfills: for each running one, create runs at the cursor until
 * maxConcurrency of its runs are active, and end it once every run exists and has ended.
 *
 * Each run is created before the cursor moves, with the idempotency key
 * `backfill:<id>:<instant>`; a leader dying in between leaves the cursor where it was and its
 * successor gets the same run back. The cursor only moves while the leader's lease is held and
 * the backfill is still running (a cancel stops it).
 */
import { cronFiresBetween } from '@dtss/core';
import type { Pool } from '../../pool';
import { cancelRun } from '../runs/cancelRun';
import { createRun } from '../runs/createRun';
import { RunRequestError } from '../runs/types';
import { cronSpec } from '../schedules/cronSpecs';
import { fenceCondition, holdsLease, type LeaderFence } from '../schedules/leaderFence';
import type { BackfillStatus } from './types';

interface BackfillRow {
  id: string;
  teamId: string;
  workflowId: string;
  cron: string;
  timezone: string;
  rangeEnd: Date;
  params: Record<string, unknown>;
  maxConcurrency: number;
  cursor: Date | null;
}

export interface BackfillProgress {
  backfillId: string;
  /** Runs created in this pass. */
  created: number;
  /** Set when the backfill ended in this pass. */
  finished: BackfillStatus | null;
}

export function backfillRunKey(backfillId: string, instant: Date): string {
  return `backfill:${backfillId}:${instant.toISOString()}`;
}

/** One pass over every running backfill. */
export async function advanceBackfills(
  pool: Pool,
  opts: { fence?: LeaderFence | null } = {},
): Promise<BackfillProgress[]> {
  if (!(await holdsLease(pool, opts.fence))) return [];
  const { rows } = await pool.query<BackfillRow>(
    `SELECT id, team_id AS "teamId", workflow_id AS "workflowId", cron, timezone,
            range_end AS "rangeEnd", params, max_concurrency AS "maxConcurrency", cursor
       FROM backfills WHERE status = 'running' ORDER BY created_at`,
  );
  const out: BackfillProgress[] = [];
  for (const b of rows) out.push(await advanceBackfill(pool, b, opts.fence ?? null));
  return out;
}

async function advanceBackfill(
  pool: Pool,
  b: BackfillRow,
  fence: LeaderFence | null,
): Promise<BackfillProgress> {
  const progress: BackfillProgress = { backfillId: b.id, created: 0, finished: null };
  let active = await countActive(pool, b.id);
  let cursor = b.cursor;
  while (cursor && active < b.maxConcurrency) {
    let runId: string;
    let runActive: boolean;
    try {
      const { run, created } = await createRun(pool, {
        teamId: b.teamId,
        workflow: { id: b.workflowId },
        params: b.params,
        triggerKind: 'backfill',
        logicalDate: cursor,
        idempotencyKey: backfillRunKey(b.id, cursor),
        backfillId: b.id,
      });
      runId = run.id;
      runActive = run.status === 'queued' || run.status === 'running';
      if (created) progress.created += 1;
    } catch (err) {
      if (!(err instanceof RunRequestError)) throw err;
      await endBackfill(
        pool,
        b.id,
        'failed',
        fence,
        `run for ${cursor.toISOString()}: ${err.message}`,
      );
      progress.finished = 'failed';
      return progress;
    }
    const next = cronFiresBetween(cronSpec(b.cron), b.timezone, cursor, b.rangeEnd, 1)[0] ?? null;
    const params: unknown[] = [b.id, cursor, next];
    const { rowCount } = await pool.query(
      `UPDATE backfills SET cursor = $3, created_runs = created_runs + 1, updated_at = now()
        WHERE id = $1 AND cursor = $2 AND status = 'running' AND ${fenceCondition(fence, params)}`,
      params,
    );
    if (!rowCount) {
      // Cancelled meanwhile: the run just created must not outlive the cancel.
      const { rows } = await pool.query<{ status: string }>(
        `SELECT status FROM backfills WHERE id = $1`,
        [b.id],
      );
      if (rows[0]?.status === 'cancelled') await cancelRun(pool, runId);
      return progress;
    }
    cursor = next;
    if (runActive) active += 1;
  }
  if (!cursor && active === 0) {
    const { rows } = await pool.query<{ failed: number }>(
      `SELECT count(*)::int AS failed FROM workflow_runs
        WHERE backfill_id = $1 AND status <> 'succeeded'`,
      [b.id],
    );
    const status = rows[0]!.failed > 0 ? 'failed' : 'succeeded';
    if (await endBackfill(pool, b.id, status, fence, null)) progress.finished = status;
  }
  return progress;
}

async function countActive(pool: Pool, backfillId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM workflow_runs
      WHERE backfill_id = $1 AND status IN ('queued', 'running')`,
    [backfillId],
  );
  return rows[0]!.n;
}

async function endBackfill(
  pool: Pool,
  backfillId: string,
  status: BackfillStatus,
  fence: LeaderFence | null,
  error: string | null,
): Promise<boolean> {
  const params: unknown[] = [backfillId, status, error];
  const { rowCount } = await pool.query(
    `UPDATE backfills SET status = $2, error = $3, cursor = NULL, finished_at = now(),
            updated_at = now()
      WHERE id = $1 AND status = 'running' AND ${fenceCondition(fence, params)}`,
    params,
  );
  return rowCount === 1;
}
