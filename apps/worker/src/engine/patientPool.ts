/**
 * The pool as graphile-worker sees it: asking for a connection while the database is down (restart,
 * outage, failover) waits for it to come back instead of failing. graphile-worker retries only a few
 * error codes and not a refused connection: a job finished during an outage rejected its
 * completion unhandled and the worker process crashed, abandoning its running tasks.
 */
import { isDatabaseUnavailable, type Pool, type PoolClient } from '@dtss/db';

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

export function patientPool(pool: Pool, onWait: (message: string) => void): Pool {
  const connect = async (): Promise<PoolClient> => {
    let delay = FIRST_DELAY_MS;
    let told = false;
    for (;;) {
      try {
        const client = await pool.connect();
        if (told) onWait('database reachable again: job queue resumed');
        return client;
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw err;
        if (!told)
          onWait(`database unavailable (${(err as Error).message}): job queue waits for it`);
        told = true;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(MAX_DELAY_MS, delay * 2);
      }
    }
  };
  return new Proxy(pool, {
    get(target, prop, receiver) {
      // The callback form (graphile-worker's LISTEN connection, which retries by itself) is the
      // pool's own: a callback handed to the promise form would never be called.
      if (prop === 'connect') {
        return (callback?: Parameters<Pool['connect']>[0]) =>
          callback ? target.connect(callback) : connect();
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
