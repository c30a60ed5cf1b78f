/**
 * The grid of a workflow's recent runs × its tasks (the workflow page's grid view): every task
 * run of the last `limit` runs in one statement, plus the current version's task graph to order
 * the rows.
 */
import { topologicalLayers } from '@dtss/core';
import type { Pool } from '../../pool';
import type { WorkflowRef } from '../workflowQueries';
import type { RunStatus, TaskStatus, TriggerKind } from './types';

type Queryable = Pick<Pool, 'query'>;

export interface RunGridRun {
  id: string;
  number: number;
  status: RunStatus;
  triggerKind: TriggerKind;
  /** The version the run pinned (its number). */
  version: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** One task run: its status, started → finished in ms (null until both are known), attempts. */
export type RunGridCell = [status: TaskStatus, durationMs: number | null, attempts: number];

export interface RunGrid {
  workflow: { id: string; name: string };
  /** Columns: the runs, oldest first (newest on the right). */
  runs: RunGridRun[];
  /**
   * Rows: the current version's tasks in topological order (roots first; within a layer in the
   * stored definition's order), then tasks that only older runs have, newest runs' first.
   */
  tasks: string[];
  /** runId → task key → cell; a task a run does not have has no entry. */
  cells: Record<string, Record<string, RunGridCell>>;
}

/** The most runs one grid reads. */
export const RUN_GRID_MAX_RUNS = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The grid of one of the team's workflows (by id or name); null when the team has no such
 * workflow. Two statements whatever the size: the workflow with its current version's task graph,
 * then the last `limit` runs through workflow_runs(workflow_id, created_at DESC), each with its
 * task runs through task_runs(run_id, task_key), aggregated per run.
 */
export async function readRunGrid(
  db: Queryable,
  teamId: string,
  workflow: WorkflowRef,
  opts: { limit: number },
): Promise<RunGrid | null> {
  const limit = Math.max(1, Math.min(RUN_GRID_MAX_RUNS, Math.trunc(opts.limit)));
  const byId = 'id' in workflow;
  if (byId && !UUID.test(workflow.id)) return null;
  const wf = await db.query<{ id: string; name: string; graph: [string, unknown][] | null }>(
    `SELECT w.id, w.name,
            (SELECT json_agg(json_build_array(t.key, t.value->'needs') ORDER BY t.ord)
               FROM workflow_versions v,
                    jsonb_each(v.definition->'tasks') WITH ORDINALITY AS t(key, value, ord)
              WHERE v.id = w.current_version_id) AS graph
       FROM workflows w
      WHERE w.team_id = $1 AND ${byId ? 'w.id = $2::uuid' : 'w.name = $2'}`,
    [teamId, byId ? workflow.id : workflow.name],
  );
  const head = wf.rows[0];
  if (!head) return null;

  type Row = RunGridRun & {
    tasks: [key: string, status: TaskStatus, durationMs: number | null, attempts: number][];
  };
  const { rows } = await db.query<Row>(
    `SELECT r.id, r.number, r.status, r.trigger_kind AS "triggerKind", v.version,
            r.created_at AS "createdAt", r.started_at AS "startedAt", r.finished_at AS "finishedAt",
            coalesce((
              SELECT json_agg(json_build_array(
                       t.task_key, t.status,
                       CASE WHEN t.started_at IS NOT NULL AND t.finished_at IS NOT NULL
                            THEN greatest(0, round(extract(epoch FROM t.finished_at - t.started_at) * 1000))::bigint
                       END,
                       t.attempt_count)
                     ORDER BY t.created_at, t.task_key)
                FROM task_runs t WHERE t.run_id = r.id), '[]') AS tasks
       FROM (SELECT * FROM workflow_runs
              WHERE workflow_id = $1 AND team_id = $2
              ORDER BY created_at DESC, number DESC LIMIT $3) r
       JOIN workflow_versions v ON v.id = r.workflow_version_id
      ORDER BY r.created_at DESC, r.number DESC`,
    [head.id, teamId, limit],
  );

  const order = graphOrder(head.graph ?? []);
  const known = new Set(order);
  const extra: string[] = [];
  const cells: RunGrid['cells'] = {};
  // Newest first: a task that left the workflow sits where its latest runs had it.
  for (const row of rows) {
    const byKey: Record<string, RunGridCell> = {};
    for (const [key, status, durationMs, attempts] of row.tasks) {
      byKey[key] = [status, durationMs === null ? null : Number(durationMs), attempts];
      if (!known.has(key)) {
        known.add(key);
        extra.push(key);
      }
    }
    cells[row.id] = byKey;
  }
  return {
    workflow: { id: head.id, name: head.name },
    runs: rows.reverse().map(({ tasks: _tasks, ...run }) => run),
    tasks: [...order, ...extra],
    cells,
  };
}

/** Task keys roots first, layer by layer; the stored order if the graph cannot be layered. */
function graphOrder(graph: [string, unknown][]): string[] {
  const tasks: Record<string, { needs: string[] }> = {};
  for (const [key, needs] of graph) {
    tasks[key] = {
      needs: Array.isArray(needs) ? needs.filter((n): n is string => typeof n === 'string') : [],
    };
  }
  try {
    return topologicalLayers({ tasks }).flat();
  } catch {
    return Object.keys(tasks);
  }
}
