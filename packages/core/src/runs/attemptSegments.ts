// A task's time in a run as bars of a timeline: waiting for a worker (queued, retry back-off)
// apart from executing, so a slow pool is told apart from a slow task.

export interface SegmentAttempt {
  number: number;
  status: string;
  startedAt: number;
  finishedAt: number | null;
}

export interface SegmentTask {
  ended: boolean;
  queuedAt: number | null;
  finishedAt: number | null;
  attempts: readonly SegmentAttempt[];
}

export type Segment =
  | { kind: 'wait'; start: number; end: number; open: boolean }
  | { kind: 'run'; start: number; end: number; open: boolean; attempt: number; status: string };

/**
 * The task's segments in time order. An open segment (still waiting, still running) ends at
 * `now`; a task that ended without an attempt (skipped, cancelled while queued) waited until its end.
 */
export function attemptSegments(task: SegmentTask, now: number): Segment[] {
  const out: Segment[] = [];
  const attempts = [...task.attempts].sort((a, b) => a.number - b.number);
  let waitFrom = task.queuedAt;
  for (const a of attempts) {
    if (waitFrom !== null && a.startedAt > waitFrom)
      out.push({ kind: 'wait', start: waitFrom, end: a.startedAt, open: false });
    const open = a.finishedAt === null && !task.ended;
    const end = a.finishedAt ?? (task.ended ? (task.finishedAt ?? a.startedAt) : now);
    out.push({
      kind: 'run',
      start: a.startedAt,
      end: Math.max(end, a.startedAt),
      open,
      attempt: a.number,
      status: a.status,
    });
    waitFrom = a.finishedAt;
  }
  const last = attempts[attempts.length - 1];
  const running = last !== undefined && last.finishedAt === null && !task.ended;
  if (waitFrom !== null && !running) {
    // Waiting now (queued, retry back-off), or waited until the task ended without another attempt.
    const end = task.ended ? (task.finishedAt ?? waitFrom) : now;
    if (end > waitFrom || !task.ended)
      out.push({ kind: 'wait', start: waitFrom, end: Math.max(end, waitFrom), open: !task.ended });
  }
  return out;
}

/** Totals of a task's segments: time spent waiting and time spent executing. */
export function segmentTotals(segments: readonly Segment[]): { waitMs: number; runMs: number } {
  let waitMs = 0;
  let runMs = 0;
  for (const s of segments) {
    if (s.kind === 'wait') waitMs += s.end - s.start;
    else runMs += s.end - s.start;
  }
  return { waitMs, runMs };
}
