// Run statuses (the database enum uses exactly these names).
import { defineMachine } from './machine';

export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RUN_EVENTS = ['start', 'succeed', 'fail', 'cancel', 'timeout'] as const;
export type RunEvent = (typeof RUN_EVENTS)[number];

export const runMachine = defineMachine({
  name: 'run',
  states: RUN_STATUSES,
  events: RUN_EVENTS,
  rows: [
    // Queued until the workflow's concurrency.maxRuns lets it start.
    ['queued', 'start', 'running'],
    ['queued', 'cancel', 'cancelled'],
    // Could not start at all (e.g. its params no longer validate).
    ['queued', 'fail', 'failed'],
    // Every task is final: succeeded if none failed, timed out or was cancelled, else failed.
    ['running', 'succeed', 'succeeded'],
    ['running', 'fail', 'failed'],
    ['running', 'cancel', 'cancelled'],
    // runTimeout counts from start; queued time does not count.
    ['running', 'timeout', 'timed_out'],
  ],
});
