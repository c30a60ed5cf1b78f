/**
 * Two runs of a workflow side by side, task by task: statuses, durations and their difference,
 * attempts, outputs, params. Pure: the compare page renders what this returns.
 */
import type { JsonValue } from '@dtss/core';
import { durationMs } from '@/lib/format';
import { jsonDiff, type JsonDiff } from './jsonDiff';

type Instant = Date | string | null;

export interface CompareTaskInput {
  key: string;
  status: string;
  attempts: number;
  startedAt: Instant;
  finishedAt: Instant;
  output: JsonValue | null;
}

export interface CompareRunInput {
  id: string;
  number: number;
  status: string;
  params: Record<string, JsonValue>;
  startedAt: Instant;
  finishedAt: Instant;
  tasks: readonly CompareTaskInput[];
}

export interface TaskSide {
  status: string;
  /** Started → finished; to `now` while it runs (`running`); null before it started. */
  durationMs: number | null;
  running: boolean;
  attempts: number;
}

export interface TaskComparison {
  key: string;
  /** null: the run has no such task (another version). */
  a: TaskSide | null;
  b: TaskSide | null;
  /** B − A in ms, when both durations are known. Positive: B took longer. */
  deltaMs: number | null;
  /** B − A, when both runs have the task. */
  attemptsDelta: number | null;
  statusChanged: boolean;
  /** What changed from A's output to B's (no output = absent). */
  output: JsonDiff;
  /** One of the (at most 3) tasks that added the most time. */
  slowdown: boolean;
}

export interface RunComparison {
  tasks: TaskComparison[];
  totals: {
    aMs: number | null;
    bMs: number | null;
    /** B − A; null unless both runs started. */
    deltaMs: number | null;
    /** B / A − 1 (0.25 = 25 % longer); null when A's duration is 0 or unknown. */
    ratio: number | null;
  };
  /** The tasks that added the most time in B, most first (at most 3, each > 0). */
  topSlowdowns: TaskComparison[];
  /** Changes from A's params to B's. */
  params: JsonDiff;
  /** Either run is still going: its durations are "so far". */
  partial: boolean;
}

export type TaskSort = 'graph' | 'difference';

/** Started → finished in ms; started → now while it runs; null before it starts. */
export function spanMs(startedAt: Instant, finishedAt: Instant, now: number): number | null {
  if (!startedAt) return null;
  const end = finishedAt ? new Date(finishedAt).getTime() : now;
  return Math.max(0, end - new Date(startedAt).getTime());
}

function side(t: CompareTaskInput | undefined, now: number): TaskSide | null {
  if (!t) return null;
  return {
    status: t.status,
    durationMs: spanMs(t.startedAt, t.finishedAt, now),
    running: Boolean(t.startedAt) && !t.finishedAt,
    attempts: t.attempts,
  };
}

/**
 * A compared with B. `order` (e.g. the graph's topological order) places the tasks; tasks it does
 * not name follow in A's order, then B's.
 */
