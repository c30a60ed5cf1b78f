/**
 * Creating a run is one transaction: the run row (pinned to the workflow's current version), one
 * task row per task with its upstream counters, and the jobs of the root tasks. Everything that
 * can be refused (unknown workflow, bad params, missing secrets) is refused before it starts.
 */
import type { Pool, PoolClient } from '../../pool';
import { withTransaction } from '../../transaction';
import { taskJobSpecSql } from './jobs';
import { notifyRunChanges } from './notify';
import { startRun } from './propagate';
import {
  checkParams,
  checkWorkflowRow,
  insertRunSql,
  insertTasksSql,
  isUuid,
  missingSecretsError,
  rootsReadyAtStart,
  runValues,
  taskRows,
  workflowRef,
  type WorkflowLookupRow,
  type WorkflowRow,
} from './runCreation';
import { hasFreeRunSlot, takeRunNumber } from './runSlots';
import {
  RUN_EVENTS_CHANNEL,
  type CreateRunInput,
  type CreateRunResult,
  type RunChange,
  type RunRef,
} from './types';
import { loadVersion } from './versionCache';
import { engineEvents } from '../../observe';

export async function createRun(pool: Pool, input: CreateRunInput): Promise<CreateRunResult> {
  const workflow = await findWorkflow(pool, input);
  const version = await loadVersion(pool, workflow.currentVersionId);
  const { definition } = version;

  const params = checkParams(definition, workflow.name, input.params);
  await assertSecretsExist(pool, input.teamId, version.secretNames);

  const tasks = taskRows(definition, input.priority ?? 0);
  // The run can start in the statement that inserts it; otherwise startRun decides.
  const rootsReady = rootsReadyAtStart(tasks);

  try {
    const result = await withTransaction(
      pool,
      async (client) => {
        const number = await takeRunNumber(client, workflow.id, { sendsBegin: true });
        if (input.idempotencyKey) {
          // Checked under the workflow lock, so a run committed by a concurrent request with the
          // same key is seen here. A plain read never waits on a run row that a completing
          // transaction holds, while the INSERT's unique check would (and could deadlock against
          // that transaction's own wait for this workflow's lock).
          const existing = await findByKey(client, workflow.id, input.idempotencyKey);
          if (existing) throw new ExistingRun(existing);
        }
        const mayStart = await hasFreeRunSlot(client, workflow.id, definition.concurrency.maxRuns);
        const values = runValues(input, workflow.id, version.id, number, params);
        if (mayStart && rootsReady) {
          const { rows } = await client.query<{ id: string }>({
            name: 'dtss_create_started_run',
            text: startedRunSql(),
            values: [...values, definition.runTimeoutMs, JSON.stringify(tasks)],
          });
          const run: RunRef = {
            id: rows[0]!.id,
            number,
            workflowId: workflow.id,
            status: 'running',
          };
          return { run, created: true };
        }
        const { rows } = await client.query<{ id: string }>(
          `WITH r AS (${insertRunSql('queued')} RETURNING id), t AS (${insertTasksSql('r', '$17')})
           SELECT r.id, (SELECT count(*) FROM t) AS tasks FROM r`,
          [...values, definition.runTimeoutMs, JSON.stringify(tasks)],
        );
        const runId = rows[0]!.id;
        const changes: RunChange[] = [{ status: 'queued' }];
        if (mayStart) changes.push(...(await startRun(client, runId)));
        await notifyRunChanges(client, runId, changes);
        const status = [...changes].reverse().find((c) => !c.task)!.status as RunRef['status'];
        const run: RunRef = { id: runId, number, workflowId: workflow.id, status };
        return { run, created: true };
      },
      { sendsBegin: true },
    );
    engineEvents.runsCreated(input.triggerKind ?? 'manual', 1, [result.run.id]);
    return result;
  } catch (err) {
    if (err instanceof ExistingRun) return { run: err.run, created: false };
    // Two requests with one idempotency key raced; the loser returns the winner's run.
    if (input.idempotencyKey && (err as { code?: string }).code === '23505') {
      const existing = await findByKey(pool, workflow.id, input.idempotencyKey);
      if (existing) return { run: existing, created: false };
    }
    throw err;
  }
}

let startedRunCache: string | null = null;

/**
 * The common case as one statement: the run inserted `running`, its tasks with the roots
 * `queued`, the roots' jobs, and the notice (run queued → running, roots queued).
 */
function startedRunSql(): string {
  startedRunCache ??= `WITH r AS (${insertRunSql('running')} RETURNING id),
     t AS (${insertTasksSql('r', '$17', true)}),
     j AS (
       SELECT count(*) AS jobs FROM graphile_worker.add_jobs(ARRAY(
         SELECT ${taskJobSpecSql('t')} FROM t WHERE t.status = 'queued'))),
     c AS (
       SELECT '[{"status":"queued"},{"status":"running"}]'::jsonb || COALESCE(jsonb_agg(
                jsonb_build_object('task', t.task_key, 'status', 'queued')), '[]'::jsonb) AS changes
         FROM t WHERE t.status = 'queued'),
     n AS (
       SELECT pg_notify('${RUN_EVENTS_CHANNEL}',
                CASE WHEN octet_length(c.changes::text) < 7000
                     THEN jsonb_build_object('runId', r.id, 'changes', c.changes)
                     ELSE jsonb_build_object('runId', r.id, 'truncated', true,
                            'changes', '[{"status":"queued"},{"status":"running"}]'::jsonb)
                END::text)
         FROM r, c)
     SELECT r.id, (SELECT jobs FROM j) AS jobs, (SELECT count(*) FROM n) AS notified FROM r`;
  return startedRunCache;
}

async function findWorkflow(pool: Pool, input: CreateRunInput): Promise<WorkflowRow> {
  const { byId, ref } = workflowRef(input);
  const { rows } =
    byId && !isUuid(ref)
      ? { rows: [] }
      : await pool.query<WorkflowLookupRow>(
          `SELECT id, name, current_version_id, archived_at FROM workflows
            WHERE team_id = $1 AND ${byId ? 'id = $2::uuid' : 'name = $2'}`,
          [input.teamId, ref],
        );
  return checkWorkflowRow(rows[0], ref);
}

async function assertSecretsExist(pool: Pool, teamId: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const { rows } = await pool.query<{ name: string }>(
    `SELECT name FROM secrets WHERE team_id = $1 AND name = ANY($2::text[])`,
    [teamId, names],
  );
  const refused = missingSecretsError(names, new Set(rows.map((r) => r.name)));
  if (refused) throw refused;
}

/** Rolls the transaction back (undoing the run number taken) and carries the existing run out. */
class ExistingRun extends Error {
  constructor(readonly run: RunRef) {
    super('idempotency key matched an existing run');
  }
}

async function findByKey(
  pool: Pool | PoolClient,
  workflowId: string,
  key: string,
): Promise<RunRef | null> {
  const { rows } = await pool.query<RunRef>(
    `SELECT id, number, workflow_id AS "workflowId", status FROM workflow_runs
      WHERE workflow_id = $1 AND idempotency_key = $2`,
    [workflowId, key],
  );
  return rows[0] ?? null;
}
