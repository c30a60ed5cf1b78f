// GET /api/stream/runs/:id — a run's status, live. Events:
//   snapshot  the whole RunView: first, after a `truncated` notice, after the hub reconnected,
//             when a task's change would move it back a stage (changes from different workers
//             can arrive out of order), and once more when the run has ended (final timings)
//   run       { runId, status }          the run's status changed
//   task      { runId, task, status }    a task's status changed
//   end       { runId, status }          the run is terminal; the stream closes
// Status is state, not history: a reconnecting client gets a fresh snapshot, which already holds
// everything it may have missed, so event ids are only a per-connection counter.
import type { RunStatus, TaskRunStatus } from '@dtss/core';
import { getRun, type RunEventsNotice, type RunView } from '@dtss/db';
import type { StreamDeps } from './deps';
import type { HubEvent } from './hub';
import { sseResponse, type SseOptions, type SseSink } from './sse';
import { isTerminalRun } from './terminal';
import { webLog } from '../log';

export function runStreamResponse(
  request: Request,
  deps: StreamDeps,
  runId: string,
  opts: SseOptions = {},
): Response {
  return sseResponse(
    request,
    async (sink) => {
      const follower = new RunFollower(deps, runId, sink);
      const unsubscribe = await deps.hub.subscribe(runId, (event) => follower.push(event));
      follower.start();
      return unsubscribe;
    },
    opts,
  );
}

/** Sends one run's events in order; reads the database at most once at a time. */
class RunFollower {
  private queue: HubEvent[] = [];
  private started = false;
  private busy = false;
  private eventId = 0;
  /**
   * Status of the run ('') and of each task as last sent. A notice committed before the snapshot
   * was read can still arrive after it (LISTEN delivers asynchronously): a change that repeats
   * what was sent, or takes the run's status backwards, is such a stale notice and is dropped.
   */
  private readonly known = new Map<string, string>();

  constructor(
    private readonly deps: StreamDeps,
    private readonly runId: string,
    private readonly sink: SseSink,
  ) {}

  push(event: HubEvent): void {
    // Notices that arrive before the first read began are already in its snapshot.
    if (!this.started) return;
    this.queue.push(event);
    this.drain();
  }

  start(): void {
    this.started = true;
    this.queue.unshift({ channel: 'resync' });
    this.drain();
  }

  private drain(): void {
    if (this.busy || this.sink.closed) return;
    this.busy = true;
    this.work()
      .catch((error: unknown) => {
        webLog().error({ err: error, runId: this.runId }, `[live] run stream ${this.runId} failed`);
        this.send('error', { message: 'stream failed; reconnect' });
        this.sink.close();
      })
      .finally(() => {
        this.busy = false;
        if (this.queue.length > 0 && !this.sink.closed) this.drain();
      });
  }

  private async work(): Promise<void> {
    while (this.queue.length > 0 && !this.sink.closed) {
      const batch = this.queue.splice(0);
      // One re-read covers any number of resyncs and truncated notices in the batch.
      if (batch.some((e) => e.channel === 'resync' || (isRunNotice(e) && e.notice.truncated))) {
        if (await this.resnapshot()) return;
        continue;
      }
      let reread = false;
      for (const event of batch) {
        if (!isRunNotice(event)) continue;
        for (const change of event.notice.changes) {
          const key = change.task ?? '';
          const before = this.known.get(key);
          if (before === change.status) continue;
          if (!change.task && before && RUN_ORDER[change.status]! < RUN_ORDER[before]!) continue;
          // Workers announce task changes coalesced, each on its own clock: a task's `queued`
          // (from the worker that finished its upstream) can arrive after its `running` (from
          // the worker that took it). A drain hand-back really does go back to `queued`, so an
          // earlier stage is settled by re-reading the run rather than trusted or dropped.
          if (change.task && before && TASK_STAGE[change.status]! < TASK_STAGE[before]!) {
            reread = true;
            continue;
          }
          this.known.set(key, change.status);
          if (change.task)
            this.send('task', { runId: this.runId, task: change.task, status: change.status });
          else this.send('run', { runId: this.runId, status: change.status });
        }
        // The run ended: its final state (timings included) is read once more, then the end.
        if (event.notice.changes.some((c) => !c.task && isTerminalRun(c.status))) {
          reread = true;
          break;
        }
      }
      if (reread && (await this.resnapshot())) return;
    }
  }

  /** Re-reads the run and sends it as a snapshot; true when the stream is over (ended or gone). */
  private async resnapshot(): Promise<boolean> {
    const view = await this.read();
    if (!view) return true;
    this.snapshot(view);
    if (!isTerminalRun(view.status)) return false;
    this.end(view);
    return true;
  }

  private snapshot(view: RunView): void {
    this.known.clear();
    this.known.set('', view.status);
    for (const task of view.tasks) this.known.set(task.key, task.status);
    this.send('snapshot', view);
  }

  private async read(): Promise<RunView | null> {
    const view = await getRun(this.deps.pool, this.runId);
    if (!view) {
      this.send('error', { message: `run ${this.runId} no longer exists` });
      this.sink.close();
    }
    return view;
  }

  private end(view: RunView): void {
    this.send('end', { runId: this.runId, status: view.status });
    this.queue = [];
    this.sink.close();
  }

  private send(event: string, data: unknown): void {
    this.sink.send({ event, data, id: String(++this.eventId) });
  }
}

/** A run's statuses only move forward: queued → running → an end. */
const RUN_ORDER: Record<string, number> = {
  queued: 0,
  running: 1,
  succeeded: 2,
  failed: 2,
  cancelled: 2,
  timed_out: 2,
} satisfies Record<RunStatus, number>;

/** A task's stages within one run: retries move between running and retry_wait only. */
const TASK_STAGE: Record<string, number> = {
  pending: 0,
  queued: 1,
  running: 2,
  retry_wait: 2,
  succeeded: 3,
  failed: 3,
  skipped: 3,
  cancelled: 3,
  timed_out: 3,
} satisfies Record<TaskRunStatus, number>;

function isRunNotice(
  event: HubEvent,
): event is { channel: 'dtss_run_events'; notice: RunEventsNotice } {
  return event.channel === 'dtss_run_events';
}
