// When a task may start, decided from counters of its upstream outcomes in O(1).
//
// The engine keeps, per task run, how many upstream tasks ended in each way, and re-evaluates the
// rule when one of them ends. Outcomes are counted as: succeeded; failed (also timed_out and
// cancelled: the upstream did not deliver, whatever the reason); skipped. `done` is their sum.
//
// rule          ready when                      skip when (as soon as known)       otherwise
// ------------  ------------------------------  ---------------------------------  ---------
// all_success   every upstream succeeded        any upstream failed or skipped     wait
// all_failed    every upstream failed           any upstream succeeded or skipped  wait
// all_done      every upstream done             never                              wait
// always        every upstream done             never                              wait
// one_success   at least one succeeded          all done and none succeeded        wait
// one_failed    at least one failed             all done and none failed           wait
// none_failed   all done and none failed        any upstream failed                wait
//               (skipped upstream are fine)
//
// A task without upstream (total = 0) is ready under all_success, all_done, always and none_failed.
// The definition check rejects one_success, one_failed and all_failed without `needs`; should one
// reach the engine anyway it is skipped, as it could never fire.
//
// `always` differs from `all_done` in the engine, not here: an `always` task is not cancelled when
// its run is cancelled or times out; it still runs once its upstream are done (a `finally` for
// cleanup). An `all_done` task is cancelled with the run like any other.

export const TRIGGER_RULES = [
  'all_success',
  'all_done',
  'all_failed',
  'one_success',
  'one_failed',
  'none_failed',
  'always',
] as const;
export type TriggerRule = (typeof TRIGGER_RULES)[number];

/** Rules that can never fire for a task without upstream. */
export const RULES_NEEDING_UPSTREAM: ReadonlySet<TriggerRule> = new Set([
  'one_success',
  'one_failed',
  'all_failed',
]);

export interface UpstreamCounts {
  /** Number of upstream tasks (the task's needs). */
  total: number;
  succeeded: number;
  /** Failed and timed out. */
  failed: number;
  skipped: number;
  /** Cancelled upstream; counted as failed. */
  cancelled?: number;
  /** Upstream not yet in a final state. Must equal total − (succeeded + failed + skipped + cancelled). */
  pendingUpstream: number;
}

export type TriggerDecision = 'ready' | 'skip' | 'wait';

export function evaluateTriggerRule(rule: TriggerRule, counts: UpstreamCounts): TriggerDecision {
  const { total, succeeded, skipped, pendingUpstream: pending } = counts;
  const failed = counts.failed + (counts.cancelled ?? 0);
  if (
    succeeded + failed + skipped + pending !== total ||
    Math.min(succeeded, failed, skipped, pending) < 0
  ) {
    throw new RangeError(`inconsistent upstream counts: ${JSON.stringify(counts)}`);
  }
  const allDone = pending === 0;
  switch (rule) {
    case 'all_success':
      if (failed + skipped > 0) return 'skip';
      return allDone ? 'ready' : 'wait';
    case 'all_failed':
      if (total === 0 || succeeded + skipped > 0) return 'skip';
      return allDone ? 'ready' : 'wait';
    case 'all_done':
    case 'always':
      return allDone ? 'ready' : 'wait';
    case 'one_success':
      if (succeeded > 0) return 'ready';
      return allDone ? 'skip' : 'wait';
    case 'one_failed':
      if (failed > 0) return 'ready';
      return allDone ? 'skip' : 'wait';
    case 'none_failed':
      if (failed > 0) return 'skip';
      return allDone ? 'ready' : 'wait';
  }
}
