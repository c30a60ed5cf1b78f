/**
 * The engine's two per-task database calls, batched: claims of jobs that arrive together go out as
 * one statement, and completions of tasks of the same run as one transaction (one update of the
 * run's row). Retries and hand-backs, which do not end a task, go out alone.
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
} from '@dtss/db';
import { Batcher } from './batcher';

/** Enough to amortise a statement; small enough that one statement stays short. */
const MAX_BATCH = 64;
const LINGER_MS = 1;

export interface BatchedCalls {
  claim(taskRunId: string): Promise<ClaimedTask | null>;
  complete(input: CompleteAttemptInput): Promise<CompleteAttemptResult>;
}

export function createBatchedCalls(
  pool: Pool,
  workerId: string,
  /** How many tasks this worker is handling right now (claiming, running or completing). */
  busy: () => number = () => 0,
): BatchedCalls {
  // Alone (a chain's next step) a call goes out at once; with other tasks in hand, a claim or a
  // completion waits LINGER_MS for its neighbours so one statement carries several.
  const linger = () => (busy() > 1 ? LINGER_MS : 0);
  const claims = new Batcher<string, ClaimedTask | null>(
    async (_key, ids) => {
      const claimed = new Map((await claimTasks(pool, ids, workerId)).map((c) => [c.taskRunId, c]));
      return ids.map((id) => claimed.get(id) ?? null);
    },
    MAX_BATCH,
    linger,
  );
  const completions = new Batcher<CompleteAttemptInput, CompleteAttemptResult>(
    (runId, inputs) => completeAttempts(pool, runId, inputs),
    MAX_BATCH,
    linger,
  );
  return {
    claim: (taskRunId) => claims.submit('', taskRunId),
    complete: (input) =>
      endsTask(input) ? completions.submit(input.runId, input) : completeAttempt(pool, input),
  };
}
