/**
 * Reruns make a new run (trigger `rerun`, `parentRunId` = the original) on the SAME pinned version
 * and params. Tasks outside the rerun set are copied as succeeded with their outputs, so downstream
 * templates still read them; tasks inside it start fresh with upstream counters that already count
 * the copied tasks. One transaction, like createRun.
 */
import type { Pool } from '../../pool';
import { engineEvents } from '../../observe';
import { withTransaction } from '../../transaction';
import { notifyRunChanges } from './notify';
import { startRun } from './propagate';
import { hasFreeRunSlot, takeRunNumber } from './runSlots';
import { RunRequestError, type RunChange, type RunRef } from './types';
import { loadVersion } from './versionCache';

export type RerunScope =
  /** Every task that did not succeed, and everything downstream of those. */
  | { kind: 'failed' }
  /** One task, and (with `downstream`) every task downstream of it. */
  | { kind: 'task'; task: string; downstream: boolean };

export async function rerunRun(
  pool: Pool,
  parentRunId: string,
  scope: RerunScope,
  opts: { triggeredById?: string | null } = {},
): Promise<RunRef> {
  const parent = await pool.query<{
    team_id: string;
    workflow_id: string;
    workflow_version_id: string;
    status: string;
    params: unknown;
    logical_date: Date | null;
    priority: number;
  }>(
    `SELECT team_id, workflow_id, workflow_version_id, status, params, logical_date, priority
       FROM workflow_runs WHERE id = $1`,
    [parentRunId],
  );
  const run = parent.rows[0];
  if (!run) throw new RunRequestError('unknown_run', `no run ${parentRunId}`);
  if (run.status === 'queued' || run.status === 'running') {
    throw new RunRequestError(
      'run_active',
      `run ${parentRunId} is still ${run.status}: rerun it once it has ended`,
    );
  }
  const version = await loadVersion(pool, run.workflow_version_id);
  const tasks = version.definition.tasks;
  const previous = await pool.query<{ task_key: string; status: string; output: unknown }>(
    'SELECT task_key, status, output FROM task_runs WHERE run_id = $1',
    [parentRunId],
  );
  const before = new Map(previous.rows.map((r) => [r.task_key, r]));

  const downstream = new Map<string, string[]>();
  for (const [key, task] of Object.entries(tasks)) {
    for (const up of task.needs) downstream.set(up, [...(downstream.get(up) ?? []), key]);
  }
  const seeds =
    scope.kind === 'failed'
      ? Object.keys(tasks).filter((k) => before.get(k)?.status !== 'succeeded')
      : [scope.task];
  if (scope.kind === 'task' && !tasks[scope.task]) {
    throw new RunRequestError('unknown_task', `run ${parentRunId} has no task "${scope.task}"`);
  }
  if (seeds.length === 0) {
    throw new RunRequestError('nothing_to_rerun', `every task of run ${parentRunId} succeeded`);
  }
  const rerunSet = new Set(seeds);
  if (scope.kind === 'failed' || scope.downstream) {
    const stack = [...seeds];
    while (stack.length) {
      for (const next of downstream.get(stack.pop()!) ?? []) {
        if (!rerunSet.has(next)) {
          rerunSet.add(next);
          stack.push(next);
        }
      }
    }
  }

  const created = await withTransaction(pool, async (client) => {
    const number = await takeRunNumber(client, run.workflow_id);
    const mayStart = await hasFreeRunSlot(
      client,
      run.workflow_id,
      version.definition.concurrency.maxRuns,
    );
    const copied = Object.keys(tasks).filter((k) => !rerunSet.has(k));
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO workflow_runs (team_id, workflow_id, workflow_version_id, number, status,
                                  trigger_kind, triggered_by_id, parent_run_id, params,
                                  logical_date, priority, tasks_total, tasks_done)
       VALUES ($1, $2, $3, $4, 'queued', 'rerun', $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        run.team_id,
        run.workflow_id,
        run.workflow_version_id,
        number,
        opts.triggeredById ?? null,
        parentRunId,
        JSON.stringify(run.params),
        run.logical_date,
        run.priority,
        Object.keys(tasks).length,
        copied.length,
      ],
    );
    const runId = inserted.rows[0]!.id;
    await client.query(
      `INSERT INTO task_runs (run_id, task_key, status, kind, pool, priority, trigger_rule,
                              max_attempts, upstream_total, upstream_pending, upstream_succeeded,
                              downstream_keys, output, finished_at)
       SELECT $1, x.task_key, x.status::"TaskStatus", x.kind, x.pool, x.priority, x.trigger_rule,
              x.max_attempts, x.upstream_total, x.upstream_pending, x.upstream_succeeded,
              x.downstream_keys, x.output, CASE WHEN x.status = 'succeeded' THEN now() END
         FROM jsonb_to_recordset($2::jsonb) AS x(task_key text, status text, kind text, pool text,
              priority int, trigger_rule text, max_attempts int, upstream_total int,
              upstream_pending int, upstream_succeeded int, downstream_keys text[], output jsonb)`,
      [
        runId,
        JSON.stringify(
          Object.entries(tasks).map(([key, task]) => {
            const pending = task.needs.filter((n) => rerunSet.has(n)).length;
            return {
              task_key: key,
              status: rerunSet.has(key) ? 'pending' : 'succeeded',
              kind: task.kind,
              pool: task.pool,
              priority: task.priority + run.priority,
              trigger_rule: task.trigger,
              max_attempts: task.retries.maxAttempts,
              upstream_total: task.needs.length,
              upstream_pending: pending,
              upstream_succeeded: task.needs.length - pending,
              downstream_keys: downstream.get(key) ?? [],
              output: rerunSet.has(key) ? null : (before.get(key)?.output ?? null),
            };
          }),
        ),
      ],
    );
    const changes: RunChange[] = [{ status: 'queued' }];
    if (mayStart) changes.push(...(await startRun(client, runId)));
    await notifyRunChanges(client, runId, changes);
    const status = [...changes].reverse().find((c) => !c.task)!.status as RunRef['status'];
    return { id: runId, number, workflowId: run.workflow_id, status };
  });
  engineEvents.runsCreated('rerun', 1, [created.id]);
  return created;
}
