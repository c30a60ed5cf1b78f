/**
 * The pool as graphile-worker sees it: asking for a connection while the database is down (restart,
 * outage, failover) waits for it to come back instead of failing. graphile-worker retries only a few
 * error codes and not a refused connection: a job finished during an outage rejected its
 * completion unhandled and the worker process crashed, abandoning its running tasks.
 *
 * The same holds for a connection cut in the middle of a statement (`pg_terminate_backend`, an
 * immediate shutdown: 57P01, "Connection terminated unexpectedly"): graphile-worker records a job's
 * end without awaiting it, so the rejection was unhandled and the worker exited; and had it lived,
 * the job would have stayed locked with its task still queued. Its clients therefore report such
 * errors as 57P03 (cannot connect now), which graphile-worker retries with backoff, through
 * connect() above, until the write is recorded.
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
        const client = retriedWhenCut(await pool.connect());
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

/** The SQLSTATEs and errors graphile-worker's `withRetries` retries (its RETRYABLE_ERROR_CODES). */
const GRAPHILE_RETRIES = new Set(['40001', '40P01', '57P03', 'EHOSTUNREACH', 'ETIMEDOUT']);
const RETRIED_AS = '57P03';
const wrapped = new WeakSet<PoolClient>();

/** A lost connection, as graphile-worker's retry understands it (see the top of this file). */
export function asRetryable(err: unknown): unknown {
  if (!isDatabaseUnavailable(err) || typeof err !== 'object' || err === null) return err;
  const e = err as { code?: unknown };
  if (typeof e.code === 'string' && GRAPHILE_RETRIES.has(e.code)) return err;
  try {
    e.code = RETRIED_AS;
  } catch {
    // A frozen error: left as it is.
  }
  return err;
}

function retriedWhenCut(client: PoolClient): PoolClient {
  // Pooled clients come back: wrap each once.
  if (wrapped.has(client)) return client;
  wrapped.add(client);
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const result = query(...args);
    return result instanceof Promise
      ? result.catch((err: unknown) => {
          throw asRetryable(err);
        })
      : result;
  }) as PoolClient['query'];
  return client;
}
