import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../definition/retryPolicy';
import { retryDelayMs } from './retryDelay';
import { shouldRetry } from './shouldRetry';

const policy = (overrides: Partial<RetryPolicy>): RetryPolicy => ({
  ...DEFAULT_RETRY_POLICY,
  ...overrides,
});

describe('retryDelayMs', () => {
  it('doubles from initialDelay with exponential backoff, capped at maxDelay', () => {
    const p = policy({ backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 10_000 });
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(p, n))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it('keeps initialDelay with fixed backoff', () => {
    const p = policy({ backoff: 'fixed', initialDelayMs: 3000, maxDelayMs: 10_000 });
    expect([1, 2, 10].map((n) => retryDelayMs(p, n))).toEqual([3000, 3000, 3000]);
  });

  it('draws full jitter uniformly from [0, computed], deterministic given random', () => {
    const p = policy({ initialDelayMs: 1000, maxDelayMs: 60_000, jitter: 'full' });
    expect(retryDelayMs(p, 3, () => 0)).toBe(0);
    expect(retryDelayMs(p, 3, () => 0.5)).toBe(2000);
    expect(retryDelayMs(p, 3, () => 0.999_999_9)).toBe(4000);
  });

  it('stays within [0, maxDelay] for any attempt, even huge ones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 86_400_000 }),
        fc.integer({ min: 0, max: 86_400_000 }),
        fc.constantFrom('fixed' as const, 'exponential' as const),
        fc.constantFrom('none' as const, 'full' as const),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, a, b, backoff, jitter, r) => {
          const p = policy({
            backoff,
            jitter,
            initialDelayMs: Math.min(a, b),
            maxDelayMs: Math.max(a, b),
          });
          const delay = retryDelayMs(p, attempt, () => r);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(p.maxDelayMs);
        },
      ),
    );
  });

  it('rejects attempt numbers below 1', () => {
    expect(() => retryDelayMs(DEFAULT_RETRY_POLICY, 0)).toThrow(RangeError);
  });
});

describe('shouldRetry', () => {
  it('stops when attempts are used up', () => {
    const p = policy({ maxAttempts: 3 });
    expect(shouldRetry(p, 1, { exitCode: 1 })).toBe(true);
    expect(shouldRetry(p, 2, { exitCode: 1 })).toBe(true);
    expect(shouldRetry(p, 3, { exitCode: 1 })).toBe(false);
    expect(shouldRetry(policy({ maxAttempts: 1 }), 1, { workerLost: true })).toBe(false);
  });

  it('retries every failure without retryOn', () => {
    const p = policy({ maxAttempts: 2 });
    for (const failure of [{ exitCode: 2 }, { httpStatus: 404 }, { timedOut: true }, {}]) {
      expect(shouldRetry(p, 1, failure)).toBe(true);
    }
  });

  it('with retryOn, retries only listed exit codes and statuses', () => {
    const p = policy({
      maxAttempts: 5,
      retryOn: { exitCodes: [75], httpStatuses: ['5xx', 429], timeouts: false },
    });
    expect(shouldRetry(p, 1, { exitCode: 75 })).toBe(true);
    expect(shouldRetry(p, 1, { exitCode: 1 })).toBe(false);
    expect(shouldRetry(p, 1, { httpStatus: 503 })).toBe(true);
    expect(shouldRetry(p, 1, { httpStatus: 429 })).toBe(true);
    expect(shouldRetry(p, 1, { httpStatus: 404 })).toBe(false);
    expect(shouldRetry(p, 1, { timedOut: true })).toBe(false);
    // No code, no status (connection refused) and lost workers say nothing about the task: retried.
    expect(shouldRetry(p, 1, {})).toBe(true);
    expect(shouldRetry(p, 1, { workerLost: true })).toBe(true);
  });
});
