/**
 * The common completion as ONE prepared statement, sent without BEGIN/COMMIT (a single statement
 * is its own transaction): end the tasks, write their attempts' rows, bump and decide the downstream
 * tasks, enqueue the ready ones, add everything to the run's counters and announce the changes.
 * One round trip, planned once per connection. The one thing a single statement cannot do is
 * follow skips that cascade further down (a loop); then it aborts itself (dtss_abort, SQLSTATE
 * DT001, nothing is written) and the caller takes the multi-statement transaction instead.
 */
import type { Pool, PoolClient } from '../../pool';
import { decideCtes, runCounterUpdateSql } from './propagate';
import { RUN_EVENTS_CHANNEL, type RunChange } from './types';

/** One attempt to close, as the statement reads it from JSON (jsonb_to_recordset). */
export interface AttemptCloseRow {
  attempt_id: string;
  task_run_id: string;
  /** The attempt's status (`lost` when its worker was declared lost). */
  status: string;
  /** The task's status. */
  outcome: string;
  exit_code: number | null;
  http_status: number | null;
  error: string | null;
  /** The output as JSON text, or null. */
  output: string | null;
  log_bytes: number;
  log_lines: number;
  log_truncated: boolean;
}

export interface OneStatementResult {
  /** Attempts that ended their task (others were already closed elsewhere). */
  ended: Set<string>;
  finishedStatus: string | null;
  workflowId: string | null;
  /** With `deferTaskNotices`: the task changes the statement did not announce (else empty). */
  unannounced: RunChange[];
}

const CASCADE = 'DT001';

export interface OneStatementOptions {
  /**
   * Announce only a change of the run's status (with the task changes of the same statement, so
   * they arrive together); the other task changes are returned for the caller to announce.
   */
  deferTaskNotices?: boolean;
  /**
   * Every task of the batch has no downstream tasks: the statement leaves out the trigger-rule
   * decisions (a smaller plan to start on every call). If one does have some after all, the
   * statement aborts itself like a cascade (nothing written) and the caller takes the general one.
   */
  leavesOnly?: boolean;
}

/**
 * Closes attempts of one run in one statement; null when it cannot (skips cascade, or `leavesOnly`
 * was wrong): nothing was written then.
 */
export async function completeInOneStatement(
  db: Pool | PoolClient,
  runId: string,
  rows: AttemptCloseRow[],
  options: OneStatementOptions = {},
): Promise<OneStatementResult | null> {
  const defer = options.deferTaskNotices === true;
  const leaves = options.leavesOnly === true;
  try {
    const { rows: out } = await db.query<{
      attempt_id: string;
      finished: boolean | null;
      run_status: string | null;
      workflow_id: string | null;
      unannounced: RunChange[] | null;
    }>({
      name: `dtss_complete_attempts${leaves ? '_leaves' : ''}${defer ? '_deferred' : ''}`,
      text: sql(defer, leaves),
      values: [runId, JSON.stringify(rows)],
    });
    const run = out.find((r) => r.finished !== null);
    return {
      ended: new Set(out.map((r) => r.attempt_id)),
      finishedStatus: run?.finished ? run.run_status : null,
      workflowId: run?.workflow_id ?? null,
      unannounced: out[0]?.unannounced ?? [],
    };
  } catch (err) {
    if ((err as { code?: string }).code === CASCADE) return null;
    throw err;
  }
}

/**
 * The CTEs `i` (the attempts, from JSON), `e` (their tasks ended, only if still running that very
 * attempt: a cancel or a lost-worker decision made elsewhere wins) and `a` (each ended attempt's
 * row, written once, from the open attempt on its task's row). Shared with the multi-statement
 * transaction path.
 *
 * Rows are reached by primary key only (`id = ANY(ARRAY(…))`), so the cost follows the batch, not
 * the run: these statements run as generic plans, which know neither the run's size nor the
 * batch's, and given a usable `run_id` condition the planner may scan a whole run per completion.
 * The run check is therefore written `(…) IS TRUE`, which no index can serve.
 */
