/**
 * Housekeeping only the leader does: stop runs past their runTimeout; start queued runs that have
 * a free slot (normally started by the completion that freed it); declare silent workers lost and
 * retry (or fail) the attempts they held.
 */
import { reapLostWorkers, startQueuedRuns, timeOutRuns, type Pool } from '@dtss/db';

export function startHousekeeping(
  pool: Pool,
  opts: {
    isLeader: () => boolean;
    intervalMs: number;
    workerLostAfterMs: number;
    log: (line: string) => void;
  },
): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (!opts.isLeader() || busy) return;
    busy = true;
    Promise.all([
      timeOutRuns(pool),
      startQueuedRuns(pool),
      reapLostWorkers(pool, opts.workerLostAfterMs),
    ])
      .then(
        ([timedOut, started, reaped]) => {
          if (timedOut) opts.log(`timed out ${timedOut} run(s)`);
          if (started) opts.log(`started ${started} queued run(s) with a free slot`);
          if (reaped.workers.length || reaped.attempts) {
            opts.log(
              `lost ${reaped.workers.length} silent worker(s); closed ${reaped.attempts} attempt(s)`,
            );
          }
        },
        (e: Error) => opts.log(`housekeeping: ${e.message}`),
      )
      .finally(() => (busy = false));
  }, opts.intervalMs);
  return () => clearInterval(timer);
}
