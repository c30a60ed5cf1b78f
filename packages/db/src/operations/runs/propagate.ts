/**
 * How the end of tasks reaches the rest of the run: upstream counters, trigger rules, skips, the
 * run's own end, and the next queued run of the workflow. Shared by every operation that ends or
 * starts tasks (complete, cancel, start, rerun), always inside the caller's transaction.
 */
import { triggerRuleSql } from '@dtss/core';
import type { PoolClient } from '../../pool';
import { taskJobSpecSql } from './jobs';
import { noticePayload, notifyRunChanges } from './notify';
import { RUN_EVENTS_CHANNEL, type RunChange } from './types';

export type Outcome = 'succeeded' | 'failed' | 'skipped';

/**
 * Tells the downstream tasks that upstream tasks ended with `outcome`, level by level: each level
 * is one statement (decisionSql); the skipped tasks' own downstream tasks form the next level.
 * Returns how many were skipped.
 */
export async function propagate(
  client: PoolClient,
  runId: string,
  outcome: Outcome,
  downstreamKeys: string[],
  changes: RunChange[],
): Promise<number> {
  let skippedTotal = 0;
  let level: { outcome: Outcome; keys: string[] } | null =
    downstreamKeys.length > 0 ? { outcome, keys: downstreamKeys } : null;
  while (level) {
    const next = await applyLevel(client, level.outcome, [runId, level.keys], changes);
    skippedTotal += next.skipped;
    level = next.downstreamOfSkipped.length
      ? { outcome: 'skipped', keys: next.downstreamOfSkipped }
      : null;
  }
  return skippedTotal;
}

/** Runs one decision statement; records its changes; returns the skips and what they reach. */
async function applyLevel(
  client: PoolClient,
  bump: Outcome | 'start',
  params: unknown[],
  changes: RunChange[],
): Promise<{ skipped: number; downstreamOfSkipped: string[] }> {
  // A named (prepared) statement: the connection plans it once instead of on every completion.
  const { rows } = await client.query<{
    task_key: string;
    status: string;
    downstream_keys: string[];
  }>({ name: `dtss_decide_${bump}`, text: decisionSql(bump), values: params });
  let skipped = 0;
  const downstreamOfSkipped: string[] = [];
  for (const row of rows) {
    if (row.status === 'queued') changes.push({ task: row.task_key, status: 'queued' });
    if (row.status === 'skipped') {
      changes.push({ task: row.task_key, status: 'skipped' });
      skipped += 1;
      downstreamOfSkipped.push(...row.downstream_keys);
    }
  }
  return { skipped, downstreamOfSkipped };
}

const decisionSqlCache = new Map<Outcome | 'start', string>();

/**
 * One decision statement ($1 run): with an outcome ($2 keys, a key once per finished upstream), the
 * downstream tasks' counters are bumped and their rules decided (decideCtes); with 'start', every
 * pending task whose upstream tasks have all ended (a run's roots; more in a rerun).
 */
function decisionSql(bump: Outcome | 'start'): string {
  const cached = decisionSqlCache.get(bump);
  if (cached) return cached;
  const n = (outcome: Outcome) => (bump === outcome ? 'count(*)::int' : '0');
  const sql = `WITH ${
    bump === 'start'
      ? ''
      : `d AS (SELECT k, ${n('succeeded')} AS ns, ${n('failed')} AS nf, ${n('skipped')} AS nk
                FROM unnest($2::text[]) k GROUP BY k),`
  }
     ${decideCtes(bump !== 'start')}
     SELECT u.task_key, u.status, u.downstream_keys, (SELECT jobs FROM j) AS jobs FROM u`;
  decisionSqlCache.set(bump, sql);
  return sql;
}

/**
 * The CTEs `u` and `j` ($1 = run): decide pending tasks by their trigger rule in SQL (core's
 * triggerRuleSql, the same table as evaluateTriggerRule), move them to queued/skipped, and enqueue
 * the queued ones' jobs. With `bumped`, a CTE `d(k, ns, nf, nk)` comes first: per downstream task
 * key, how many of its upstream tasks just succeeded, failed and were skipped; their counters are
 * bumped and the rule decided from the new counts. Without, tasks with no pending upstream.
 *
 * With `bumped`, each downstream key is looked up alone (`dd`: one unique-index probe per key, a
 * LATERAL with OFFSET 0 so the planner cannot turn it into a join) and the update reaches its rows
 * by primary key: a generic plan joining on `run_id` may otherwise scan the whole run, making a
 * completion cost the size of the DAG instead of the task's out-degree.
 */
