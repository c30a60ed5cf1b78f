/** Small statistics helpers: percentiles by nearest rank, rounding for the report. */

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: number[]): Summary {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return round({
    n: values.length,
    min: Math.min(...values),
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: Math.max(...values),
    mean,
  });
}

/** Rounds every number in a plain object (or a number) to `digits` decimals, for the JSON file. */
export function round<T>(value: T, digits = 2): T {
  const f = 10 ** digits;
  if (typeof value === 'number') return (Math.round(value * f) / f) as T;
  if (Array.isArray(value)) return value.map((v) => round(v, digits)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v, digits)])) as T;
  }
  return value;
}
