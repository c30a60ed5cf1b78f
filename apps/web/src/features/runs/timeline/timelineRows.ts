// The run timeline's rows: each task's attempts as bars of waiting (queued, retry back-off) and
// executing, from @dtss/core's attemptSegments. Pure. Built in two steps so a live run costs
// little: `timelineBase` once per run object (dates read, segments of ended tasks, order), then
// `timelineAt` each second, which recomputes only the rows whose segments are still open.
import { attemptSegments, segmentTotals, taskRunMachine, type Segment } from '@dtss/core';
import type { Domain } from './timelineScale';
import { shortDuration } from './timelineScale';

type When = Date | string | null | undefined;

/** The parts of an attempt the timeline reads (RunView's `attemptHistory` items). */
export interface TimelineAttemptInput {
  number: number;
  status: string;
  workerId?: string | null;
  startedAt: Date | string;
  finishedAt: When;
}

/** The parts of a task the timeline reads (a RunView task). */
export interface TimelineTaskInput {
  key: string;
  status: string;
  queuedAt: When;
  finishedAt: When;
  nextAttemptAt?: When;
  attempts?: number;
  maxAttempts?: number;
  attemptHistory?: readonly TimelineAttemptInput[];
}

/**
 * The parts of a run the timeline reads: a RunView, @dtss/client's or runs.get's (dates as Date
 * objects or ISO strings).
 */
export interface TimelineRunInput {
  status: string;
  createdAt: Date | string;
  startedAt: When;
  finishedAt: When;
  tasks: readonly TimelineTaskInput[];
}

export interface TimelineRow {
  key: string;
  /** The task's status. */
  status: string;
  /** Position in the run's task list (graph order). */
  graphIndex: number;
  /** When the task entered the timeline (queued, or its first attempt); null: never queued. */
  firstAt: number | null;
  /** Its segments are still open: they grow with `now`. */
  live: boolean;
  segments: readonly Segment[];
  totals: { waitMs: number; runMs: number };
  attempts: number;
  maxAttempts: number;
  /** When a task in retry back-off is due again. */
  nextAttemptAt: number | null;
  /** Worker of each attempt, by attempt number. */
  workers: ReadonlyMap<number, string>;
  /** attemptSegments' input, kept to recompute a live row. */
  source: Parameters<typeof attemptSegments>[0];
}

/** What `timelineBase` reads once per run object. */
export interface TimelineBase {
  /** In display order: by when they entered the timeline, then graph order; never queued last. */
  rows: readonly TimelineRow[];
  /** The run's start, or its earliest queued task if earlier. */
  start: number;
  /** The latest end of anything closed (segments, the run itself). */
  staticEnd: number;
  /** The run is over: its end does not move with `now` (unless a row is still live). */
  ended: boolean;
  /** Some row is live. */
  live: boolean;
}

export interface Timeline {
  rows: readonly TimelineRow[];
  domain: Domain;
  /** Something on it moves with `now`. */
  live: boolean;
}

/** ms since the epoch, or null (no date, or not a date). */
export function toMs(d: When): number | null {
  if (d === null || d === undefined || d === '') return null;
  const t = new Date(d).getTime();
  return Number.isNaN(t) ? null : t;
}

const TERMINAL: readonly string[] = taskRunMachine.terminal;

export function isActiveRunStatus(status: string): boolean {
  return status === 'queued' || status === 'running';
}