export function decideCtes(bumped: boolean): string {
  const plus = (column: string, n: string) => (bumped ? `(t.${column} + d.${n})` : `t.${column}`);
  const decision = triggerRuleSql({
    rule: 't.trigger_rule',
    total: 't.upstream_total',
    succeeded: plus('upstream_succeeded', 'ns'),
    failed: plus('upstream_failed', 'nf'),
    skipped: plus('upstream_skipped', 'nk'),
    pending: bumped ? '(t.upstream_pending - d.ns - d.nf - d.nk)' : 't.upstream_pending',
  });
  return `${
    bumped
      ? `dd AS (
       SELECT x.id, d.k, d.ns, d.nf, d.nk
         FROM d CROSS JOIN LATERAL (
                SELECT id FROM task_runs WHERE run_id = $1 AND task_key = d.k OFFSET 0) x),`
      : ''
  }
     u AS (
       UPDATE task_runs t
          SET ${
            bumped
              ? `upstream_pending = t.upstream_pending - d.ns - d.nf - d.nk,
                 upstream_succeeded = t.upstream_succeeded + d.ns,
                 upstream_failed = t.upstream_failed + d.nf,
                 upstream_skipped = t.upstream_skipped + d.nk,`
              : ''
          }
              status = CASE ${decision} WHEN 'ready' THEN 'queued' WHEN 'skip' THEN 'skipped'
                                        ELSE 'pending' END::"TaskStatus",
              queued_at = CASE WHEN ${decision} = 'ready' THEN now() ELSE t.queued_at END,
              finished_at = CASE WHEN ${decision} = 'skip' THEN now() ELSE t.finished_at END
         ${bumped ? 'FROM dd AS d' : ''}
        WHERE t.status = 'pending' AND ${
          bumped
            ? 't.id = ANY(ARRAY(SELECT id FROM dd)) AND t.id = d.id'
            : 't.run_id = $1 AND t.upstream_pending = 0'
        }
       RETURNING t.id, t.task_key, t.status, t.pool, t.priority, t.downstream_keys),
     j AS (
       SELECT CASE WHEN EXISTS (SELECT 1 FROM u WHERE u.status = 'queued') THEN
                (SELECT count(*) FROM graphile_worker.add_jobs(ARRAY(
                   SELECT ${taskJobSpecSql('u')} FROM u WHERE u.status = 'queued'))) END AS jobs)`;
}

/**
 * Adds ended tasks to the run's counters; when every task has ended, decides the run's status and
 * lets the next queued run of the workflow start (concurrency limit). Returns the run's new status
 * when it ended.
 */
export async function countTerminal(
  client: PoolClient,
  runId: string,
  done: number,
  failed: number,
  changes: RunChange[],
): Promise<string | null> {
  const { rows } = await client.query<RunCounted>(countTerminalSql('$1', '$2', '$3'), [
    runId,
    done,
    failed,
  ]);
  const run = rows[0];
  if (!run?.finished) return null;
  changes.push({ status: run.status as RunChange['status'] });
  await startNextQueuedRun(client, run.workflow_id);
  return run.status;
}

interface RunCounted {
  finished: boolean;
  status: string;
  workflow_id: string;
}

/**
 * The UPDATE that adds ended tasks to a run's counters and, when every task has ended, decides the
 * run's status. `done` and `failed` are SQL expressions; the statement returns whether it finished.
 */
export function runCounterUpdateSql(
  runId: string,
  done: string,
  failed: string,
  onlyIf = 'true',
): string {
  return `UPDATE workflow_runs
          SET tasks_done = tasks_done + ${done}, tasks_failed = tasks_failed + ${failed},
              status = CASE WHEN tasks_done + ${done} < tasks_total
                                 OR status NOT IN ('running', 'queued') THEN status
                            WHEN cancel_requested_at IS NOT NULL AND timeout_at <= cancel_requested_at
                              THEN 'timed_out'
                            WHEN cancel_requested_at IS NOT NULL THEN 'cancelled'
                            WHEN tasks_failed + ${failed} > 0 THEN 'failed'
                            ELSE 'succeeded' END::"RunStatus",
              finished_at = CASE WHEN tasks_done + ${done} >= tasks_total AND finished_at IS NULL
                                 THEN now() ELSE finished_at END
        WHERE id = ${runId} AND ${onlyIf}
       RETURNING tasks_done >= tasks_total AS finished, status, workflow_id`;
}

