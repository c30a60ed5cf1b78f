/**
 * Completing an attempt is one transaction whose cost follows the task's out-degree, not the DAG's
 * size: close the attempt; retry, hand back, or end the task; then for each downstream task bump
 * one upstream counter and decide its trigger rule from the counters alone (O(1) per task). Ready
 * tasks are enqueued, skipped ones propagate the same way, and the run ends when its terminal-task
 * counter reaches its task count.
 */
import type { JsonValue } from '@dtss/core';
import type { Pool } from '../../pool';
import { inlineParams } from '../../sqlLiteral';
import { withTransaction } from '../../transaction';
import { enqueueTaskJobs } from './jobs';
import {
  closeAttemptsCtes,
  completeInOneStatement,
  type AttemptCloseRow,
  type OneStatementResult,
} from './oneStatementCompletion';
import { notifyRunChanges } from './notify';
import { countTerminalAndCommit, propagate, startNextQueuedRun, type Outcome } from './propagate';
import type { RunChange, RunNoticeSink, TaskStatus } from './types';

export type AttemptOutcome = 'succeeded' | 'failed' | 'timed_out' | 'cancelled';

export interface CompleteAttemptInput {
  /** Its worker stopped heartbeating: the attempt is recorded as `lost` (the task as failed/retried). */
  lost?: boolean;
  attemptId: string;
  taskRunId: string;
  runId: string;
  outcome: AttemptOutcome;
  exitCode?: number | null;
  httpStatus?: number | null;
  error?: string | null;
  output?: JsonValue;
  log?: { bytes: number; lines: number; truncated: boolean };
  /** Set when the attempt failed and the policy retries: the next attempt starts after this delay. */
  retryDelayMs?: number | null;
  /** Drain hand-back: the task goes back to `queued` without using up an attempt. */
  requeue?: boolean;
  /** The task has no downstream tasks (ClaimedTask.leaf): a leaner statement completes it. */
  leaf?: boolean;
}

export type CompleteAttemptResult =
  { applied: false } | { applied: true; taskStatus: TaskStatus; runStatus: string | null };

export async function completeAttempt(
  pool: Pool,
  input: CompleteAttemptInput,
): Promise<CompleteAttemptResult> {
  if (!endsTask(input)) return completeWithoutEnding(pool, input);
  return (await completeAttempts(pool, input.runId, [input]))[0]!;
}

/**
 * Whether this completion ends its task (the kind completeAttempts batches), rather than
 * scheduling a retry or handing the task back.
 */
export function endsTask(input: CompleteAttemptInput): boolean {
  const retrying =
    input.retryDelayMs !== undefined &&
    input.retryDelayMs !== null &&
    input.outcome !== 'succeeded' &&
    input.outcome !== 'cancelled';
  return !input.requeue && !retrying;
}

/**
 * Ends several attempts of one run together (a worker batches the completions that arrive
 * together), normally in one statement (oneStatementCompletion.ts); the run's row is updated once
 * per batch instead of once per task. With `notices`, task-only changes of that statement go there
 * instead of a NOTIFY in it (the run's own end is still announced by the statement).
 */
export async function completeAttempts(
  pool: Pool,
  runId: string,
  inputs: CompleteAttemptInput[],
  notices?: RunNoticeSink,
): Promise<CompleteAttemptResult[]> {
  if (inputs.length === 0) return [];
  const rows = attemptCloseRows(runId, inputs);
  // Nearly always one statement does it all; skips that cascade need the transaction below.
  const deferTaskNotices = notices !== undefined;
  const oneStatement =
    (inputs.every((input) => input.leaf === true) &&
      (await completeInOneStatement(pool, runId, rows, { deferTaskNotices, leavesOnly: true }))) ||
    (await completeInOneStatement(pool, runId, rows, { deferTaskNotices }));
  if (!oneStatement) {
    const done = await completeInTransaction(pool, runId, inputs, rows);
    await afterRunEnded(pool, done.endedWorkflowId);
    return done.results;
  }
  return settleOneStatement(pool, runId, inputs, oneStatement, notices);
}

