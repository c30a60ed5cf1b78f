/**
 * Creating many runs at once (the scheduler's burst of due schedules): the same runs createRun
 * would create one by one, in ONE transaction of a few set-based statements for the whole batch.
 *
 * Before the transaction (refusals, like createRun's, per input): the workflows in one query, the
 * versions from the cache, params checked in memory, the secrets in one query. A refused input's
 * result is its RunRequestError; the others proceed.
 *
 * The transaction, for the whole batch:
 *   1. BEGIN, the workflows' rows locked in id order (no deadlock with a concurrent createRun,
 *      createRuns or completion, which lock one workflow or the same order), and — in the next
 *      statement of the same round trip, so under those locks and with a fresh snapshot — the
 *      runs already holding any of the idempotency keys and the running runs of workflows with
 *      `concurrency.maxRuns`.
 *   2. One statement: run numbers advanced, every run row, every task row, the root tasks' jobs
 *      (graphile_worker.add_jobs) and one NOTIFY per run.
 *   3. Only for runs whose roots are not all `ready` at start (or that have no task): createRun's
 *      own path, startRun, per run.
 *   4. COMMIT.
 */
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from '../../pool';
import { withTransaction } from '../../transaction';
import { taskJobSpecSql } from './jobs';
import { noticePayload, notifyRunChanges } from './notify';
import { startRun } from './propagate';
import {
  checkParams,
  checkWorkflowRow,
  insertTasksSql,
  isUuid,
  missingSecretsError,
  rootsReadyAtStart,
  RUN_COLUMNS,
  RUN_VALUE_TYPES,
  runRowSql,
  runValues,
  taskRows,
  workflowRef,
  type TaskRowInput,
  type WorkflowLookupRow,
  type WorkflowRow,
} from './runCreation';
import {
  RUN_EVENTS_CHANNEL,
  RunRequestError,
  type CreateRunInput,
  type CreateRunResult,
  type RunChange,
  type RunRef,
} from './types';
import { loadVersion, type CachedVersion } from './versionCache';
import { engineEvents } from '../../observe';

/**
 * Creates the runs of `inputs` in one transaction; the result at each index is that input's run
 * (created, or the existing run of its idempotency key with `created: false`) or its refusal.
 * Several inputs with one key for one workflow get one run. Errors other than refusals (the
 * database) fail the whole call, and nothing is stored. Meant for batches of up to a few hundred.
 */
export async function createRuns(
  pool: Pool,
  inputs: CreateRunInput[],
): Promise<(CreateRunResult | RunRequestError)[]> {
  const results: (CreateRunResult | RunRequestError)[] = new Array(inputs.length);
  const planned = await plan(pool, inputs, results);
  if (planned.length === 0) return results;
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await insertBatch(pool, planned);
      created.forEach((r, i) => (results[planned[i]!.index] = r));
      countCreated(planned, created);
      return results;
    } catch (err) {
      // A unique violation cannot happen under the workflow locks; should one slip through (a
      // writer not taking them), a second pass finds the other run by its key.
      if (attempt < 3 && (err as { code?: string }).code === '23505') continue;
      throw err;
    }
  }
}

/** An input that passed every check: what its run will be made of. */
interface PlannedRun {
  index: number;
  input: CreateRunInput;
  workflow: WorkflowRow;
  version: CachedVersion;
  params: Record<string, unknown>;
  tasks: TaskRowInput[];
  tasksJson: string;
  rootsReady: boolean;
}

/** The refusals (into `results`), with as few queries as the batch allows. */
async function plan(
  pool: Pool,
  inputs: CreateRunInput[],
  results: (CreateRunResult | RunRequestError)[],
): Promise<PlannedRun[]> {
  const workflows = await findWorkflows(pool, inputs);
  const ok: { index: number; workflow: WorkflowRow }[] = [];
  inputs.forEach((input, index) => {
    try {
      ok.push({ index, workflow: checkWorkflowRow(workflows[index], workflowRef(input).ref) });
    } catch (err) {
      results[index] = err as RunRequestError;
    }
  });
  const versionIds = [...new Set(ok.map((o) => o.workflow.currentVersionId))];
  const versions = new Map(
    await Promise.all(versionIds.map(async (id) => [id, await loadVersion(pool, id)] as const)),
  );

  const valid: Omit<PlannedRun, 'tasks' | 'tasksJson' | 'rootsReady'>[] = [];
  for (const { index, workflow } of ok) {
    const input = inputs[index]!;
    const version = versions.get(workflow.currentVersionId)!;
    try {
      const params = checkParams(version.definition, workflow.name, input.params);
      valid.push({ index, input, workflow, version, params });
    } catch (err) {
      if (!(err instanceof RunRequestError)) throw err;
      results[index] = err;
    }
  }

  const secrets = await findSecrets(pool, valid);
  const planned: PlannedRun[] = [];
  // Runs of one version and priority share their task rows.
  const taskCache = new Map<string, Pick<PlannedRun, 'tasks' | 'tasksJson' | 'rootsReady'>>();
  for (const v of valid) {
    const refused = missingSecretsError(
      v.version.secretNames,
      secrets.get(v.input.teamId.toLowerCase()) ?? new Set(),
    );
    if (refused) {
      results[v.index] = refused;
      continue;
    }
    const priority = v.input.priority ?? 0;
    const cacheKey = `${v.version.id}:${priority}`;
    let rows = taskCache.get(cacheKey);
    if (!rows) {
      const tasks = taskRows(v.version.definition, priority);
      rows = { tasks, tasksJson: JSON.stringify(tasks), rootsReady: rootsReadyAtStart(tasks) };
      taskCache.set(cacheKey, rows);
    }
    planned.push({ ...v, ...rows });
  }
  return planned;
}