export function compareRuns(
  a: CompareRunInput,
  b: CompareRunInput,
  opts: { now?: number; order?: readonly string[] } = {},
): RunComparison {
  const now = opts.now ?? Date.now();
  const byKeyA = new Map(a.tasks.map((t) => [t.key, t]));
  const byKeyB = new Map(b.tasks.map((t) => [t.key, t]));
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const key of [
    ...(opts.order ?? []).filter((k) => byKeyA.has(k) || byKeyB.has(k)),
    ...byKeyA.keys(),
    ...byKeyB.keys(),
  ]) {
    if (seen.has(key)) continue;
    seen.add(key);
    keys.push(key);
  }

  const tasks: TaskComparison[] = keys.map((key) => {
    const ta = byKeyA.get(key);
    const tb = byKeyB.get(key);
    const sa = side(ta, now);
    const sb = side(tb, now);
    return {
      key,
      a: sa,
      b: sb,
      deltaMs:
        sa?.durationMs != null && sb?.durationMs != null ? sb.durationMs - sa.durationMs : null,
      attemptsDelta: sa && sb ? sb.attempts - sa.attempts : null,
      statusChanged: Boolean(sa && sb && sa.status !== sb.status),
      output: jsonDiff(ta?.output ?? undefined, tb?.output ?? undefined),
      slowdown: false,
    };
  });

  const topSlowdowns = tasks
    .filter((t) => t.deltaMs !== null && t.deltaMs > 0)
    .sort((x, y) => y.deltaMs! - x.deltaMs! || keys.indexOf(x.key) - keys.indexOf(y.key))
    .slice(0, 3);
  for (const t of topSlowdowns) t.slowdown = true;

  const aMs = spanMs(a.startedAt, a.finishedAt, now);
  const bMs = spanMs(b.startedAt, b.finishedAt, now);
  const deltaMs = aMs !== null && bMs !== null ? bMs - aMs : null;
  return {
    tasks,
    totals: {
      aMs,
      bMs,
      deltaMs,
      ratio: deltaMs !== null && aMs ? deltaMs / aMs : null,
    },
    topSlowdowns,
    params: jsonDiff(a.params, b.params),
    partial: isActive(a.status) || isActive(b.status),
  };
}

function isActive(status: string): boolean {
  return status === 'queued' || status === 'running';
}

/**
 * The rows in graph order, or biggest difference first (by size, slower or faster; rows without
 * a difference last, in graph order).
 */
export function sortTasks(tasks: readonly TaskComparison[], sort: TaskSort): TaskComparison[] {
  const rows = [...tasks];
  if (sort === 'graph') return rows;
  const index = new Map(tasks.map((t, i) => [t.key, i]));
  return rows.sort((x, y) => {
    const dx = x.deltaMs === null ? -1 : Math.abs(x.deltaMs);
    const dy = y.deltaMs === null ? -1 : Math.abs(y.deltaMs);
    return dy - dx || index.get(x.key)! - index.get(y.key)!;
  });
}

/** "+1.50 s", "−250 ms", "±0 ms": a signed difference for people. */
export function signedDuration(ms: number): string {
  if (ms === 0) return `±${durationMs(0)}`;
  return `${ms > 0 ? '+' : '−'}${durationMs(Math.abs(ms))}`;
}

/**
 * The headline's sentence: how B's total compares with A's ("Run #7 took 12 s longer than run #6
 * (+40%)"); null when either did not start.
 */
export function headline(
  cmp: RunComparison,
  a: Pick<CompareRunInput, 'number'>,
  b: Pick<CompareRunInput, 'number'>,
): string | null {
  const { deltaMs, ratio } = cmp.totals;
  if (deltaMs === null) return null;
  const percent = ratio === null ? 0 : Math.round(ratio * 100);
  const pct = percent === 0 ? '' : ` (${percent > 0 ? '+' : '−'}${Math.abs(percent)}%)`;
  const so = cmp.partial ? ' so far' : '';
  if (deltaMs === 0) return `Run #${b.number} took as long as run #${a.number}${so}.`;
  return deltaMs > 0
    ? `Run #${b.number} took ${durationMs(deltaMs)} longer than run #${a.number}${so}${pct}.`
    : `Run #${b.number} took ${durationMs(-deltaMs)} less than run #${a.number}${so}${pct}.`;
}

/**
 * The run to compare with when none is picked: the one just before `a` (the newest run created
 * before it), else the newest other run; null when there is no other. `runs` newest first.
 */
export function defaultOther(
  runs: readonly { id: string; createdAt: Date | string }[],
  a: { id: string; createdAt: Date | string },
): string | null {
  const at = new Date(a.createdAt).getTime();
  const others = runs.filter((r) => r.id !== a.id);
  return others.find((r) => new Date(r.createdAt).getTime() <= at)?.id ?? others[0]?.id ?? null;
}
