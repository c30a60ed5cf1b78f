import type { LiveStatusSource } from '@/components/graph/liveStatus';

/**
 * The run stream's view of each task's status: replaced by every snapshot, changed by every task
 * event, in the stream's order. Tells each change to that task's subscribers only, so a status
 * reaches its node at once while the rest of the page takes in the event in its own time.
 */
export class StreamStatuses implements LiveStatusSource {
  private readonly statuses = new Map<string, string>();
  private readonly listeners = new Map<string, Set<() => void>>();

  get(task: string): string | undefined {
    return this.statuses.get(task);
  }

  subscribe(task: string, onChange: () => void): () => void {
    let set = this.listeners.get(task);
    if (!set) this.listeners.set(task, (set = new Set()));
    set.add(onChange);
    return () => {
      set.delete(onChange);
      if (set.size === 0) this.listeners.delete(task);
    };
  }

  set(task: string, status: string): void {
    if (this.statuses.get(task) === status) return;
    this.statuses.set(task, status);
    this.tell(task);
  }

  /** A snapshot: every task's status as the stream read it; tasks it does not name are dropped. */
  replace(tasks: Iterable<{ key: string; status: string }>): void {
    const before = new Map(this.statuses);
    this.statuses.clear();
    for (const t of tasks) this.statuses.set(t.key, t.status);
    for (const task of new Set([...before.keys(), ...this.statuses.keys()]))
      if (before.get(task) !== this.statuses.get(task)) this.tell(task);
  }

  private tell(task: string): void {
    for (const onChange of this.listeners.get(task) ?? []) onChange();
  }
}