/** The workflow row each input names (undefined: no such workflow in its team). */
async function findWorkflows(
  pool: Pool,
  inputs: CreateRunInput[],
): Promise<(WorkflowLookupRow | undefined)[]> {
  // Distinct lookups by id and by name; a ref or team that is no uuid can match nothing.
  const byId = new Map<string, number>();
  const byName = new Map<string, number>();
  const ids: [string[], string[]] = [[], []];
  const names: [string[], string[]] = [[], []];
  const lookupOf = inputs.map((input) => {
    const { byId: isId, ref } = workflowRef(input);
    if (!isUuid(input.teamId) || (isId && !isUuid(ref))) return null;
    const [map, cols] = isId ? [byId, ids] : [byName, names];
    const key = `${input.teamId.toLowerCase()} ${isId ? ref.toLowerCase() : ref}`;
    let i = map.get(key);
    if (i === undefined) {
      i = cols[0].length;
      map.set(key, i);
      cols[0].push(input.teamId);
      cols[1].push(ref);
    }
    return { isId, i };
  });
  const found = {
    id: new Map<number, WorkflowLookupRow>(),
    name: new Map<number, WorkflowLookupRow>(),
  };
  if (ids[0].length + names[0].length > 0) {
    const { rows } = await pool.query<WorkflowLookupRow & { by_id: boolean; i: string }>(
      `SELECT true AS by_id, x.i, w.id, w.name, w.current_version_id, w.archived_at
         FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS x(team_id, id, i)
         JOIN workflows w ON w.id = x.id AND w.team_id = x.team_id
       UNION ALL
       SELECT false, x.i, w.id, w.name, w.current_version_id, w.archived_at
         FROM unnest($3::uuid[], $4::text[]) WITH ORDINALITY AS x(team_id, name, i)
         JOIN workflows w ON w.team_id = x.team_id AND w.name = x.name`,
      [ids[0], ids[1], names[0], names[1]],
    );
    for (const row of rows) (row.by_id ? found.id : found.name).set(Number(row.i) - 1, row);
  }
  return lookupOf.map((l) => (l ? (l.isId ? found.id : found.name).get(l.i) : undefined));
}

/** Per team (lower-case id), which of the secrets the runs reference exist. */
async function findSecrets(
  pool: Pool,
  runs: { input: CreateRunInput; version: CachedVersion }[],
): Promise<Map<string, Set<string>>> {
  const pairs = new Map<string, [string, string]>();
  for (const { input, version } of runs) {
    for (const name of version.secretNames) {
      pairs.set(`${input.teamId.toLowerCase()} ${name}`, [input.teamId, name]);
    }
  }
  const found = new Map<string, Set<string>>();
  if (pairs.size === 0) return found;
  const list = [...pairs.values()];
  const { rows } = await pool.query<{ team_id: string; name: string }>(
    `SELECT s.team_id, s.name FROM secrets s
       JOIN unnest($1::uuid[], $2::text[]) AS x(team_id, name)
         ON s.team_id = x.team_id AND s.name = x.name`,
    [list.map((p) => p[0]), list.map((p) => p[1])],
  );
  for (const row of rows) {
    const team = row.team_id.toLowerCase();
    if (!found.has(team)) found.set(team, new Set());
    found.get(team)!.add(row.name);
  }
  return found;
}

/** The transaction (see the top of the file); results in `planned`'s order. */
/** Tells the process's metrics how many runs were created, by trigger kind. */
function countCreated(planned: PlannedRun[], created: (CreateRunResult | RunRequestError)[]): void {
  const byKind = new Map<string, string[]>();
  created.forEach((r, i) => {
    if (r instanceof RunRequestError || !r.created) return;
    const kind = planned[i]!.input.triggerKind ?? 'manual';
    const ids = byKind.get(kind) ?? [];
    ids.push(r.run.id);
    byKind.set(kind, ids);
  });
  for (const [kind, ids] of byKind) engineEvents.runsCreated(kind, ids.length, ids);
}

