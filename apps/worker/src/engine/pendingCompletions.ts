/**
 * Completions that end their task are recorded after the handler has returned: the task's result
 * is made durable by DTSS's own completion statement, not by graphile-worker's job (which only
 * delivers the task), so the slot goes back to fetching work while the statement is in flight.
 * A crash before it commits is the same case as a crash during the task: the attempt is still
 * open on a worker that stops heartbeating, and the leader records it as lost (and retries it).
 *
 * A failed write is retried until it is recorded, or refused because the attempt was closed
 * elsewhere (the database answers `applied: false`, which is not an error: the result is dropped).
 * After RETRIES_BEFORE_FALLBACK failures the result itself may be what the database refuses, so the
 * attempt is recorded as failed, with the reason, and without its output.
 */
import {
  isDatabaseUnavailable,
  type CompleteAttemptInput,
  type CompleteAttemptResult,
} from '@dtss/db';

const RETRY_DELAYS_MS = [100, 500, 2_000, 5_000];

/** Told what was recorded (the input as written: it may be the fallback) and the answer. */
export type OnRecorded = (recorded: CompleteAttemptInput, result: CompleteAttemptResult) => void;
const RETRIES_BEFORE_FALLBACK = 3;

export class PendingCompletions {
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly complete: (input: CompleteAttemptInput) => Promise<CompleteAttemptResult>,
    private readonly log: (line: string) => void,
    /** At most this many unrecorded at once: `add` waits for room beyond it. */
    private readonly limit: number,
    private readonly delaysMs: number[] = RETRY_DELAYS_MS,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /**
   * Records the completion in the background (see the module comment). Resolves at once, or, with
   * `limit` completions unrecorded, once one of them is: a worker finishing tasks faster than it
   * can record them slows down instead of queueing without bound (many runs' completions do not
   * share statements, and each holds a database connection).
   */
  async add(input: CompleteAttemptInput, onRecorded?: OnRecorded): Promise<void> {
    while (this.pending.size >= this.limit) await Promise.race(this.pending);
    const recorded: Promise<void> = this.record(input, onRecorded).finally(() =>
      this.pending.delete(recorded),
    );
    this.pending.add(recorded);
  }

  /**
   * Waits for the pending completions, up to `timeoutMs`; returns how many are left unrecorded
   * (and stops retrying them: their attempts are left to the lost-worker sweep).
   */
  async settle(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.pending]), timeout]);
    clearTimeout(timer);
    this.stopped = true;
    return this.pending.size;
  }

  private async record(first: CompleteAttemptInput, onRecorded?: OnRecorded): Promise<void> {
    let input = first;
    // Refusals count towards the fallback; a database that cannot be reached refuses nothing (the
    // result is recorded whole once it is back).
    let refusals = 0;
    for (let failures = 0; ; failures++) {
      try {
        const result = await this.complete(input);
        onRecorded?.(input, result);
        // Refused, not failed: the attempt was closed elsewhere (swept as lost while this worker was
        // silent, or taken over by a redelivery) and whoever closed it owns the outcome. Dropped.
        if (!result.applied) {
          this.log(
            `the end of attempt ${input.attemptId} was not recorded: the attempt had been closed ` +
              'elsewhere (swept as lost while this worker was silent, or taken over): its result is dropped',
          );
        }
        return;
      } catch (err) {
        if (this.stopped) return;
        const reason = (err as Error).message;
        const delay = this.delaysMs[Math.min(failures, this.delaysMs.length - 1)]!;
        this.log(`recording the end of attempt ${input.attemptId} failed (${reason}); retrying`);
        if (!isDatabaseUnavailable(err) && ++refusals === RETRIES_BEFORE_FALLBACK) {
          input = withoutResult(input, reason);
        }
        await new Promise((r) => setTimeout(r, delay));
        if (this.stopped) return;
      }
    }
  }
}

/** The attempt as failed, without its output: what is left to record when the result is refused. */
function withoutResult(input: CompleteAttemptInput, reason: string): CompleteAttemptInput {
  const { output: _output, ...rest } = input;
  return {
    ...rest,
    outcome: input.outcome === 'succeeded' ? 'failed' : input.outcome,
    error: `the worker could not record this attempt's result: ${reason}`,
  };
}