/** The attempts as the completion statements read them; checks they can be batched. */
function attemptCloseRows(runId: string, inputs: CompleteAttemptInput[]): AttemptCloseRow[] {
  for (const input of inputs) {
    if (input.runId !== runId)
      throw new Error('completeAttempts: every attempt must be of one run');
    if (!endsTask(input)) {
      throw new Error('completeAttempts: only attempts that end their task can be batched');
    }
  }
  return inputs.map((input) => ({
    attempt_id: input.attemptId,
    task_run_id: input.taskRunId,
    status: input.lost ? 'lost' : input.outcome,
    outcome: input.outcome,
    exit_code: input.exitCode ?? null,
    http_status: input.httpStatus ?? null,
    error: input.error ?? null,
    output: input.output === undefined ? null : JSON.stringify(input.output),
    log_bytes: input.log?.bytes ?? 0,
    log_lines: input.log?.lines ?? 0,
    log_truncated: input.log?.truncated ?? false,
  }));
}

/**
 * After a one-statement completion committed: hands its unannounced task changes to `notices`,
 * starts the next queued run if the run ended, and gives each input its result.
 */
async function settleOneStatement(
  pool: Pool,
  runId: string,
  inputs: CompleteAttemptInput[],
  done: OneStatementResult,
  notices?: RunNoticeSink,
): Promise<CompleteAttemptResult[]> {
  if (notices && done.unannounced.length > 0) notices.add(runId, done.unannounced);
  await afterRunEnded(pool, done.finishedStatus ? done.workflowId : null);
  return inputs.map((input): CompleteAttemptResult =>
    done.ended.has(input.attemptId)
      ? { applied: true, taskStatus: input.outcome, runStatus: done.finishedStatus }
      : { applied: false },
  );
}

/**
 * A run that ended frees a slot of its workflow: the next queued run starts, in a transaction of
 * its own (the completion has committed). Housekeeping repeats this if the process dies here.
 */
async function afterRunEnded(
  pool: Pool,
  endedWorkflowId: string | null | undefined,
): Promise<void> {
  if (endedWorkflowId) {
    await withTransaction(pool, (client) => startNextQueuedRun(client, endedWorkflowId));
  }
}

/**
 * The same completion as several statements in one transaction, following skips level by level:
 * one statement closes every attempt and task, one per outcome bumps the downstream counters, and
 * one adds them all to the run's counters, announces the changes and commits.
 */
async function completeInTransaction(
  pool: Pool,
  runId: string,
  inputs: CompleteAttemptInput[],
  rows: AttemptCloseRow[],
): Promise<{ endedWorkflowId: string | undefined; results: CompleteAttemptResult[] }> {
  return withTransaction(
    pool,
    async (client, tx) => {
      // One statement ends the tasks and writes their attempts' rows. A task is only touched if it
      // still runs that attempt: a cancel or a lost-worker decision made elsewhere wins.
      const closeSql = inlineParams(client, CLOSE_SQL, [JSON.stringify(rows), runId]);
      // BEGIN rides along with the first statement: one round trip less on every completion.
      const sent = (await client.query(`BEGIN; ${closeSql}`)) as unknown as {
        rows: { attempt_id: string; task_key: string; downstream_keys: string[] }[];
      }[];
      const ended = new Map(sent[1]!.rows.map((r) => [r.attempt_id, r]));
      const results: CompleteAttemptResult[] = inputs.map((input) =>
        ended.has(input.attemptId)
          ? { applied: true, taskStatus: input.outcome, runStatus: null }
          : { applied: false },
      );
      // Nothing ended (each attempt was already closed elsewhere): whoever closed it owns the outcome.
      if (ended.size === 0) return { endedWorkflowId: undefined, results };

      const changes: RunChange[] = [];
      const downstream: Record<Outcome, string[]> = { succeeded: [], failed: [], skipped: [] };
      let failed = 0;
      for (const input of inputs) {
        const row = ended.get(input.attemptId);
        if (!row) continue;
        changes.push({ task: row.task_key, status: input.outcome });
        if (input.outcome === 'failed' || input.outcome === 'timed_out') failed += 1;
        const outcome: Outcome = input.outcome === 'succeeded' ? 'succeeded' : 'failed';
        downstream[outcome].push(...row.downstream_keys);
      }
      let skipped = 0;
      for (const outcome of ['succeeded', 'failed'] as const) {
        skipped += await propagate(client, runId, outcome, downstream[outcome], changes);
      }
      const counted = await countTerminalAndCommit(
        client,
        runId,
        ended.size + skipped,
        failed,
        changes,
      );
      tx.markCommitted();
      for (const result of results) {
        if (result.applied) result.runStatus = counted.finishedStatus;
      }
      return {
        endedWorkflowId: counted.finishedStatus ? counted.workflowId : undefined,
        results,
      };
    },
    { sendsBegin: true },
  );
}