async function insertBatch(
  pool: Pool,
  planned: PlannedRun[],
): Promise<(CreateRunResult | RunRequestError)[]> {
  return withTransaction(
    pool,
    async (client) => {
      const state = await lockAndRead(client, planned);
      const results: ({ run: RunRef; created: boolean } | RunRequestError)[] = [];
      const batch: BatchColumns = emptyColumns();
      const fallback: RunRef[] = [];
      for (const p of planned) {
        const workflowId = p.workflow.id;
        const key = p.input.idempotencyKey;
        const hit = key ? state.byKey.get(`${workflowId} ${key}`) : undefined;
        if (hit) {
          results.push({ run: hit, created: false });
          continue;
        }
        const number = state.nextNumber.get(workflowId);
        if (number === undefined) {
          // Deleted since it was looked up.
          results.push(
            new RunRequestError('unknown_workflow', `unknown workflow "${p.workflow.name}"`),
          );
          continue;
        }
        state.nextNumber.set(workflowId, number + 1);
        state.taken.set(workflowId, (state.taken.get(workflowId) ?? 0) + 1);
        const free = state.freeSlots.get(workflowId) ?? Infinity;
        const mayStart = free > 0;
        if (mayStart) state.freeSlots.set(workflowId, free - 1);
        const startsNow = mayStart && p.rootsReady;
        const run: RunRef = {
          id: randomUUID(),
          number,
          workflowId,
          status: startsNow ? 'running' : 'queued',
        };
        if (key) state.byKey.set(`${workflowId} ${key}`, run);
        results.push({ run, created: true });
        if (mayStart && !startsNow) fallback.push(run);
        const values = [
          ...runValues(p.input, workflowId, p.version.id, number, p.params),
          p.version.definition.runTimeoutMs,
          p.tasksJson,
        ];
        values.forEach((v, i) => batch.values[i]!.push(v));
        batch.ids.push(run.id);
        batch.started.push(startsNow);
        batch.notices.push(
          startsNow
            ? noticePayload(run.id, startedChanges(p.tasks))
            : mayStart
              ? null // announced with startRun's changes below
              : noticePayload(run.id, [{ status: 'queued' }]),
        );
      }
      if (batch.ids.length > 0) {
        await client.query({
          name: 'dtss_create_runs',
          text: insertRunsSql(),
          values: [
            ...batch.values,
            batch.ids,
            batch.started,
            batch.notices,
            [...state.taken.keys()],
            [...state.taken.values()],
          ],
        });
      }
      for (const run of fallback) {
        // createRun's path for runs whose roots are not all ready at start (or with no task).
        const changes: RunChange[] = [{ status: 'queued' }, ...(await startRun(client, run.id))];
        await notifyRunChanges(client, run.id, changes);
      }
      if (fallback.length > 0) {
        // A run that ended at once frees its slot, and the next queued run (maybe one of this
        // batch) starts: read the statuses back.
        const { rows } = await client.query<{ id: string; status: RunRef['status'] }>(
          `SELECT id, status FROM workflow_runs WHERE id = ANY($1::uuid[])`,
          [batch.ids],
        );
        const status = new Map(rows.map((r) => [r.id, r.status]));
        for (const r of results) {
          if (!(r instanceof RunRequestError) && r.created) r.run.status = status.get(r.run.id)!;
        }
      }
      // Copies: an input repeating a key shares the run object of the first until here.
      return results.map((r) =>
        r instanceof RunRequestError ? r : { run: { ...r.run }, created: r.created },
      );
    },
    { sendsBegin: true },
  );
}

/** Notice of a run inserted `running` with its roots queued (as createRun's started run sends). */
function startedChanges(tasks: TaskRowInput[]): RunChange[] {
  return [
    { status: 'queued' },
    { status: 'running' },
    ...tasks
      .filter((t) => t.upstream_total === 0)
      .map((t) => ({ task: t.task_key, status: 'queued' as const })),
  ];
}

interface BatchState {
  nextNumber: Map<string, number>;
  /** Run numbers taken per workflow (insertion order). */
  taken: Map<string, number>;
  /** Existing (and, as the batch is built, new) runs by `<workflow id> <key>`. */
  byKey: Map<string, RunRef>;
  /** Workflows with `concurrency.maxRuns`: runs that may still start. */
  freeSlots: Map<string, number>;
}

/**
 * BEGIN, the workflow locks in id order (with the next run numbers), then the existing runs of
 * the keys and the running counts: one round trip of three statements. Values are inlined as
 * escaped literals (several statements in one message cannot take parameters); the second
 * SELECT gets its own snapshot, taken after the locks were granted, so it sees every run
 * committed by a transaction that held one of them.
 */
