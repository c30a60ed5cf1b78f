/**
 * Housekeeping only the leader does: stop runs past their runTimeout; start queued runs that have
 * a free slot (normally started by the completion that freed it); declare silent workers lost and
 * retry (or fail) the attempts they held; hand out again the jobs of queued tasks whose lock was
 * never followed by a claim.
 */
import {
  reapLostWorkers,
  startQueuedRuns,
  timeOutRuns,
  unlockStrandedTaskJobs,
  type Pool,
} from '@dtss/db';

export function startHousekeeping(
  pool: Pool,
  opts: {
    isLeader: () => boolean;
    intervalMs: number;
    workerLostAfterMs: number;
    /** A task job locked this long without its claim is handed out again (default 30 s). */
    strandedJobAfterMs?: number;
    log: (line: string) => void;
    /** What a pass did, for the metrics. */
    onPass?: (done: { lostWorkers: number; lostAttempts: number; timedOutRuns: number }) => void;
  },
): () => void {
  let busy = false;
  // Silence is only evidence once this process has watched the database for a whole lost-worker
  // timeout: after a database outage (or a new leader's start) every heartbeat looks old, and the
  // workers that kept running through it must get their first beats in before anyone is declared
  // lost (that would retry their tasks beside them).
  let watchingSince: number | null = null;
  const timer = setInterval(() => {
    if (!opts.isLeader()) watchingSince = null;
    if (!opts.isLeader() || busy) return;
    busy = true;
    const now = Date.now();
    const mayReap = watchingSince !== null && now - watchingSince >= opts.workerLostAfterMs;
    Promise.all([
      timeOutRuns(pool),
      startQueuedRuns(pool),
      mayReap ? reapLostWorkers(pool, opts.workerLostAfterMs) : { workers: [], attempts: 0 },
      unlockStrandedTaskJobs(pool, opts.strandedJobAfterMs),
    ])
      .then(
        ([timedOut, started, reaped, unlocked]) => {
          watchingSince ??= now;
          opts.onPass?.({
            lostWorkers: reaped.workers.length,
            lostAttempts: reaped.attempts,
            timedOutRuns: timedOut,
          });
          if (timedOut) opts.log(`timed out ${timedOut} run(s)`);
          if (started) opts.log(`started ${started} queued run(s) with a free slot`);
          if (unlocked)
            opts.log(`handed out again ${unlocked} task job(s) locked but never claimed`);
          if (reaped.workers.length || reaped.attempts) {
            opts.log(
              `lost ${reaped.workers.length} silent worker(s); closed ${reaped.attempts} attempt(s)`,
            );
          }
        },
        (e: Error) => {
          watchingSince = null;
          opts.log(`housekeeping: ${e.message}`);
        },
      )
      .finally(() => (busy = false));
  }, opts.intervalMs);
  return () => clearInterval(timer);
}
