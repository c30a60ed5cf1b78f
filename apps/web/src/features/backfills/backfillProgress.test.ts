import { describe, expect, it } from 'vitest';
import { anyBackfillRunning, backfillProgress } from './backfillProgress';

describe('backfillProgress', () => {
  it('done counts every ended run; failed those that did not succeed', () => {
    expect(
      backfillProgress({
        status: 'running',
        totalRuns: 10,
        createdRuns: 6,
        runsByStatus: { succeeded: 3, failed: 1, running: 1, queued: 1 },
      }),
    ).toEqual({ done: 4, total: 10, created: 6, active: 2, failed: 1, percent: 40 });
    expect(
      backfillProgress({ status: 'succeeded', totalRuns: 0, createdRuns: 0, runsByStatus: {} })
        .percent,
    ).toBe(0);
  });

  it('re-reads only while one runs', () => {
    expect(anyBackfillRunning([{ status: 'succeeded' }, { status: 'running' }])).toBe(true);
    expect(anyBackfillRunning([{ status: 'cancelled' }])).toBe(false);
    expect(anyBackfillRunning(undefined)).toBe(false);
  });
});