async function lockAndRead(client: PoolClient, planned: PlannedRun[]): Promise<BatchState> {
  const workflowIds = [...new Set(planned.map((p) => p.workflow.id))];
  const maxRuns = new Map<string, number>();
  for (const p of planned) {
    const limit = p.version.definition.concurrency.maxRuns;
    if (limit !== null) maxRuns.set(p.workflow.id, limit);
  }
  const keyed = planned.filter((p) => p.input.idempotencyKey);
  const uuids = (list: string[]) => `ARRAY[${list.map((id) => client.escapeLiteral(id))}]::uuid[]`;
  const texts = (list: string[]) => `ARRAY[${list.map((s) => client.escapeLiteral(s))}]::text[]`;
  const sql = `BEGIN;
    SELECT id, next_run_number FROM workflows WHERE id = ANY(${uuids(workflowIds)})
     ORDER BY id FOR NO KEY UPDATE;
    SELECT (SELECT COALESCE(json_agg(json_build_object('id', r.id, 'number', r.number,
                     'workflowId', r.workflow_id, 'status', r.status, 'key', r.idempotency_key)),
                   '[]')
              FROM workflow_runs r
              JOIN unnest(${uuids(keyed.map((p) => p.workflow.id))},
                          ${texts(keyed.map((p) => p.input.idempotencyKey!))}) AS k(workflow_id, key)
                ON r.workflow_id = k.workflow_id AND r.idempotency_key = k.key) AS existing,
           (SELECT COALESCE(json_object_agg(workflow_id, n), '{}')
              FROM (SELECT workflow_id, count(*) AS n FROM workflow_runs
                     WHERE workflow_id = ANY(${uuids([...maxRuns.keys()])}) AND status = 'running'
                     GROUP BY workflow_id) c) AS running`;
  const results = (await client.query(sql)) as unknown as { rows: unknown[] }[];
  const locked = results[1]!.rows as { id: string; next_run_number: number }[];
  const read = results[2]!.rows[0] as {
    existing: (RunRef & { key: string })[];
    running: Record<string, number>;
  };
  const state: BatchState = {
    nextNumber: new Map(locked.map((w) => [w.id, w.next_run_number])),
    taken: new Map(),
    byKey: new Map(),
    freeSlots: new Map(),
  };
  for (const { key, ...run } of read.existing) state.byKey.set(`${run.workflowId} ${key}`, run);
  for (const [id, limit] of maxRuns) state.freeSlots.set(id, limit - (read.running[id] ?? 0));
  return state;
}

interface BatchColumns {
  /** runValues' 17 values, one array each. */
  values: unknown[][];
  ids: string[];
  started: boolean[];
  notices: (string | null)[];
}

function emptyColumns(): BatchColumns {
  return { values: RUN_VALUE_TYPES.map(() => []), ids: [], started: [], notices: [] };
}

let insertRunsCache: string | null = null;

/**
 * The whole batch as one statement: $1..$17 runValues' columns, $18 run ids, $19 whether each run
 * starts now (roots queued), $20 its notice (null: sent later), $21/$22 run numbers taken per
 * workflow.
 */
function insertRunsSql(): string {
  const n = RUN_VALUE_TYPES.length;
  const columns = RUN_VALUE_TYPES.map((_, i) => `c${i + 1}`).join(', ');
  const arrays = RUN_VALUE_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
  insertRunsCache ??= `WITH b AS (
       SELECT * FROM unnest(${arrays}, $${n + 1}::uuid[], $${n + 2}::bool[], $${n + 3}::text[])
         AS b(${columns}, id, started, notice)),
     w AS (
       UPDATE workflows SET next_run_number = workflows.next_run_number + c.n
         FROM unnest($${n + 4}::uuid[], $${n + 5}::int[]) AS c(id, n)
        WHERE workflows.id = c.id RETURNING 1),
     r AS (
       INSERT INTO workflow_runs (id, ${RUN_COLUMNS})
       SELECT b.id, ${runRowSql((i) => `b.c${i}`, 'b.started')} FROM b RETURNING 1),
     t AS (${insertTasksSql('b', 'b.c17', 'b.started')}),
     j AS (
       SELECT CASE WHEN EXISTS (SELECT 1 FROM t WHERE t.status = 'queued') THEN
                (SELECT count(*) FROM graphile_worker.add_jobs(ARRAY(
                   SELECT ${taskJobSpecSql('t')} FROM t WHERE t.status = 'queued'))) END AS jobs),
     n AS (SELECT pg_notify('${RUN_EVENTS_CHANNEL}', b.notice) FROM b WHERE b.notice IS NOT NULL)
     SELECT (SELECT count(*) FROM r) AS runs, (SELECT count(*) FROM w) AS workflows,
            (SELECT jobs FROM j) AS jobs, (SELECT count(*) FROM n) AS notified`;
  return insertRunsCache;
}
