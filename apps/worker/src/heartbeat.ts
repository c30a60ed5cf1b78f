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
  /**
   * Metadata learnt after registering (graphile-worker's lock id): sent with the beats until one
   * gets through, and kept for a re-registration.
   */
  setMetadata(metadata: Record<string, unknown>): void;
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
  let unsentMetadata: Record<string, unknown> | undefined;
  const beat = async () => {
    try {
      const metadata = unsentMetadata;
      const answer = await heartbeatWorker(pool, registration.id, hooks.runningTasks(), metadata);
      if (unsentMetadata === metadata) unsentMetadata = undefined;
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
    setMetadata(metadata) {
      registration.metadata = metadata;
      unsentMetadata = metadata;
      void beat();
    },
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
