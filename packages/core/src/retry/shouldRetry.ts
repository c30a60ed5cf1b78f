// Whether a failed attempt earns another one.
import type { RetryPolicy } from '../definition/retryPolicy';
import { matchesStatus } from './statusPattern';

export interface AttemptFailure {
  exitCode?: number;
  httpStatus?: number;
  timedOut?: boolean;
  /** The worker stopped heartbeating: the attempt's fate is unknown. */
  workerLost?: boolean;
}

/**
 * True when attempt `attemptNumber` (1-based) failed in a way the policy retries and attempts remain.
 * Without `retryOn` every failure is retried. With it: exit codes and HTTP statuses must be listed;
 * timeouts follow `retryOn.timeouts`; a lost worker and failures with neither an exit code nor a
 * status (connection refused, DNS, could not spawn) are always retried: they say nothing about the task.
 */
export function shouldRetry(
  policy: Pick<RetryPolicy, 'maxAttempts' | 'retryOn'>,
  attemptNumber: number,
  failure: AttemptFailure = {},
): boolean {
  if (attemptNumber >= policy.maxAttempts) return false;
  const on = policy.retryOn;
  if (on === null || failure.workerLost) return true;
  if (failure.timedOut) return on.timeouts;
  if (failure.exitCode !== undefined) return on.exitCodes.includes(failure.exitCode);
  if (failure.httpStatus !== undefined) return matchesStatus(failure.httpStatus, on.httpStatuses);
  return true;
}
