// How long to wait before the next attempt of a failed task.
import type { RetryPolicy } from '../definition/retryPolicy';

/**
 * Delay in ms before attempt `attemptNumber + 1`, after attempt `attemptNumber` (1-based) failed.
 * fixed: initialDelay; exponential: initialDelay × 2^(attemptNumber-1); both capped at maxDelay.
 * With full jitter the delay is uniform in [0, computed] (AWS "full jitter"): `random` returns [0, 1).
 */
export function retryDelayMs(
  policy: Pick<RetryPolicy, 'backoff' | 'initialDelayMs' | 'maxDelayMs' | 'jitter'>,
  attemptNumber: number,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1) {
    throw new RangeError(`attemptNumber must be a positive integer, got ${attemptNumber}`);
  }
  // Exponents past 52 only overflow; the cap applies long before that in any real policy.
  const factor = policy.backoff === 'exponential' ? 2 ** Math.min(attemptNumber - 1, 52) : 1;
  const computed = Math.min(policy.initialDelayMs * factor, policy.maxDelayMs);
  if (policy.jitter === 'none') return computed;
  // floor(r × (computed + 1)) is uniform over the integers 0..computed; the min guards r = 1.
  return Math.min(computed, Math.floor(random() * (computed + 1)));
}
