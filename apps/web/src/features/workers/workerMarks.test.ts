import { describe, expect, it } from 'vitest';
import { loadPercent, WORKER_LATE_MS, workerMark } from './workerMarks';

describe('workerMark', () => {
  it('marks lost workers, and running ones whose heartbeats stopped', () => {
    expect(workerMark({ status: 'lost', silentForMs: 0 })).toBe('lost');
    expect(workerMark({ status: 'active', silentForMs: WORKER_LATE_MS + 1 })).toBe('late');
    expect(workerMark({ status: 'draining', silentForMs: WORKER_LATE_MS + 1 })).toBe('late');
    expect(workerMark({ status: 'active', silentForMs: 3_000 })).toBeNull();
    // A stopped worker is silent by design.
    expect(workerMark({ status: 'stopped', silentForMs: 3_600_000 })).toBeNull();
  });
});

describe('loadPercent', () => {
  it('is the share of concurrency in use, capped, and zero for ended workers', () => {
    expect(loadPercent({ status: 'active', runningTasks: 1, concurrency: 4 })).toBe(25);
    expect(loadPercent({ status: 'draining', runningTasks: 5, concurrency: 4 })).toBe(100);
    expect(loadPercent({ status: 'stopped', runningTasks: 2, concurrency: 4 })).toBe(0);
    expect(loadPercent({ status: 'active', runningTasks: 0, concurrency: 0 })).toBe(0);
  });
});
