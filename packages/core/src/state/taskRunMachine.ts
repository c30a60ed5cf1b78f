// Task run statuses (the database enum uses exactly these names).
import { defineMachine } from './machine';

export const TASK_RUN_STATUSES = [
  'pending',
  'queued',
  'running',
  'retry_wait',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
  'timed_out',
] as const;
export type TaskRunStatus = (typeof TASK_RUN_STATUSES)[number];

export const TASK_RUN_EVENTS = [
  'ready',
  'skip',
  'claim',
  'succeed',
  'fail',
  'timeout',
  'worker_lost',
  'requeue',
  'retry_due',
  'cancel',
] as const;
export type TaskRunEvent = (typeof TASK_RUN_EVENTS)[number];

export const taskRunMachine = defineMachine({
  name: 'task run',
  states: TASK_RUN_STATUSES,
  events: TASK_RUN_EVENTS,
  rows: [
    // The trigger rule decides (evaluateTriggerRule): ready enqueues the task, skip ends it.
    ['pending', 'ready', 'queued'],
    ['pending', 'skip', 'skipped'],
    ['pending', 'cancel', 'cancelled'],
    // A worker claims the job and opens an attempt.
    ['queued', 'claim', 'running'],
    ['queued', 'cancel', 'cancelled'],
    ['running', 'succeed', 'succeeded'],
    // Failures: with attempts left and a retryable failure (shouldRetry) the task waits, else it ends.
    ['running', 'fail', 'retry_wait', 'will_retry'],
    ['running', 'fail', 'failed', 'no_retry'],
    ['running', 'timeout', 'retry_wait', 'will_retry'],
    ['running', 'timeout', 'timed_out', 'no_retry'],
    // The reaper found the worker's heartbeat expired.
    ['running', 'worker_lost', 'retry_wait', 'will_retry'],
    ['running', 'worker_lost', 'failed', 'no_retry'],
    // A draining worker hands the job back; the attempt does not count against maxAttempts.
    ['running', 'requeue', 'queued'],
    ['running', 'cancel', 'cancelled'],
    ['retry_wait', 'retry_due', 'queued'],
    ['retry_wait', 'cancel', 'cancelled'],
  ],
});
