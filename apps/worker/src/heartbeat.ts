/**
 * Keeps this worker's row alive: registers on start, beats every `intervalMs`, and tells the caller
 * when someone asked (through the database) for this worker to drain, and after each beat (whether
 * the leader had declared this worker lost while it was silent; the beat made it active again).
 */
import {
  heartbeatWorker,
  isDatabaseUnavailable,
  registerWorker,
  setWorkerStatus,
  type Pool,
  type WorkerRegistration,
} from '@dtss/db';

export interface Heartbeat {
  /** `lost`: the worker leaves attempts it could not close; the leader sweeps them. */
  stop(finalStatus: 'stopped' | 'draining' | 'lost'): Promise<void>;
}

export async function startHeartbeat(
  pool: Pool,
  registration: WorkerRegistration,
  intervalMs: number,
  hooks: {
    runningTasks: () => number;
    onDrainRequested: () => void;
    /** After each beat that reached the database; `wasLost`: it had declared this worker lost. */
    afterBeat: (wasLost: boolean) => Promise<void>;
    onError: (e: Error) => void;
  },
): Promise<Heartbeat> {
  await registerPatiently(pool, registration, hooks.onError);
  let stopped = false;
  const beat = async () => {
    try {
      const answer = await heartbeatWorker(pool, registration.id, hooks.runningTasks());
      if (answer?.status === 'draining') hooks.onDrainRequested();
      if (answer === null && !stopped) await registerWorker(pool, registration);
      if (!stopped) await hooks.afterBeat(answer?.previousStatus === 'lost');
    } catch (err) {
      // A missed beat is survivable (DB restart, network blip); the next one retries.
      hooks.onError(err as Error);
    }
  };
  const timer = setInterval(() => void beat(), intervalMs);
  return {
    async stop(finalStatus) {
      stopped = true;
      clearInterval(timer);
      await setWorkerStatus(pool, registration.id, finalStatus);
    },
  };
}

/** A worker started while the database is down waits for it, instead of crash-looping. */
async function registerPatiently(
  pool: Pool,
  registration: WorkerRegistration,
  onError: (e: Error) => void,
): Promise<void> {
  for (let delay = 250; ; delay = Math.min(5_000, delay * 2)) {
    try {
      return await registerWorker(pool, registration);
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      onError(
        new Error(`cannot register yet, the database is unavailable: ${(err as Error).message}`),
      );
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
