/**
 * Every procedure call, for the web process's metrics (apps/web's server/metrics.ts subscribes):
 * the procedure's path (`runs.get`: a bounded set), its outcome as a tRPC code (`OK`, `NOT_FOUND`,
 * …) and its duration. Told by the outermost middleware (trpc.ts), in memory only. Listeners are
 * kept on globalThis: Next.js may load this module more than once in one process.
 */
export interface ApiRequestObservation {
  procedure: string;
  type: 'query' | 'mutation' | 'subscription';
  code: string;
  seconds: number;
}

type Listener = (o: ApiRequestObservation) => void;

const KEY = Symbol.for('dtss.apiRequestListeners');
const store = globalThis as unknown as { [KEY]?: Set<Listener> };
const listeners = (store[KEY] ??= new Set<Listener>());

/** Subscribes; returns the unsubscribe function. */
export function observeApiRequests(listener: Listener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

export function apiRequestObserved(o: ApiRequestObservation): void {
  for (const listener of listeners) listener(o);
}
