'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTRPC } from '@/trpc/react';
import { applyRunEvent, reviveRunView, type RunStreamEvent, type RunView } from './liveRun';

const REREAD_AFTER_MS = 1_000;

/**
 * While `active`, follows the run's stream and writes what it tells into the `runs.get` query's
 * cache, so every view of the run updates without polling. EventSource reconnects by itself
 * after a dropped connection, and the stream starts each connection with a fresh snapshot.
 */
export function useRunStream(runId: string, active: boolean): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!active) return;
    const key = trpc.runs.get.queryKey({ runId });
    const source = new EventSource(`/api/stream/runs/${encodeURIComponent(runId)}`);
    // Status events carry no timings or attempts: the status is shown at once, and the run is
    // re-read once things settle (at most once a second while it changes, never while it idles).
    let refresh: ReturnType<typeof setTimeout> | null = null;
    // Events that arrive together (a burst of task ends while the page renders) are applied in one
    // cache write: a few renders of the page, not one per event, so it keeps up with the stream.
    // A timer, not a frame: frames of a large canvas come late, and a status must not wait.
    let pending: RunStreamEvent[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const events = pending;
      pending = [];
      if (events.length === 0) return;
      queryClient.setQueryData(key, (old: RunView | undefined) =>
        old ? events.reduce(applyRunEvent, old) : old,
      );
    };
    const apply = (event: RunStreamEvent) => {
      pending.push(event);
      frame ||= window.setTimeout(flush, 0);
      refresh ??= setTimeout(() => {
        refresh = null;
        void queryClient.invalidateQueries({ queryKey: key });
      }, REREAD_AFTER_MS);
    };
    const data = (e: Event) =>
      JSON.parse((e as MessageEvent<string>).data) as Record<string, string>;
    source.addEventListener('snapshot', (e) => {
      // Newer than any event still waiting to be applied.
      pending = [];
      queryClient.setQueryData(key, reviveRunView(JSON.parse((e as MessageEvent<string>).data)));
    });
    source.addEventListener('run', (e) => apply({ type: 'run', status: data(e).status ?? '' }));
    source.addEventListener('task', (e) => {
      const d = data(e);
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
      if (frame) clearTimeout(frame);
    };
  }, [active, runId, trpc, queryClient]);
}
