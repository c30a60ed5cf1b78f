/** What the pools panel says about a pool beyond its figures. */

export interface PoolFigures {
  slots: number | null;
  workers: number;
  capacity: number;
  busy: number;
  waiting: number;
}

/** Tasks the pool can run at once now: its live workers' concurrency, within its slot cap. */
export function runnableSlots(p: PoolFigures): number {
  return p.slots === null ? p.capacity : Math.min(p.slots, p.capacity);
}

/**
 * `no-worker`: tasks wait and no live worker serves the pool (they wait until one starts);
 * `full`: tasks wait while every runnable slot is busy; null: tasks start as they come.
 */
export type PoolWarning = 'no-worker' | 'full' | null;

export function poolWarning(p: PoolFigures): PoolWarning {
  if (p.waiting === 0) return null;
  if (p.workers === 0) return 'no-worker';
  if (p.busy >= runnableSlots(p)) return 'full';
  return null;
}