/** Closes the attempts and ends their tasks ($1 the attempts' JSON, $2 the run). */
const CLOSE_SQL = `WITH ${closeAttemptsCtes('$1', '$2::uuid')}
   SELECT e.attempt_id, e.task_key, e.downstream_keys FROM e`;

/** A failed attempt that will be retried, or a drain hand-back: the task does not end. */
async function completeWithoutEnding(
  pool: Pool,
  input: CompleteAttemptInput,
): Promise<CompleteAttemptResult> {
  const runAt = input.requeue ? null : new Date(Date.now() + input.retryDelayMs!);
  return withTransaction(pool, async (client): Promise<CompleteAttemptResult> => {
    // The task leaves `running` only if it is still running this attempt; its attempt's row is
    // written from the open attempt on the task's row.
    const { rows } = await client.query<{ task_key: string }>(
      `WITH e AS (
         UPDATE task_runs SET ${
           input.requeue
             ? `status = 'queued', queued_at = now(), max_attempts = max_attempts + 1,
                next_attempt_at = $10::timestamptz`
             : `status = 'retry_wait', next_attempt_at = $10::timestamptz, error = $5`
         }
          WHERE id = $1 AND status = 'running' AND attempt_id = $2
         RETURNING id, run_id, task_key, attempt_id, attempt_count, worker_id, attempt_started_at),
       a AS (
         INSERT INTO task_attempts (id, task_run_id, run_id, attempt_number, worker_id, status,
                                    started_at, finished_at, exit_code, http_status, error,
                                    output, log_bytes, log_lines, log_truncated)
         SELECT attempt_id, id, run_id, attempt_count, worker_id, $3::"AttemptStatus",
                attempt_started_at, now(), $4, $6, $5, $7::jsonb, $8, $9, $11
           FROM e
         RETURNING id)
       SELECT e.task_key FROM e`,
      [
        input.taskRunId,
        input.attemptId,
        input.requeue ? 'cancelled' : input.lost ? 'lost' : input.outcome,
        input.exitCode ?? null,
        input.error ?? null,
        input.httpStatus ?? null,
        input.output === undefined ? null : JSON.stringify(input.output),
        input.log?.bytes ?? 0,
        input.log?.lines ?? 0,
        runAt,
        input.log?.truncated ?? false,
      ],
    );
    // Already ended elsewhere (cancelled, or declared lost): whoever ended it owns the outcome.
    const task = rows[0]?.task_key;
    if (task === undefined) return { applied: false };
    await enqueueTaskJobs(client, [input.taskRunId], runAt);
    const taskStatus = input.requeue ? 'queued' : 'retry_wait';
    await notifyRunChanges(client, input.runId, [{ task, status: taskStatus }]);
    return { applied: true, taskStatus, runStatus: null };
  });
}
