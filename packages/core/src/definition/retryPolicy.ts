// The `retries` block: how many attempts a task gets, how long to wait between them, and which
// failures are worth another attempt.
import { z } from 'zod';
import { formatDuration } from '../duration/parseDuration';
import { STATUS_CLASS, type StatusPattern } from '../retry/statusPattern';
import { describeValue } from '../util/describeValue';
import { authoredAs, durationSchema, millisecondsSchema } from './fields';
import { LIMITS } from './limits';

export const BACKOFF_KINDS = ['fixed', 'exponential'] as const;
export const JITTER_KINDS = ['none', 'full'] as const;

export interface RetryOn {
  /** Exit codes (shell, node, python) that are retried. */
  exitCodes: number[];
  /** HTTP statuses (http tasks) that are retried: exact codes or classes such as "5xx". */
  httpStatuses: StatusPattern[];
  /** Whether an attempt that hit its timeout is retried. */
  timeouts: boolean;
}

export interface RetryPolicy {
  /** Total attempts including the first; 1 means no retries. */
  maxAttempts: number;
  /** fixed: always initialDelay; exponential: initialDelay × 2^(n-1). Both capped at maxDelay. */
  backoff: (typeof BACKOFF_KINDS)[number];
  initialDelayMs: number;
  maxDelayMs: number;
  /** full: each delay is drawn uniformly from [0, computed delay] (spreads retry storms). */
  jitter: (typeof JITTER_KINDS)[number];
  /** null: every failure is retried while attempts remain. */
  retryOn: RetryOn | null;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 1,
  backoff: 'exponential',
  initialDelayMs: 10_000,
  maxDelayMs: 3_600_000,
  jitter: 'none',
  retryOn: null,
};

/** "5xx", 503 or "503" → a normalized status pattern. */
export const statusPatternSchema = authoredAs<number | string>()(
  z.unknown().transform((value, ctx): StatusPattern => {
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text === 'string') {
      const lower = text.toLowerCase();
      if (STATUS_CLASS.test(lower)) return lower as StatusPattern;
      if (/^\d{3}$/.test(text) && Number(text) >= 100 && Number(text) <= 599) return Number(text);
    }
    ctx.addIssue({
      code: 'custom',
      message: `expected an HTTP status (100-599) or a class such as "5xx", got ${describeValue(value)}`,
    });
    return z.NEVER;
  }),
);

const retryOnSchema = z.strictObject({
  exitCodes: z.array(z.number().int().min(0).max(255)).optional(),
  httpStatuses: z.array(statusPatternSchema).optional(),
  timeouts: z.boolean().optional(),
});

/** What authors write: every field optional; unset fields come from defaults.retries. */
export const retriesInputSchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(LIMITS.maxAttempts).optional(),
  backoff: z.enum(BACKOFF_KINDS).describe('backoff').optional(),
  initialDelay: durationSchema().optional(),
  initialDelayMs: millisecondsSchema().optional(),
  maxDelay: durationSchema().optional(),
  maxDelayMs: millisecondsSchema().optional(),
  jitter: z.enum(JITTER_KINDS).describe('jitter').optional(),
  retryOn: retryOnSchema.nullable().optional(),
});

export type RetriesInput = z.output<typeof retriesInputSchema>;

/** Fields set in `input` override `base`; retryOn is replaced as a whole, not merged. */
export function mergeRetryPolicy(base: RetryPolicy, input: RetriesInput | undefined): RetryPolicy {
  if (!input) return base;
  return {
    maxAttempts: input.maxAttempts ?? base.maxAttempts,
    backoff: input.backoff ?? base.backoff,
    initialDelayMs: input.initialDelay ?? input.initialDelayMs ?? base.initialDelayMs,
    maxDelayMs: input.maxDelay ?? input.maxDelayMs ?? base.maxDelayMs,
    jitter: input.jitter ?? base.jitter,
    retryOn:
      input.retryOn === undefined
        ? base.retryOn
        : input.retryOn === null
          ? null
          : {
              exitCodes: input.retryOn.exitCodes ?? [],
              httpStatuses: input.retryOn.httpStatuses ?? [],
              timeouts: input.retryOn.timeouts ?? true,
            },
  };
}

export interface RetryProblem {
  /** Field of the retries block the problem is reported on. */
  field: string;
  message: string;
}

/** Both spellings of a delay given at once ("initialDelay" and "initialDelayMs"). */
export function retrySpellingProblems(input: RetriesInput | undefined): RetryProblem[] {
  const problems: RetryProblem[] = [];
  for (const key of ['initialDelay', 'maxDelay'] as const) {
    if (input?.[key] !== undefined && input[`${key}Ms`] !== undefined) {
      problems.push({ field: key, message: `give either "${key}" or "${key}Ms", not both` });
    }
  }
  return problems;
}

/** A cap below the first delay, only visible once a task's retries are merged with the defaults. */
export function retryBoundsProblems(
  input: RetriesInput | undefined,
  merged: RetryPolicy,
): RetryProblem[] {
  if (merged.maxDelayMs >= merged.initialDelayMs) return [];
  const setsMax = input?.maxDelay !== undefined || input?.maxDelayMs !== undefined;
  return [
    {
      field: setsMax ? 'maxDelay' : 'initialDelay',
      message: `maxDelay (${formatDuration(merged.maxDelayMs)}) is shorter than initialDelay (${formatDuration(merged.initialDelayMs)})`,
    },
  ];
}
