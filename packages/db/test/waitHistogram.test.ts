import { describe, expect, it } from 'vitest';
import { addHistogram, histogramPercentile, waitBucket, type WaitHistogram } from '../src';

const histogramOf = (waits: number[]): WaitHistogram => {
  const h: WaitHistogram = {};
  for (const w of waits) h[waitBucket(w)] = (h[waitBucket(w)] ?? 0) + 1;
  return h;
};
const exact = (waits: number[], p: number) =>
  [...waits].sort((a, b) => a - b)[Math.max(1, Math.ceil(p * waits.length)) - 1]!;

describe('wait histograms', () => {
  it('tell percentiles within 1% of the exact ones', () => {
    // Waits from 1 ms to ~20 minutes, skewed towards short ones.
    const waits = Array.from({ length: 5_000 }, (_, i) => Math.round(Math.exp((i % 997) / 70)));
    const h = histogramOf(waits);
    for (const p of [0.5, 0.95, 0.99]) {
      const got = histogramPercentile(h, p)!;
      expect(Math.abs(got - exact(waits, p)) / exact(waits, p)).toBeLessThanOrEqual(0.011);
    }
  });

  it('add up: two halves tell what the whole does', () => {
    const waits = Array.from({ length: 1_000 }, (_, i) => (i * 37) % 5_000);
    const whole = histogramOf(waits);
    const sum = addHistogram(histogramOf(waits.slice(0, 400)), histogramOf(waits.slice(400)));
    expect(sum).toEqual(whole);
    expect(histogramPercentile(sum, 0.5)).toBe(histogramPercentile(whole, 0.5));
  });

  it('put waits under 1 ms in bucket 0, and have no percentile when empty', () => {
    expect(waitBucket(0)).toBe(0);
    expect(waitBucket(0.4)).toBe(0);
    expect(histogramPercentile({ '0': 3 }, 0.5)).toBe(0);
    expect(histogramPercentile({}, 0.5)).toBeNull();
  });
});