function countTerminalSql(runId: string, done: string, failed: string, notice?: string): string {
  return `WITH r AS (${runCounterUpdateSql(runId, done, failed)})${
    notice
      ? `,
     n AS (
       SELECT pg_notify('${RUN_EVENTS_CHANNEL}', (${notice}::jsonb || jsonb_build_object('changes',
                (${notice}::jsonb -> 'changes') || CASE WHEN r.finished
                  THEN jsonb_build_array(jsonb_build_object('status', r.status)) ELSE '[]' END))::text)
         FROM r)`
      : ''
  }
     SELECT r.finished, r.status, r.workflow_id${notice ? ', (SELECT count(*) FROM n) AS notified' : ''}
       FROM r`;
}

/**
 * The last statement of a completion: adds the ended tasks to the run's counters, announces the
 * changes, and COMMITs in the same round trip. Every completion of a run updates the run's row, so
 * this keeps that row locked only while the server executes it. Literal values (escaped) because a
 * multi-statement query cannot carry parameters.
 */
export async function countTerminalAndCommit(
  client: PoolClient,
  runId: string,
  done: number,
  failed: number,
  changes: RunChange[],
): Promise<{ finishedStatus: string | null; workflowId: string }> {
  if (!Number.isInteger(done) || !Number.isInteger(failed))
    throw new Error('counts must be integers');
  const notice = noticePayload(runId, changes);
  const sql = `${countTerminalSql(client.escapeLiteral(runId) + '::uuid', String(done), String(failed), client.escapeLiteral(notice))}; COMMIT`;
  const results = (await client.query(sql)) as unknown as { rows: RunCounted[] }[];
  const run = results[0]!.rows[0]!;
  if (run.finished) changes.push({ status: run.status as RunChange['status'] });
  return { finishedStatus: run.finished ? run.status : null, workflowId: run.workflow_id };
}

/**
 * Moves a run from `queued` to `running`: every pending task whose upstream tasks have all ended
 * (the roots of a fresh run; more in a rerun) is decided by its trigger rule. A run that ends right
 * away (no tasks, or everything skipped) is finished here.
 */
export async function startRun(client: PoolClient, runId: string): Promise<RunChange[]> {
  const started = await client.query(
    `UPDATE workflow_runs SET status = 'running', started_at = now()
      WHERE id = $1 AND status = 'queued' RETURNING id`,
    [runId],
  );
  if (!started.rowCount) return [];
  const changes: RunChange[] = [{ status: 'running' }];
  const first = await applyLevel(client, 'start', [runId], changes);
  let skipped = first.skipped;
  if (first.downstreamOfSkipped.length) {
    skipped += await propagate(client, runId, 'skipped', first.downstreamOfSkipped, changes);
  }
  await countTerminal(client, runId, skipped, 0, changes);
  return changes;
}

/** A run slot freed up: the oldest queued run of the workflow (highest priority first) starts. */
export async function startNextQueuedRun(client: PoolClient, workflowId: string): Promise<void> {
  // The same row lock createRun takes: a run queued concurrently is either seen here or sees the
  // freed slot itself.
  await client.query('SELECT 1 FROM workflows WHERE id = $1 FOR UPDATE', [workflowId]);
  // SKIP LOCKED: a queued run whose row someone else holds is being changed (cancelled, most
  // likely, by a transaction that will want this workflow's row next): waiting for it deadlocked.
  // The slot goes to the next one; should that change roll back, housekeeping starts it later.
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM workflow_runs WHERE workflow_id = $1 AND status = 'queued'
      ORDER BY priority DESC, created_at, number LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [workflowId],
  );
  const next = rows[0];
  if (!next) return;
  await notifyRunChanges(client, next.id, await startRun(client, next.id));
}