/** The rows and the fixed part of the domain of a run; recompute only when the run object changes. */
export function timelineBase(run: TimelineRunInput): TimelineBase {
  const runActive = isActiveRunStatus(run.status);
  const runFinished = toMs(run.finishedAt);
  const rows: TimelineRow[] = run.tasks.map((t, graphIndex) => {
    const queuedAt = toMs(t.queuedAt);
    const finishedAt = toMs(t.finishedAt);
    const workers = new Map<number, string>();
    const attempts = [];
    for (const a of t.attemptHistory ?? []) {
      const startedAt = toMs(a.startedAt);
      if (startedAt === null) continue;
      attempts.push({
        number: a.number,
        status: a.status,
        startedAt,
        finishedAt: toMs(a.finishedAt),
      });
      if (a.workerId) workers.set(a.number, a.workerId);
    }
    // A task the stream just called ended, before the re-read brings its end time, is still drawn
    // as open (to now) rather than collapsed; once the run is over, ended is ended.
    const ended = TERMINAL.includes(t.status) && (finishedAt !== null || !runActive);
    const source = { ended, queuedAt, finishedAt, attempts };
    // `now` only matters to open segments, which are recomputed by timelineAt.
    const segments = attemptSegments(source, runFinished ?? 0);
    const live = segments.some((s) => s.open);
    let firstAt = queuedAt;
    for (const a of attempts) if (firstAt === null || a.startedAt < firstAt) firstAt = a.startedAt;
    return {
      key: t.key,
      status: t.status,
      graphIndex,
      firstAt,
      live,
      segments,
      totals: segmentTotals(segments),
      attempts: t.attempts ?? attempts.length,
      maxAttempts: t.maxAttempts ?? Math.max(1, attempts.length),
      nextAttemptAt: toMs(t.nextAttemptAt),
      workers,
      source,
    };
  });
  rows.sort((a, b) => {
    if (a.firstAt === null || b.firstAt === null) {
      if (a.firstAt !== b.firstAt) return a.firstAt === null ? 1 : -1;
    } else if (a.firstAt !== b.firstAt) return a.firstAt - b.firstAt;
    return a.graphIndex - b.graphIndex;
  });

  let start = toMs(run.startedAt) ?? toMs(run.createdAt) ?? 0;
  for (const r of rows) if (r.firstAt !== null && r.firstAt < start) start = r.firstAt;
  let staticEnd = start;
  const ended = !runActive && runFinished !== null;
  if (ended && runFinished > staticEnd) staticEnd = runFinished;
  for (const r of rows)
    for (const s of r.segments) if (!s.open && s.end > staticEnd) staticEnd = s.end;
  return { rows, start, staticEnd, ended, live: rows.some((r) => r.live) };
}

/**
 * The timeline at `now`: live rows recomputed (new objects), every other row the same object as
 * in `base`, and the same array when nothing is live, so memoised rows do not re-render.
 */
export function timelineAt(base: TimelineBase, now: number): Timeline {
  const rows = base.live
    ? base.rows.map((r) => {
        if (!r.live) return r;
        const segments = attemptSegments(r.source, now);
        return { ...r, segments, totals: segmentTotals(segments) };
      })
    : base.rows;
  const end = base.ended && !base.live ? base.staticEnd : Math.max(base.staticEnd, now);
  return {
    rows,
    domain: { start: base.start, end: Math.max(end, base.start) },
    live: !base.ended || base.live,
  };
}

const words = (s: string) => s.replace(/_/g, ' ');

/**
 * A bar's accessible name: "extract attempt 2 · failed · ran 3.2s", "extract waited 1.1s for a
 * worker". `afterAttempt`: the wait follows an attempt (a retry's back-off and queue).
 */
export function segmentLabel(
  key: string,
  seg: Segment,
  opts: { afterAttempt?: boolean; worker?: string | null } = {},
): string {
  const d = shortDuration(seg.end - seg.start);
  if (seg.kind === 'run') {
    const on = opts.worker ? ` · on ${opts.worker}` : '';
    return seg.open
      ? `${key} attempt ${seg.attempt} · ${words(seg.status)} · running for ${d}${on}`
      : `${key} attempt ${seg.attempt} · ${words(seg.status)} · ran ${d}${on}`;
  }
  const why = opts.afterAttempt ? ' (retry back-off)' : '';
  return seg.open
    ? `${key} waiting for a worker${why} · ${d} so far`
    : `${key} waited ${d} for a worker${why}`;
}

/** A row's totals, short ("wait 1.1s · run 3.2s") and long (its title). */
export function rowSummary(row: TimelineRow): { short: string; long: string } {
  const { waitMs, runMs } = row.totals;
  if (row.segments.length === 0)
    return { short: '—', long: `${row.key}: not started (${words(row.status)})` };
  const tries = row.attempts === 1 ? '1 attempt' : `${row.attempts} attempts`;
  const share = waitMs + runMs > 0 ? Math.round((waitMs / (waitMs + runMs)) * 100) : 0;
  return {
    short: `wait ${shortDuration(waitMs)} · run ${shortDuration(runMs)}`,
    long:
      `${row.key}: waited ${shortDuration(waitMs)} for a worker (${share}% of its time), ` +
      `executed ${shortDuration(runMs)} over ${tries}` +
      (row.live ? ' so far' : ''),
  };
}
