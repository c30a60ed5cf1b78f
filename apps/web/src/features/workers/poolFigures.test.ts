import { describe, expect, it } from 'vitest';
import { poolWarning, runnableSlots } from './poolFigures';

describe('pool figures', () => {
  const pool = { slots: null, workers: 2, capacity: 8, busy: 0, waiting: 0 };
  it('runs as many tasks as its workers take, within its slot cap', () => {
    expect(runnableSlots(pool)).toBe(8);
    expect(runnableSlots({ ...pool, slots: 3 })).toBe(3);
    expect(runnableSlots({ ...pool, slots: 20 })).toBe(8);
  });
  it('warns when tasks wait for a pool no worker serves, or one that is full', () => {
    expect(poolWarning({ ...pool, waiting: 2, workers: 0, capacity: 0 })).toBe('no-worker');
    expect(poolWarning({ ...pool, slots: 3, busy: 3, waiting: 1 })).toBe('full');
    expect(poolWarning({ ...pool, busy: 2, waiting: 1 })).toBeNull();
    expect(poolWarning({ ...pool, workers: 0, capacity: 0 })).toBeNull();
  });
});
