/**
 * Queue waits as a histogram with logarithmic buckets, so hours rolled up separately can be added
 * and a percentile read from the sum. Bucket 0 holds waits under 1 ms; bucket k ≥ 1 holds waits in
 * [GROWTH^(k-1), GROWTH^k) ms. A percentile is the geometric middle of its bucket: within 1% of the
 * exact value.
 */

export const GROWTH = 1.02;

/** `{ "<bucket>": count }`, as stored in metrics_task_hours.wait_histogram. */
export type WaitHistogram = Record<string, number>;

/** SQL for the bucket of a wait of `ms` milliseconds (an expression of type int). */
export function waitBucketSql(ms: string): string {
  return `(CASE WHEN ${ms} < 1 THEN 0 ELSE 1 + floor(ln(${ms}) / ln(${GROWTH}))::int END)`;
}

/** The bucket of a wait, as waitBucketSql computes it (for tests and checks). */
export function waitBucket(ms: number): number {
  return ms < 1 ? 0 : 1 + Math.floor(Math.log(ms) / Math.log(GROWTH));
}

export function addHistogram(into: WaitHistogram, more: WaitHistogram): WaitHistogram {
  for (const [bucket, n] of Object.entries(more)) into[bucket] = (into[bucket] ?? 0) + n;
  return into;
}

/** The p-th percentile (0–1) of the waits, in whole milliseconds; null when there are none. */
export function histogramPercentile(histogram: WaitHistogram, p: number): number | null {
  const buckets = Object.entries(histogram)
    .map(([b, n]) => [Number(b), n] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [bucket, n] of buckets) {
    seen += n;
    if (seen >= rank) return bucket === 0 ? 0 : Math.round(GROWTH ** (bucket - 0.5));
  }
  return null;
}
