/**
 * Scheduler process entry point: competes for the `scheduler` lease; the holder runs the schedule
 * loop and housekeeping. Any number of replicas may run; one leads at a time.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { createPool, reapLostWorkers, startQueuedRuns, timeOutRuns } from '@dtss/db';
import { LeaderElector } from './leader';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL is required');
  process.exit(1);
}
const pool = createPool(databaseUrl, { applicationName: 'dtss-scheduler', max: 2 });
const holderId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const elector = new LeaderElector(pool, {
  name: 'scheduler',
  holderId,
  ttlMs: Number(process.env.DTSS_LEADER_TTL_MS ?? 10_000),
  onElected: (lease) => console.log(`leading (fencing token ${lease.fencingToken})`),
  onDeposed: () => console.log('lost the lead'),
  onError: (e) => console.error(`leader election: ${e.message}`),
});
elector.start();
console.log(`scheduler ${holderId} started`);

// Housekeeping only the leader does: stop runs past their runTimeout; start queued runs that have
// a free slot (normally started by the completion that freed it); declare silent workers lost and
// retry (or fail) the attempts they held.
const lostAfterMs = Number(process.env.DTSS_WORKER_LOST_AFTER_MS ?? 20_000);
const housekeeping = setInterval(
  () => {
    if (!elector.current) return;
    Promise.all([
      timeOutRuns(pool),
      startQueuedRuns(pool),
      reapLostWorkers(pool, lostAfterMs),
    ]).then(
      ([timedOut, started, reaped]) => {
        if (timedOut) console.log(`timed out ${timedOut} run(s)`);
        if (started) console.log(`started ${started} queued run(s) with a free slot`);
        if (reaped.workers.length || reaped.attempts) {
          console.log(
            `lost ${reaped.workers.length} silent worker(s); closed ${reaped.attempts} attempt(s)`,
          );
        }
      },
      (e: Error) => console.error(`housekeeping: ${e.message}`),
    );
  },
  Number(process.env.DTSS_HOUSEKEEPING_MS ?? 1_000),
);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(housekeeping);
  await elector.stop();
  await pool.end();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
process.on('disconnect', () => void shutdown());
