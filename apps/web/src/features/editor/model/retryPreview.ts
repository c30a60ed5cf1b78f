// What a task's `retries` block means in time: the waits before each retry.
import {
  DEFAULT_RETRY_POLICY,
  formatDuration,
  retryDelayMs,
  validateWorkflow,
  type RetryPolicy,
} from '@dtss/core';

/** Delays listed one by one; the rest are counted in `more`. */
export const RETRY_PREVIEW_SHOWN = 10;

export interface RetryDelay {
  /** The attempt that follows this wait (2 for the first retry). */
  attempt: number;
  /** The computed delay (without jitter). */
  delayMs: number;
  /** `formatDuration(delayMs)`, e.g. "20s", "1m30s". */
  label: string;
  /** With `jitter: full` the actual wait is drawn from [0, delayMs]. */
  jitter: boolean;
  minMs: number;
  maxMs: number;
  /** "20s", or "0s–20s" with jitter. */
  range: string;
}

export type RetryPreview =
  | {
      ok: true;
      /** The policy the task gets: @dtss/core's defaults, then `defaults`, then `retries`. */
      policy: RetryPolicy;
      /** Waits before attempts 2…, at most RETRY_PREVIEW_SHOWN of them. */
      delays: RetryDelay[];
      /** Waits not listed. */
      more: number;
      /** Longest total waiting over all retries. */
      totalMaxMs: number;
    }
  | { ok: false; message: string };

/**
 * Previews a `retries` block as written (maxAttempts, backoff, initialDelay/initialDelayMs,
 * maxDelay/maxDelayMs, jitter, retryOn; durations as "30s" or seconds). `defaults` is the
 * workflow's `defaults.retries`, whose fields apply where `retries` sets none. The block is
 * checked and merged by @dtss/core's validateWorkflow, and each wait computed by retryDelayMs, so
 * the preview is what the engine will do.
 */
export function retryPreview(retries: unknown, defaults?: unknown): RetryPreview {
  const task: Record<string, unknown> = { kind: 'noop' };
  if (retries !== undefined) task.retries = retries;
  const workflow: Record<string, unknown> = { name: 'retry-preview', tasks: { t: task } };
  if (defaults !== undefined) workflow.defaults = { retries: defaults };
  const result = validateWorkflow(workflow);
  if (!result.ok) {
    const messages = result.errors.map((error) => {
      const field = error.path.replace(/^tasks\.t\.retries\.?/, '');
      return field === '' ? error.message : `${field}: ${error.message}`;
    });
    return { ok: false, message: messages.join('; ') };
  }
  const policy = result.workflow.tasks.t?.retries ?? DEFAULT_RETRY_POLICY;
  const jitter = policy.jitter === 'full';
  const delays: RetryDelay[] = [];
  let totalMaxMs = 0;
  for (let failed = 1; failed < policy.maxAttempts; failed++) {
    const delayMs = retryDelayMs({ ...policy, jitter: 'none' }, failed);
    totalMaxMs += delayMs;
    if (delays.length === RETRY_PREVIEW_SHOWN) continue;
    const label = formatDuration(delayMs);
    delays.push({
      attempt: failed + 1,
      delayMs,
      label,
      jitter,
      minMs: jitter ? 0 : delayMs,
      maxMs: delayMs,
      range: jitter ? `0s–${label}` : label,
    });
  }
  return {
    ok: true,
    policy,
    delays,
    more: Math.max(0, policy.maxAttempts - 1 - delays.length),
    totalMaxMs,
  };
}
