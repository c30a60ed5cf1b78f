/**
 * Listing runs with filters and keyset pagination, and the lookups the API needs to authorize run
 * operations (the team of a run, the id of an attempt).
 */
import type { Pool } from '../pool';
import { pageOf, type TimeCursor } from './audit';
import { runFilterSql } from './runs/runFilter';
import type { RunStatus, TriggerKind } from './runs/types';

type Queryable = Pick<Pool, 'query'>;

export interface RunListFilters {
  /** Workflow id or name. */
  workflow?: string | null;
  statuses?: RunStatus[] | null;
  triggerKinds?: TriggerKind[] | null;
  /** Created at or after. */
  from?: Date | null;
  /** Created before. */
  to?: Date | null;
}

export interface RunListItem {
  id: string;
  number: number;
  workflowId: string;
  workflowName: string;
  version: number;
  status: RunStatus;
  triggerKind: TriggerKind;
  logicalDate: Date | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  tasksTotal: number;
  tasksDone: number;
  tasksFailed: number;
  error: string | null;
}

/** A team's runs, newest first, `limit` at a time; pass `nextCursor` back for the next page. */
export async function listRuns(
  db: Queryable,
  teamId: string,
  filters: RunListFilters,
  page: { limit: number; cursor?: TimeCursor | null },
): Promise<{ items: RunListItem[]; nextCursor: TimeCursor | null }> {
  const f = runFilterSql(teamId, filters);
  const n = f.params.length;
  const { rows } = await db.query<RunListItem>(
    `SELECT r.id, r.number, r.workflow_id AS "workflowId", w.name AS "workflowName", v.version,
            r.status, r.trigger_kind AS "triggerKind", r.logical_date AS "logicalDate",
            r.created_at AS "createdAt", r.started_at AS "startedAt",
            r.finished_at AS "finishedAt", r.tasks_total AS "tasksTotal",
            r.tasks_done AS "tasksDone", r.tasks_failed AS "tasksFailed", r.error
       FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id
       JOIN workflow_versions v ON v.id = r.workflow_version_id
      WHERE ${f.where}
        AND ($${n + 1}::timestamptz IS NULL
             OR (r.created_at, r.id) < ($${n + 1}::timestamptz, $${n + 2}::uuid))
      ORDER BY r.created_at DESC, r.id DESC
      LIMIT $${n + 3}`,
    [...f.params, page.cursor?.createdAt ?? null, page.cursor?.id ?? null, page.limit + 1],
  );
  return pageOf(rows, page.limit);
}

/** The team owning a run; null when there is no such run. */
export async function teamOfRun(db: Queryable, runId: string): Promise<string | null> {
  const { rows } = await db.query<{ team_id: string }>(
    'SELECT team_id FROM workflow_runs WHERE id = $1',
    [runId],
  );
  return rows[0]?.team_id ?? null;
}

/** The id of attempt `attempt` (1-based) of task `task` in a run; null when there is none. */
export async function findAttemptId(
  db: Queryable,
  runId: string,
  task: string,
  attempt: number,
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    // A lateral lookup per task, as in getRun: joined as a set, the view was read whole.
    `SELECT a.id FROM task_runs t
      CROSS JOIN LATERAL (SELECT id FROM task_attempts_all a
                           WHERE a.task_run_id = t.id AND a.attempt_number = $3 OFFSET 0) a
      WHERE t.run_id = $1 AND t.task_key = $2`,
    [runId, task, attempt],
  );
  return rows[0]?.id ?? null;
}

/** Records the API token that asked for a run (createRun knows users only). */
export async function setRunTriggeredByToken(
  db: Queryable,
  runId: string,
  tokenId: string,
): Promise<void> {
  await db.query('UPDATE workflow_runs SET triggered_by_token_id = $2 WHERE id = $1', [
    runId,
    tokenId,
  ]);
}
