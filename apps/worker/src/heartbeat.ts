/**
 * Keeps this worker's row alive: registers on start, beats every `intervalMs`, and tells the caller
 * when someone asked (through the database) for this worker to drain.
 */
import {
  heartbeatWorker,
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
  hooks: { runningTasks: () => number; onDrainRequested: () => void; onError: (e: Error) => void },
): Promise<Heartbeat> {
  await registerWorker(pool, registration);
  let stopped = false;
  const beat = async () => {
    try {
      const status = await heartbeatWorker(pool, registration.id, hooks.runningTasks());
      if (status === 'draining') hooks.onDrainRequested();
      if (status === null && !stopped) await registerWorker(pool, registration);
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
