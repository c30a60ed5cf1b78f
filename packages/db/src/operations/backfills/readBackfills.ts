// Backfill progress for the API and UI: counters, cursor, and runs by status.
import type { Pool, PoolClient } from '../../pool';
import {
  backfillRefSchema,
  listBackfillsInputSchema,
  parseBackfillInput,
  type BackfillRef,
  type BackfillView,
  type ListBackfillsInput,
} from './types';

const COLUMNS = `b.id, b.team_id AS "teamId", b.workflow_id AS "workflowId", w.name AS "workflowName",
  b.schedule_id AS "scheduleId", b.cron, b.timezone, b.range_start AS "rangeStart",
  b.range_end AS "rangeEnd", b.params, b.max_concurrency AS "maxConcurrency", b.status,
  b.total_runs AS "totalRuns", b.created_runs AS "createdRuns", b.cursor, b.error,
  b.created_at AS "createdAt", b.finished_at AS "finishedAt",
  COALESCE((SELECT jsonb_object_agg(status, n) FROM (
     SELECT r.status, count(*)::int AS n FROM workflow_runs r WHERE r.backfill_id = b.id
      GROUP BY r.status) c), '{}'::jsonb) AS "runsByStatus"`;

export async function getBackfill(pool: Pool, input: BackfillRef): Promise<BackfillView | null> {
  const { teamId, backfillId } = parseBackfillInput(backfillRefSchema, input);
  return readBackfill(pool, teamId, backfillId);
}

export async function readBackfill(
  db: Pool | PoolClient,
  teamId: string,
  backfillId: string,
): Promise<BackfillView | null> {
  const { rows } = await db.query<BackfillView>(
    `SELECT ${COLUMNS} FROM backfills b JOIN workflows w ON w.id = b.workflow_id
      WHERE b.team_id = $1 AND b.id = $2`,
    [teamId, backfillId],
  );
  return rows[0] ?? null;
}

export async function listBackfills(
  pool: Pool,
  input: ListBackfillsInput,
): Promise<BackfillView[]> {
  const i = parseBackfillInput(listBackfillsInputSchema, input);
  const { rows } = await pool.query<BackfillView>(
    `SELECT ${COLUMNS} FROM backfills b JOIN workflows w ON w.id = b.workflow_id
      WHERE b.team_id = $1 AND ($2::uuid IS NULL OR b.workflow_id = $2)
      ORDER BY b.created_at DESC LIMIT $3`,
    [i.teamId, i.workflowId ?? null, i.limit],
  );
  return rows;
}
