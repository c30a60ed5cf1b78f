import { DEFAULT_RETRY_POLICY, retryDelayMs } from '@dtss/core';
import { describe, expect, it } from 'vitest';
import { RETRY_PREVIEW_SHOWN, retryPreview, type RetryPreview } from './retryPreview';

function ok(preview: RetryPreview) {
  if (!preview.ok) throw new Error(`expected ok, got: ${preview.message}`);
  return preview;
}
const labels = (preview: RetryPreview) => ok(preview).delays.map((d) => d.label);

describe('retryPreview', () => {
  it('shows no waits without retries', () => {
    const p = ok(retryPreview(undefined));
    expect(p.policy).toEqual(DEFAULT_RETRY_POLICY);
    expect(p.delays).toEqual([]);
    expect(p.more).toBe(0);
    expect(ok(retryPreview({ maxAttempts: 1 })).delays).toEqual([]);
  });

  it('doubles from the initial delay (exponential, the default)', () => {
    const p = ok(retryPreview({ maxAttempts: 4 }));
    expect(p.delays.map((d) => [d.attempt, d.delayMs, d.label])).toEqual([
      [2, 10_000, '10s'],
      [3, 20_000, '20s'],
      [4, 40_000, '40s'],
    ]);
    expect(p.totalMaxMs).toBe(70_000);
  });

  it('reads durations as strings, seconds, or milliseconds', () => {
    expect(labels(retryPreview({ maxAttempts: 3, initialDelay: '1m30s' }))).toEqual([
      '1m30s',
      '3m',
    ]);
    expect(labels(retryPreview({ maxAttempts: 3, initialDelay: 2 }))).toEqual(['2s', '4s']);
    expect(labels(retryPreview({ maxAttempts: 3, initialDelayMs: 500 }))).toEqual(['500ms', '1s']);
  });

  it('waits the same with fixed backoff, and caps at maxDelay', () => {
    expect(labels(retryPreview({ maxAttempts: 3, backoff: 'fixed', initialDelay: '5s' }))).toEqual([
      '5s',
      '5s',
    ]);
    expect(labels(retryPreview({ maxAttempts: 6, initialDelay: '10s', maxDelay: '1m' }))).toEqual([
      '10s',
      '20s',
      '40s',
      '1m',
      '1m',
    ]);
    expect(labels(retryPreview({ maxAttempts: 3, maxDelayMs: 15_000 }))).toEqual(['10s', '15s']);
  });

  it('gives a range from zero with full jitter', () => {
    const [first] = ok(retryPreview({ maxAttempts: 2, jitter: 'full' })).delays;
    expect(first).toEqual({
      attempt: 2,
      delayMs: 10_000,
      label: '10s',
      jitter: true,
      minMs: 0,
      maxMs: 10_000,
      range: '0s–10s',
    });
  });

  it(`lists ${RETRY_PREVIEW_SHOWN} waits and counts the rest`, () => {
    const p = ok(retryPreview({ maxAttempts: 25, initialDelay: '1s', maxDelay: '1d' }));
    expect(p.delays).toHaveLength(RETRY_PREVIEW_SHOWN);
    expect(p.more).toBe(14);
    const policy = p.policy;
    let total = 0;
    for (let n = 1; n < 25; n++) total += retryDelayMs(policy, n);
    expect(p.totalMaxMs).toBe(total);
  });

  it('applies the workflow defaults under the task block', () => {
    const p = ok(retryPreview({ maxAttempts: 3 }, { initialDelay: '1s', backoff: 'fixed' }));
    expect(p.delays.map((d) => d.label)).toEqual(['1s', '1s']);
    expect(labels(retryPreview(undefined, { maxAttempts: 2 }))).toEqual(['10s']);
  });

  it.each([
    [{ maxAttempts: 0 }, /maxAttempts: must be at least 1/],
    [{ maxAttempts: 101 }, /maxAttempts/],
    [{ maxAttempts: 'three' }, /maxAttempts/],
    [{ initialDelay: 'soon' }, /initialDelay: invalid duration "soon"/],
    [{ initialDelay: '1s', initialDelayMs: 1000 }, /either "initialDelay" or "initialDelayMs"/],
    [
      { initialDelay: '1m', maxDelay: '10s' },
      /maxDelay: maxDelay \(10s\) is shorter than initialDelay \(1m\)/,
    ],
    [{ backoff: 'linear' }, /backoff/],
    [{ maxAttemps: 3 }, /did you mean "maxAttempts"/],
    ['3 times', /expected/],
  ])('explains invalid input %j', (retries, message) => {
    const p = retryPreview(retries);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.message).toMatch(message);
  });
});
