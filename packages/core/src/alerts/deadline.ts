// SLA deadlines (like Airflow 3.1's deadline alerts): when a run must have ended, measured from its
// logical date, from when it was queued, or from its start plus the workflow's mean duration over
// its last n successful runs. Pure: the leader passes the run's times and the history it read.
import type { DeadlineSpec } from './ruleSchema';

export interface DeadlineRunTimes {
  /** When the run was queued (created). */
  createdAt: Date;
  startedAt: Date | null;
  /** The schedule instant or backfill date the run is for; null for manual and event runs. */
  logicalDate: Date | null;
}

/**
 * The instant the run must have ended by, or null when none can be computed yet (an `average`
 * deadline of a run not started, or of a workflow without a successful run).
 */
export function computeDeadline(
  spec: DeadlineSpec,
  run: DeadlineRunTimes,
  averageMs: number | null,
): Date | null {
  switch (spec.from) {
    case 'logical_date':
      return new Date((run.logicalDate ?? run.createdAt).getTime() + spec.afterMs);
    case 'queued':
      return new Date(run.createdAt.getTime() + spec.afterMs);
    case 'average':
      if (averageMs === null || run.startedAt === null) return null;
      return new Date(run.startedAt.getTime() + Math.round(averageMs * spec.factor) + spec.afterMs);
  }
}

/** The mean of the durations (ms) of the last `runs` successful runs, newest first; null if none. */
export function averageDuration(
  durationsNewestFirst: readonly number[],
  runs: number,
): number | null {
  const sample = durationsNewestFirst.slice(0, runs);
  if (sample.length === 0) return null;
  return sample.reduce((a, b) => a + b, 0) / sample.length;
}

/** Whether a run with this deadline has missed it: still active after it, or ended after it. */
export function missedDeadline(deadline: Date | null, now: Date, finishedAt: Date | null): boolean {
  if (deadline === null) return false;
  return (finishedAt ?? now).getTime() > deadline.getTime();
}
