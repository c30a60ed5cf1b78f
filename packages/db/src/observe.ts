/**
 * Engine events seen where they are committed, for a process's metrics: the operations here call
 * `engineEvents` after their transaction commits. They are added up here from the process's start
 * (`engineTotals`, read by the metrics at scrape time, so a registry made later misses nothing)
 * and told to any subscriber. In memory only, no I/O. Kept on globalThis so that every copy of
 * this module in one process (Next.js may bundle it more than once) shares them.
 */
export interface EngineObserver {
  /** Runs created by one call, by how they were triggered (`manual`, `schedule`, …), and their ids. */
  runsCreated?(triggerKind: string, count: number, runIds: readonly string[]): void;
  /** A run this process's statement ended, with its final status. */
  runFinished?(status: string, triggerKind: string, runId?: string): void;
  /**
   * An attempt this process's statement closed for a worker (the leader's sweep of a lost worker),
   * and whether that ended its task and its run.
   */
  attemptClosed?(attemptId: string, ended: { task: boolean; run: boolean }): void;
}

interface Store {
  observers: Set<EngineObserver>;
  runsCreated: Map<string, number>;
  /** By final status and trigger kind (`status␀kind`). */
  runsFinished: Map<string, number>;
}
const KEY = Symbol.for('dtss.engineEvents');
const global = globalThis as unknown as { [KEY]?: Store };
const store = (global[KEY] ??= {
  observers: new Set(),
  runsCreated: new Map(),
  runsFinished: new Map(),
});
const observers = store.observers;

/** What this process did since it started. */
export const engineTotals = {
  /** Runs created, by trigger kind. */
  runsCreated: (): ReadonlyMap<string, number> => store.runsCreated,
  /** Runs ended, by final status and trigger kind. */
  runsFinished: (): { status: string; triggerKind: string; count: number }[] =>
    [...store.runsFinished].map(([key, count]) => {
      const [status, triggerKind] = key.split('\u0000') as [string, string];
      return { status, triggerKind, count };
    }),
};

/** Subscribes; returns the unsubscribe function. */
export function observeEngine(observer: EngineObserver): () => void {
  observers.add(observer);
  return () => void observers.delete(observer);
}

export const engineEvents = {
  runsCreated(triggerKind: string, count: number, runIds: readonly string[] = []): void {
    if (count <= 0) return;
    store.runsCreated.set(triggerKind, (store.runsCreated.get(triggerKind) ?? 0) + count);
    for (const o of observers) o.runsCreated?.(triggerKind, count, runIds);
  },
  runFinished(status: string, triggerKind: string, runId?: string): void {
    const key = `${status}\u0000${triggerKind}`;
    store.runsFinished.set(key, (store.runsFinished.get(key) ?? 0) + 1);
    for (const o of observers) o.runFinished?.(status, triggerKind, runId);
  },
  attemptClosed(attemptId: string, ended: { task: boolean; run: boolean }): void {
    for (const o of observers) o.attemptClosed?.(attemptId, ended);
  },
};
