// The dashboard's chart series from `metrics.summary`: one point per bucket of the period, empty
// buckets included (the API returns only buckets with data; a chart needs the gaps as zeros).
// Pure, so it is unit-tested without a browser.
import type { RunStatus } from '@dtss/core';

export type Bucket = 'minute' | 'hour' | 'day';

const BUCKET_MS: Record<Bucket, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** Bucket starts (epoch ms, UTC-aligned like Postgres's date_trunc in UTC) covering [from, to). */
export function bucketStarts(from: Date, to: Date, bucket: Bucket): number[] {
  const size = BUCKET_MS[bucket];
  const out: number[] = [];
  for (let t = Math.floor(from.getTime() / size) * size; t < to.getTime(); t += size) out.push(t);
  return out;
}

export type RunsPoint = { at: number } & Partial<Record<RunStatus, number>>;

/** Runs ended per bucket, one key per status that occurs; statuses seen, in `order`. */
export function runsSeries(
  rows: readonly { bucket: Date; status: RunStatus; count: number }[],
  from: Date,
  to: Date,
  bucket: Bucket,
  order: readonly RunStatus[],
): { points: RunsPoint[]; statuses: RunStatus[] } {
  const points = new Map<number, RunsPoint>(
    bucketStarts(from, to, bucket).map((at) => [at, { at }]),
  );
  const seen = new Set<RunStatus>();
  for (const r of rows) {
    const at = new Date(r.bucket).getTime();
    const point = points.get(at) ?? { at };
    point[r.status] = (point[r.status] ?? 0) + r.count;
    points.set(at, point);
    seen.add(r.status);
  }
  const statuses = order.filter((s) => seen.has(s));
  const filled = [...points.values()].sort((a, b) => a.at - b.at);
  for (const p of filled) for (const s of statuses) p[s] ??= 0;
  return { points: filled, statuses };
}

export interface TasksPoint {
  at: number;
  succeeded: number;
  failed: number;
  other: number;
}

/** Tasks ended per bucket: succeeded, failed or timed out, and the rest (cancelled, skipped…). */
export function tasksSeries(
  rows: readonly { bucket: Date; succeeded: number; failed: number; total: number }[],
  from: Date,
  to: Date,
  bucket: Bucket,
): TasksPoint[] {
  const points = new Map<number, TasksPoint>(
    bucketStarts(from, to, bucket).map((at) => [at, { at, succeeded: 0, failed: 0, other: 0 }]),
  );
  for (const r of rows) {
    const at = new Date(r.bucket).getTime();
    points.set(at, {
      at,
      succeeded: r.succeeded,
      failed: r.failed,
      other: Math.max(0, r.total - r.succeeded - r.failed),
    });
  }
  return [...points.values()].sort((a, b) => a.at - b.at);
}
