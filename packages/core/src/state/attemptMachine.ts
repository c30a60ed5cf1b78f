// Attempt statuses (the database enum uses exactly these names). An attempt is created running,
// when a worker claims the task, and ends exactly once.
import { defineMachine } from './machine';

export const ATTEMPT_STATUSES = [
  'running',
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
  'lost',
] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export const ATTEMPT_EVENTS = [
  'succeed',
  'fail',
  'timeout',
  'cancel',
  'worker_lost',
  'requeue',
] as const;
export type AttemptEvent = (typeof ATTEMPT_EVENTS)[number];

export const attemptMachine = defineMachine({
  name: 'attempt',
  states: ATTEMPT_STATUSES,
  events: ATTEMPT_EVENTS,
  rows: [
    ['running', 'succeed', 'succeeded'],
    ['running', 'fail', 'failed'],
    ['running', 'timeout', 'timed_out'],
    ['running', 'cancel', 'cancelled'],
    // A late report from a worker declared lost is refused: lost is final.
    ['running', 'worker_lost', 'lost'],
    // Handed back by a draining worker: ended without a verdict.
    ['running', 'requeue', 'cancelled'],
  ],
});
