/**
 * The contexts (params, logical date, version, …) of the runs this worker has recently claimed
 * tasks of: fixed for a run's life, so a claim need not read them again for every task. Bounded:
 * the least recently used run is dropped first.
 */
import type { RunContext, RunContextCache } from '@dtss/db';

export class RunContextLru implements RunContextCache {
  private readonly contexts = new Map<string, RunContext>();

  constructor(private readonly max = 256) {}

  get(runId: string): RunContext | undefined {
    const context = this.contexts.get(runId);
    if (context) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      this.contexts.delete(runId);
      this.contexts.set(runId, context);
    }
    return context;
  }

  set(runId: string, context: RunContext): void {
    this.contexts.delete(runId);
    this.contexts.set(runId, context);
    if (this.contexts.size > this.max) {
      this.contexts.delete(this.contexts.keys().next().value!);
    }
  }
}
