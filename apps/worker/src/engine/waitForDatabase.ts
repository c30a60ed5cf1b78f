/**
 * The reads an attempt makes before its process starts (its version, secrets, upstream outputs)
 * wait for an unreachable database as completions do, instead of failing the task: a Postgres
 * restart or a cut connection is the platform's fault, not the task's (docs/CHAOS.md, "a database
 * blip while an attempt prepares"). The wait ends when the attempt is stopped (cancelled, or
 * disowned because the leader declared this worker lost meanwhile), with the stop's reason.
 */
import { isDatabaseUnavailable } from '@dtss/db';

const DELAYS_MS = [100, 250, 500, 1_000, 2_000, 5_000];

export async function waitForDatabase<T>(
  read: () => Promise<T>,
  signal: AbortSignal,
  log: (line: string) => void,
  what: string,
  delaysMs: readonly number[] = DELAYS_MS,
): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await read();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || signal.aborted) throw err;
      if (failures === 0) log(`${what} waits for the database (${(err as Error).message})`);
      await pause(delaysMs[Math.min(failures, delaysMs.length - 1)]!, signal);
      if (signal.aborted) throw err;
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
