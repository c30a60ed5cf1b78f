/**
 * The attempts this worker is executing, so cancel requests, drains and the ownership check at
 * each heartbeat (disownedAttempts.ts) can reach them.
 */
import type { HeldAttempt } from '@dtss/db';

/**
 * `disowned`: the attempt is no longer this worker's (swept as lost while the worker was silent,
 * say): its processes are killed at once and nothing is recorded for it.
 */
export type StopReason = 'cancelled' | 'requeue' | 'disowned';

interface Entry {
  controller: AbortController;
  /** Set once claimed; null before, and again once its result is being recorded. */
  attemptId: string | null;
}

export class RunningTasks {
  private readonly byTask = new Map<string, Entry>();

  add(taskRunId: string): AbortSignal {
    const controller = new AbortController();
    this.byTask.set(taskRunId, { controller, attemptId: null });
    return controller.signal;
  }

  /**
   * The attempt the task executes here, once claimed. Cleared (null) when it has ended and its
   * result goes to the database, which then decides whether it still counts.
   */
  setAttempt(taskRunId: string, attemptId: string | null): void {
    const entry = this.byTask.get(taskRunId);
    if (entry) entry.attemptId = attemptId;
  }

  delete(taskRunId: string): void {
    this.byTask.delete(taskRunId);
  }

  get size(): number {
    return this.byTask.size;
  }

  /** The attempts claimed and still executing (their result not yet handed to the database). */
  executing(): HeldAttempt[] {
    const held: HeldAttempt[] = [];
    for (const [taskRunId, { attemptId, controller }] of this.byTask) {
      if (attemptId && !controller.signal.aborted) held.push({ taskRunId, attemptId });
    }
    return held;
  }

  stop(taskRunId: string, reason: StopReason): boolean {
    const controller = this.byTask.get(taskRunId)?.controller;
    if (!controller || controller.signal.aborted) return false;
    controller.abort(reason);
    return true;
  }

  /** Stops the attempt as `disowned` if this task still executes it; false otherwise. */
  disown(taskRunId: string, attemptId: string): boolean {
    if (this.byTask.get(taskRunId)?.attemptId !== attemptId) return false;
    return this.stop(taskRunId, 'disowned');
  }

  stopAll(reason: StopReason): number {
    let n = 0;
    for (const id of this.byTask.keys()) if (this.stop(id, reason)) n++;
    return n;
  }
}
