import { describe, expect, it } from 'vitest';
import { attemptSegments, segmentTotals } from './attemptSegments';

describe('attemptSegments', () => {
  it('splits queue wait, attempts and retry back-off', () => {
    const segs = attemptSegments(
      {
        ended: true,
        queuedAt: 0,
        finishedAt: 60,
        attempts: [
          { number: 1, status: 'failed', startedAt: 5, finishedAt: 20 },
          { number: 2, status: 'succeeded', startedAt: 30, finishedAt: 60 },
        ],
      },
      1000,
    );
    expect(segs).toEqual([
      { kind: 'wait', start: 0, end: 5, open: false },
      { kind: 'run', start: 5, end: 20, open: false, attempt: 1, status: 'failed' },
      { kind: 'wait', start: 20, end: 30, open: false },
      { kind: 'run', start: 30, end: 60, open: false, attempt: 2, status: 'succeeded' },
    ]);
    expect(segmentTotals(segs)).toEqual({ waitMs: 15, runMs: 45 });
  });

  it('an open attempt and an open wait run to now', () => {
    expect(
      attemptSegments(
        {
          ended: false,
          queuedAt: 0,
          finishedAt: null,
          attempts: [{ number: 1, status: 'running', startedAt: 10, finishedAt: null }],
        },
        25,
      ).at(-1),
    ).toEqual({ kind: 'run', start: 10, end: 25, open: true, attempt: 1, status: 'running' });
    expect(
      attemptSegments(
        {
          ended: false,
          queuedAt: 0,
          finishedAt: null,
          attempts: [{ number: 1, status: 'failed', startedAt: 10, finishedAt: 12 }],
        },
        40,
      ).at(-1),
    ).toEqual({ kind: 'wait', start: 12, end: 40, open: true });
  });

  it('a task never queued has no segments; one cancelled while queued waited until its end', () => {
    expect(
      attemptSegments({ ended: true, queuedAt: null, finishedAt: 5, attempts: [] }, 9),
    ).toEqual([]);
    expect(attemptSegments({ ended: true, queuedAt: 2, finishedAt: 7, attempts: [] }, 9)).toEqual([
      { kind: 'wait', start: 2, end: 7, open: false },
    ]);
  });
});
