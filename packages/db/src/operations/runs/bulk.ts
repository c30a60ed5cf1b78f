/**
 * Cancelling or rerunning many runs of one team: each run goes through the very operation a single
 * one does (cancelRun, rerunRun with the failed part), in its own transaction, a few at a time.
 * Runs the operation does not apply to are skipped with a reason instead of failing the batch;
 * runs of other teams are skipped exactly like runs that do not exist.
 */
import type { Pool } from '../../pool';
import { cancelRun, type CancelRunResult } from './cancelRun';
import { rerunRun } from './rerun';
import { RunRequestError, type RunRef, type RunStatus } from './types';

/** Why a run was left alone. */
export type BulkSkipReason =
  /** No such run in the team (or it belongs to another team). */
  | 'not_found'
  /** Cancel: the run had already ended. */
  | 'ended'
  /** Rerun: the run is still queued or running. */
  | 'active'
  /** Rerun: every task succeeded, nothing to rerun. */
  | 'nothing_failed';

export interface BulkSkip {
  runId: string;
  reason: BulkSkipReason;
  /** The reason as people read it. */
  message: string;
}

export interface BulkOptions<T> {
  /** Called once per run the operation changed, right after its transaction committed. */
  onDone?: (done: T) => Promise<void>;
  /** Runs handled at the same time (each holds one pooled connection while it works). */
  concurrency?: number;
}

export interface BulkCancelDone extends CancelRunResult {
  runId: string;
}

export interface BulkRerunDone {
  /** The run that was rerun. */
  runId: string;
  /** The new run. */
  run: RunRef;
}

export interface BulkResult<T> {
  done: T[];
  skipped: BulkSkip[];
}

// One run at a time: ending a run of a workflow with a concurrency limit locks the workflow's row
// to start its next queued run, so cancels of one workflow's runs would wait on each other anyway.
const DEFAULT_CONCURRENCY = 1;

/** Cancels each queued or running run of the team among `runIds`; ended ones are skipped. */
export async function cancelRuns(
  pool: Pool,
  teamId: string,
  runIds: readonly string[],
  opts: BulkOptions<BulkCancelDone> = {},
): Promise<BulkResult<BulkCancelDone>> {
  return forEachRun(pool, teamId, runIds, opts, async (runId, status) => {
    if (status !== 'queued' && status !== 'running') return ended(runId, status);
    const result = await cancelRun(pool, runId);
    // It ended between the read and the cancel.
    if (!result.accepted) return ended(runId, null);
    return { done: { runId, ...result } };
  });
}

/** Reruns the failed part of each ended run of the team among `runIds` (like runs.rerun 'failed'). */
export async function rerunFailedRuns(
  pool: Pool,
  teamId: string,
  runIds: readonly string[],
  opts: BulkOptions<BulkRerunDone> & { triggeredById?: string | null } = {},
): Promise<BulkResult<BulkRerunDone>> {
  return forEachRun(pool, teamId, runIds, opts, async (runId, status) => {
    if (status === 'queued' || status === 'running') return active(runId, status);
    if (status === 'succeeded') return nothingFailed(runId);
    try {
      const run = await rerunRun(
        pool,
        runId,
        { kind: 'failed' },
        { triggeredById: opts.triggeredById ?? null },
      );
      return { done: { runId, run } };
    } catch (error) {
      if (!(error instanceof RunRequestError)) throw error;
      if (error.code === 'nothing_to_rerun') return nothingFailed(runId);
      if (error.code === 'run_active') return active(runId, null);
      if (error.code === 'unknown_run') return notFound(runId);
      throw error;
    }
  });
}

type Outcome<T> = { done: T } | { skip: BulkSkip };

async function forEachRun<T>(
  pool: Pool,
  teamId: string,
  runIds: readonly string[],
  opts: BulkOptions<T>,
  act: (runId: string, status: RunStatus) => Promise<Outcome<T>>,
): Promise<BulkResult<T>> {
  const ids = [...new Set(runIds)];
  const { rows } = await pool.query<{ id: string; status: RunStatus }>(
    'SELECT id, status FROM workflow_runs WHERE team_id = $1 AND id = ANY ($2::uuid[])',
    [teamId, ids],
  );
  const statusOf = new Map(rows.map((r) => [r.id, r.status]));
  const outcomes: Outcome<T>[] = new Array(ids.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    // After an unexpected error no further run is started; the ones in flight finish.
    while (next < ids.length && !failed) {
      const i = next++;
      const runId = ids[i]!;
      const status = statusOf.get(runId);
      try {
        const outcome = status ? await act(runId, status) : notFound(runId);
        if ('done' in outcome) await opts.onDone?.(outcome.done);
        outcomes[i] = outcome;
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Math.max(1, Math.min(opts.concurrency ?? DEFAULT_CONCURRENCY, ids.length));
  const settled = await Promise.allSettled(Array.from({ length: workers }, worker));
  const error = settled.find((s) => s.status === 'rejected');
  if (error) throw error.reason;
  const result: BulkResult<T> = { done: [], skipped: [] };
  for (const o of outcomes) {
    if ('done' in o) result.done.push(o.done);
    else result.skipped.push(o.skip);
  }
  return result;
}

const skip = (runId: string, reason: BulkSkipReason, message: string) => ({
  skip: { runId, reason, message },
});
const notFound = (runId: string) => skip(runId, 'not_found', 'no such run in this team');
const ended = (runId: string, status: RunStatus | null) =>
  skip(runId, 'ended', status ? `already ${status.replace('_', ' ')}` : 'already ended');
const active = (runId: string, status: RunStatus | null) =>
  skip(runId, 'active', `still ${status ?? 'active'}: rerun it once it has ended`);
const nothingFailed = (runId: string) =>
  skip(runId, 'nothing_failed', 'every task succeeded: nothing to rerun');
