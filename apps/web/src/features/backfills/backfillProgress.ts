// How far a backfill has got, from its counters and its runs by status (readBackfills.ts).

const ENDED = ['succeeded', 'failed', 'cancelled', 'timed_out'] as const;

export interface BackfillCounters {
  status: string;
  totalRuns: number;
  createdRuns: number;
  runsByStatus: Record<string, number>;
}

export interface BackfillProgress {
  /** Runs that have ended, whatever their outcome. */
  done: number;
  total: number;
  created: number;
  /** Queued or running now. */
  active: number;
  /** Ended without succeeding. */
  failed: number;
  /** 0-100 (done of total). */
  percent: number;
}

export function backfillProgress(b: BackfillCounters): BackfillProgress {
  const n = (status: string) => b.runsByStatus[status] ?? 0;
  const done = ENDED.reduce((sum, s) => sum + n(s), 0);
  const total = Math.max(b.totalRuns, 0);
  return {
    done,
    total,
    created: b.createdRuns,
    active: n('queued') + n('running'),
    failed: n('failed') + n('timed_out') + n('cancelled'),
    percent: total === 0 ? 0 : Math.min(100, Math.round((done / total) * 100)),
  };
}

/** Only running backfills change by themselves: their list is re-read while one runs. */
export function anyBackfillRunning(list: readonly { status: string }[] | undefined): boolean {
  return (list ?? []).some((b) => b.status === 'running');
}
