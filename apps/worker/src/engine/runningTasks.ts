/** The attempts this worker is executing, so cancel requests and drains can reach them. */
export type StopReason = 'cancelled' | 'requeue';

export class RunningTasks {
  private readonly byTask = new Map<string, AbortController>();

  add(taskRunId: string): AbortSignal {
    const controller = new AbortController();
    this.byTask.set(taskRunId, controller);
    return controller.signal;
  }

  delete(taskRunId: string): void {
    this.byTask.delete(taskRunId);
  }

  get size(): number {
    return this.byTask.size;
  }

  stop(taskRunId: string, reason: StopReason): boolean {
    const controller = this.byTask.get(taskRunId);
    if (!controller || controller.signal.aborted) return false;
    controller.abort(reason);
    return true;
  }

  stopAll(reason: StopReason): number {
    let n = 0;
    for (const id of this.byTask.keys()) if (this.stop(id, reason)) n++;
    return n;
  }
}
