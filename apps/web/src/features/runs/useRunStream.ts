'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '@/trpc/react';
import {
  applyRunEvent,
  isTaskStatus,
  reviveRunView,
  type RunStreamEvent,
  type RunView,
} from './liveRun';
import { StreamStatuses } from './streamStatuses';

/** The run is re-read once its events pause this long… */
const REREAD_QUIET_MS = 500;
/** …or this long after the first event not yet re-read, if they keep coming. */
const REREAD_AT_MOST_MS = 3_000;
const PAGE_EVERY_MS = 250;

/**
 * While `active`, follows the run's stream and writes what it tells into the `runs.get` query's
 * cache, so every view of the run updates without polling. EventSource reconnects by itself
 * after a dropped connection, and the stream starts each connection with a fresh snapshot.
 * Task statuses also go at once into the returned StreamStatuses, for the graph's nodes.
 */
export function useRunStream(runId: string, active: boolean): StreamStatuses {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // One per run page (the page is keyed by its run, so another run's page starts afresh).
  const [statuses] = useState(() => new StreamStatuses());
  useEffect(() => {
    if (!active) return;
    const key = trpc.runs.get.queryKey({ runId });
    const source = new EventSource(`/api/stream/runs/${encodeURIComponent(runId)}`);
    // Status events carry no timings or attempts: the status is shown at once, and the run is
    // re-read (for times, attempts, outputs) once its events pause, and at least every few seconds
    // while they keep coming. A re-read costs the server and the page a whole run (200 tasks), so
    // it is not done once a second through a burst: that held the stream's next events back.
    let refresh: ReturnType<typeof setTimeout> | null = null;
    let unreadSince = 0;
    const reread = () => {
      refresh = null;
      unreadSince = 0;
      void queryClient.invalidateQueries({ queryKey: key });
    };
    // The graph's nodes take each status at once (`statuses`); the rest of the page (table,
    // timeline, counts) takes the events in one cache write at most every PAGE_EVERY_MS: a burst
    // of task ends costs a few renders of a 200-row page, not one per event, and the main thread
    // stays free to read the stream. The first event after a quiet spell is written at once.
    let pending: RunStreamEvent[] = [];
    let timer = 0;
    let lastWrite = 0;
    const flush = () => {
      timer = 0;
      const events = pending;
      pending = [];
      if (events.length === 0) return;
      lastWrite = performance.now();
      queryClient.setQueryData(key, (old: RunView | undefined) =>
        old ? events.reduce(applyRunEvent, old) : old,
      );
    };
    const apply = (event: RunStreamEvent) => {
      pending.push(event);
      timer ||= window.setTimeout(
        flush,
        Math.max(0, lastWrite + PAGE_EVERY_MS - performance.now()),
      );
      const at = performance.now();
      unreadSince ||= at;
      if (refresh) clearTimeout(refresh);
      refresh = setTimeout(
        reread,
        Math.min(REREAD_QUIET_MS, Math.max(0, unreadSince + REREAD_AT_MOST_MS - at)),
      );
    };
    const data = (e: Event) =>
      JSON.parse((e as MessageEvent<string>).data) as Record<string, string>;
    source.addEventListener('snapshot', (e) => {
      // Newer than any event still waiting to be applied.
      pending = [];
      const view = reviveRunView(JSON.parse((e as MessageEvent<string>).data));
      statuses.replace(view.tasks);
      queryClient.setQueryData(key, view);
    });
    source.addEventListener('run', (e) => apply({ type: 'run', status: data(e).status ?? '' }));
    source.addEventListener('task', (e) => {
      const d = data(e);
      if (d.task && d.status && isTaskStatus(d.status)) statuses.set(d.task, d.status);
      apply({ type: 'task', task: d.task ?? '', status: d.status ?? '' });
    });
    source.addEventListener('end', (e) => {
      // The stream sent the final snapshot just before: nothing left to re-read.
      flush();
      queryClient.setQueryData(key, (old: RunView | undefined) =>
        old ? applyRunEvent(old, { type: 'end', status: data(e).status ?? '' }) : old,
      );
      source.close();
      void queryClient.invalidateQueries({ queryKey: trpc.runs.list.pathKey() });
    });
    // The server's own `error` event (the run is gone, the stream failed) carries data; a dropped
    // connection is an `error` without data, and EventSource retries it.
    source.addEventListener('error', (e) => {
      if (e instanceof MessageEvent && e.data) {
        source.close();
        void queryClient.invalidateQueries({ queryKey: key });
      }
    });
    return () => {
      source.close();
      if (refresh) clearTimeout(refresh);
      if (timer) clearTimeout(timer);
    };
  }, [active, runId, trpc, queryClient, statuses]);
  return statuses;
}
