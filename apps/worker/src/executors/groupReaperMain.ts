/**
 * The task reaper: a small process each worker starts beside itself. The worker tells it, one line
 * each, the process groups of the tasks it runs ("+<pgid>") and those that ended ("-<pgid>"). When
 * the worker's end of the pipe closes without it having said goodbye — the worker was killed
 * (SIGKILL, OOM) — the reaper ends the groups still listed: SIGTERM, then SIGKILL after a grace.
 * Task groups are detached from the worker (so one kill reaches a task's whole tree), which is also
 * why nothing else would stop them: a task of a dead worker would run on beside its retry.
 */
import { createInterface } from 'node:readline';

const graceMs = Number(process.argv[2] ?? 2_000);
const groups = new Set<number>();

function signalAll(signal: NodeJS.Signals): number {
  let alive = 0;
  for (const pgid of groups) {
    try {
      process.kill(-pgid, signal);
      alive++;
    } catch {
      groups.delete(pgid); // ESRCH: that group is gone
    }
  }
  return alive;
}

// Detached in its own group and session: a Ctrl-C or a signal to the worker's group is not ours.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const pgid = Number(line.slice(1));
  if (!Number.isInteger(pgid) || pgid <= 1) return;
  if (line[0] === '+') groups.add(pgid);
  else if (line[0] === '-') groups.delete(pgid);
});
lines.on('close', () => {
  if (signalAll('SIGTERM') === 0) process.exit(0);
  setTimeout(() => {
    signalAll('SIGKILL');
    process.exit(0);
  }, graceMs).unref();
  // Keeps the process up for the grace (the timer alone is unref'd so an empty set exits at once).
  setTimeout(() => {}, graceMs + 100);
});
