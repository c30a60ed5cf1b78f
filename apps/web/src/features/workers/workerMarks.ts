/**
 * How a worker's row is marked on the workers page, from its status and its silence (time since
 * its last heartbeat, by the database's clock).
 */

/** A running worker this long without a heartbeat is marked late (the API's online window). */
export const WORKER_LATE_MS = 15_000;

/**
 * `lost`: declared lost by the leader (stopped heartbeating); `late`: still counted as running but
 * its heartbeats stopped coming, so it may be lost soon; null: nothing to mark.
 */
export type WorkerMark = 'lost' | 'late' | null;

export function workerMark(w: { status: string; silentForMs: number }): WorkerMark {
  if (w.status === 'lost') return 'lost';
  if ((w.status === 'active' || w.status === 'draining') && w.silentForMs > WORKER_LATE_MS)
    return 'late';
  return null;
}

/** Share of its concurrency a worker uses, 0–100 (a stopped or lost worker runs nothing). */
export function loadPercent(w: { status: string; runningTasks: number; concurrency: number }) {
  if (w.status !== 'active' && w.status !== 'draining') return 0;
  if (w.concurrency <= 0) return 0;
  return Math.min(100, Math.round((w.runningTasks / w.concurrency) * 100));
}