export function closeAttemptsCtes(attemptsJson: string, runId: string): string {
  return `i AS (
     SELECT * FROM jsonb_to_recordset(${attemptsJson}::jsonb) AS i(
       attempt_id uuid, task_run_id uuid, status text, outcome text, exit_code int, http_status int,
       error text, output text, log_bytes bigint, log_lines int, log_truncated boolean)),
   e AS (
     UPDATE task_runs tr
        SET status = i.outcome::"TaskStatus", finished_at = now(), output = i.output::jsonb,
            output_bytes = COALESCE(octet_length(i.output), 0), error = i.error
       FROM i
      WHERE tr.id = ANY(ARRAY(SELECT task_run_id FROM i)) AND tr.id = i.task_run_id
        AND tr.status = 'running' AND tr.attempt_id = i.attempt_id AND (tr.run_id = ${runId}) IS TRUE
     RETURNING tr.id, tr.task_key, tr.downstream_keys, i.outcome, tr.run_id, tr.attempt_id,
               tr.attempt_count, tr.worker_id, tr.attempt_started_at, tr.output, i.status,
               i.exit_code, i.http_status, i.error, i.log_bytes, i.log_lines, i.log_truncated),
   a AS (
     INSERT INTO task_attempts (id, task_run_id, run_id, attempt_number, worker_id, status,
                                started_at, finished_at, exit_code, http_status, error, output,
                                log_bytes, log_lines, log_truncated)
     SELECT attempt_id, id, run_id, attempt_count, worker_id, status::"AttemptStatus",
            attempt_started_at, now(), exit_code, http_status, error, output, log_bytes, log_lines,
            log_truncated
       FROM e
     RETURNING id, task_run_id)`;
}

const sqlCache = new Map<string, string>();

/**
 * The statement, in four variants: `defer` (see deferTaskNotices) and `leaves` (see leavesOnly).
 * Outputs per closed attempt: whether it ended its task, the run's counters' verdict, and the task
 * changes left for the caller to announce (deferred variants).
 */
function sql(defer: boolean, leaves: boolean): string {
  const key = `${defer}:${leaves}`;
  const cached = sqlCache.get(key);
  if (cached) return cached;
  const decide = leaves
    ? `c AS (
     SELECT count(*) AS done, count(*) FILTER (WHERE e.outcome IN ('failed', 'timed_out')) AS failed
       FROM e),`
    : `d AS (
     SELECT k, count(*) FILTER (WHERE e.outcome = 'succeeded')::int AS ns,
            count(*) FILTER (WHERE e.outcome <> 'succeeded')::int AS nf, 0 AS nk
       FROM e, unnest(e.downstream_keys) k GROUP BY k),
   ${decideCtes(true)},
   c AS (
     SELECT (SELECT count(*) FROM e) + (SELECT count(*) FROM u WHERE u.status = 'skipped') AS done,
            (SELECT count(*) FROM e WHERE e.outcome IN ('failed', 'timed_out')) AS failed),`;
  const decided = leaves
    ? ''
    : `
             UNION ALL
             SELECT 2, jsonb_build_object('task', u.task_key, 'status', u.status)
               FROM u WHERE u.status IN ('queued', 'skipped')`;
  // Aborting (dtss_abort, SQLSTATE DT001) undoes the whole statement: the caller falls back.
  const abort = leaves
    ? `(SELECT bool_or(dtss_abort('a task with downstream tasks: the general statement completes it'))
             FROM e WHERE cardinality(e.downstream_keys) > 0) AS not_leaves`
    : `(SELECT jobs FROM j) AS jobs,
          (SELECT bool_or(dtss_abort('skips cascade: completed by the transaction path'))
             FROM u WHERE u.status = 'skipped' AND cardinality(u.downstream_keys) > 0) AS cascade`;
  const text = `WITH ${closeAttemptsCtes('$2', '$1')},
   ${decide}
   r AS (${runCounterUpdateSql('$1', '(SELECT done FROM c)', '(SELECT failed FROM c)', '(SELECT done FROM c) > 0')}),
   ch AS (
     SELECT COALESCE(jsonb_agg(x.change ORDER BY x.o), '[]'::jsonb) AS tasks,
            COALESCE((SELECT jsonb_build_array(jsonb_build_object('status', r.status))
                        FROM r WHERE r.finished), '[]'::jsonb) AS run
       FROM (SELECT 1 AS o, jsonb_build_object('task', e.task_key, 'status', e.outcome) AS change
               FROM e${decided}) x),
   n AS (
     SELECT pg_notify('${RUN_EVENTS_CHANNEL}',
              CASE WHEN octet_length(ch.tasks::text) < 7000
                   THEN jsonb_build_object('runId', $1::uuid, 'changes', ch.tasks || ch.run)
                   ELSE jsonb_build_object('runId', $1::uuid, 'changes', ch.run, 'truncated', true)
              END::text)
       FROM r, ch${defer ? ' WHERE r.finished' : ''})
   SELECT e.attempt_id,
          (SELECT finished FROM r) AS finished, (SELECT status FROM r)::text AS run_status,
          (SELECT workflow_id FROM r) AS workflow_id, (SELECT count(*) FROM n) AS notified,
          ${defer ? '(SELECT ch.tasks FROM r, ch WHERE NOT r.finished)' : 'NULL::jsonb'} AS unannounced,
          ${abort}
     FROM e`;
  sqlCache.set(key, text);
  return text;
}
