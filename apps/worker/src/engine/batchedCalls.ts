/**
 * The engine's two per-task database calls, batched: claims of jobs that arrive together go out as
 * one statement, and completions of tasks of the same run as one statement (one update of the
 * run's row). Redeliveries, retries and hand-backs, which are rare, go out alone.
 */
import {
  claimTasks,
  completeAttempt,
  completeAttempts,
  endsTask,
  type ClaimedTask,
  type CompleteAttemptInput,
  type CompleteAttemptResult,
  type Pool,
  type RunNoticeSink,
} from '@dtss/db';
import { Batcher } from './batcher';
import { RunContextLru } from './runContexts';

/**
 * Enough to amortise a statement; small enough that one statement stays short. Also how many task
 * results a worker may hold unrecorded (PendingCompletions): one full statement's worth.
 */
export const MAX_BATCH = 64;
const LINGER_MS = 1;

export interface BatchedCalls {
  /**
   * `firstDelivery`: graphile-worker hands out this job for the first time (attempt 1). 'refused':
   * this worker's row is not active (declared lost): the task was given a fresh job instead.
   */
  claim(taskRunId: string, firstDelivery: boolean): Promise<ClaimedTask | null | 'refused'>;
  complete(input: CompleteAttemptInput): Promise<CompleteAttemptResult>;
}

export function createBatchedCalls(
  pool: Pool,
  workerId: string,
  /** How many tasks this worker is handling right now (claiming, running or completing). */
  busy: () => number,
  /** Where task changes go to be announced (coalesced). */
  notices: RunNoticeSink,
): BatchedCalls {
  // Alone (a chain's next step) a call goes out at once; with other tasks in hand, a claim or a
  // completion waits LINGER_MS for its neighbours so one statement carries several.
  const linger = () => (busy() > 1 ? LINGER_MS : 0);
  const runs = new RunContextLru();
  const claims = new Batcher<string, ClaimedTask | null | 'refused'>(
    async (_key, ids) => {
      let refused = false;
      // First deliveries only: no earlier holder can have left an attempt open.
      const options = { notices, runs, firstDelivery: true, onRefused: () => (refused = true) };
      const claimed = new Map(
        (await claimTasks(pool, ids, workerId, options)).map((c) => [c.taskRunId, c]),
      );
      return ids.map((id) => claimed.get(id) ?? (refused ? 'refused' : null));
    },
    MAX_BATCH,
    linger,
  );
  const completions = new Batcher<CompleteAttemptInput, CompleteAttemptResult>(
    (runId, inputs) => completeAttempts(pool, runId, inputs, notices),
    MAX_BATCH,
    linger,
  );
  return {
    claim: async (taskRunId, firstDelivery) => {
      if (firstDelivery) return claims.submit('', taskRunId);
      let refused = false;
      const options = { notices, runs, onRefused: () => (refused = true) };
      const [claimed] = await claimTasks(pool, [taskRunId], workerId, options);
      return claimed ?? (refused ? 'refused' : null);
    },
    complete: (input) =>
      endsTask(input) ? completions.submit(input.runId, input) : completeAttempt(pool, input),
  };
}
