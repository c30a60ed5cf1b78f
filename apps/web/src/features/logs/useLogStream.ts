'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { problemMessage, readStoredLog } from './downloadLog';
import { errorEventMessage, logStreamUrl, parseLogEvent, type WireLine } from './logEvents';
import { LogLines } from './logLines';

export type LogStreamStatus =
  /** Before the stream opened. */
  | 'connecting'
  /** Open: stored lines, then live ones. */
  | 'open'
  /** The connection dropped or the server failed it; EventSource is trying again. */
  | 'reconnecting'
  /** `end` arrived: every line of the attempt is held. */
  | 'complete'
  /** The server refused the stream (EventSource gives up on those); `retry` starts over. */
  | 'error';

export interface LogStreamState {
  /** Append-only; read it during render with `version` as the dependency that changes. */
  lines: LogLines;
  /** Bumped after each batch of new lines. */
  version: number;
  status: LogStreamStatus;
  error: string | null;
  /** The connection follows live lines (else it ends after the stored ones). */
  follows: boolean;
  retry: () => void;
}

interface Session {
  key: string;
  lines: LogLines;
  version: number;
  status: LogStreamStatus;
  error: string | null;
  follows: boolean;
  /** Bumped by retry: a new EventSource. */
  connection: number;
}

/**
 * Renders at most this often while lines pour in: a 100k-line log arrives as ~100 events in about
 * a second, and a render per frame slowed the main thread that parses them (measured in headless
 * Chromium on a 2-core VM: ~1.3 s to the end of 100k lines against ~1.5 s with one per frame).
 * Lines after a quiet spell still show at the next frame.
 */
const FLUSH_INTERVAL_MS = 100;

const newSession = (key: string): Session => ({
  key,
  lines: new LogLines(),
  version: 0,
  status: 'connecting',
  error: null,
  follows: false,
  connection: 0,
});

/**
 * Streams one attempt's log into an append-only store. Lines arriving in a burst (a 100k-line log
 * opening) are collected and applied in batches at most every FLUSH_INTERVAL_MS: a few React
 * renders per second, not one per event. `follow: false` (the attempt has ended) reads the stored
 * lines and ends; otherwise the stream follows until the run ends.
 *
 * EventSource reconnects by itself with Last-Event-ID, so a dropped connection resumes exactly; a
 * retry after a refusal starts a new EventSource from the beginning and the store drops the lines
 * it already holds.
 */
export function useLogStream({
  runId,
  task,
  attempt,
  follow,
}: {
  runId: string;
  task: string;
  /** null: nothing to stream (the task has no attempt yet). */
  attempt: number | null;
  follow: boolean;
}): LogStreamState {
  const key = `${runId}\n${task}\n${attempt ?? ''}`;
  const [stored, setSession] = useState(() => newSession(key));
  // Another attempt: a new store at once (this render already shows it), not after an effect.
  let session = stored;
  if (stored.key !== key) {
    session = newSession(key);
    setSession(session);
  }
  const store = session.lines;

  // Read when a connection opens; a change of `follow` alone does not reconnect (an attempt that
  // ends while followed is complete once the run ends, and its lines are already here).
  const followRef = useRef(follow);
  useEffect(() => {
    followRef.current = follow;
  }, [follow]);

  useEffect(() => {
    if (attempt === null) return;
    // Updates from a connection of another store (a previous attempt) are ignored.
    const update = (patch: (s: Session) => Partial<Session>) =>
      setSession((s) => (s.lines === store ? { ...s, ...patch(s) } : s));
    const follows = followRef.current;
    const url = logStreamUrl(runId, task, attempt, { follow: follows, compact: true });
    let pending: WireLine[][] = [];
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastFlush = -Infinity;

    const cancel = () => {
      if (frame) cancelAnimationFrame(frame);
      clearTimeout(timer);
      frame = 0;
      timer = undefined;
    };
    const schedule = () => {
      if (frame || timer !== undefined) return;
      const wait = lastFlush + FLUSH_INTERVAL_MS - performance.now();
      if (wait <= 0) frame = requestAnimationFrame(flush);
      // Not a frame after the wait: frames come late while events keep the main thread busy.
      else timer = setTimeout(flush, wait);
    };
    const flush = () => {
      cancel();
      lastFlush = performance.now();
      let added = 0;
      for (const lines of pending) added += store.append(lines);
      pending = [];
      if (added > 0) update((s) => ({ version: s.version + 1 }));
    };

    if (!follows) {
      // An ended attempt: its stored lines, read once (see readStoredLog).
      const abort = new AbortController();
      update(() => ({ status: 'open', error: null, follows }));
      readStoredLog(runId, task, attempt, {
        signal: abort.signal,
        onLines: (lines) => {
          pending.push(lines);
          schedule();
        },
      }).then(
        () => {
          flush();
          update(() => ({ status: 'complete', error: null }));
        },
        (err: unknown) => {
          if (abort.signal.aborted) return;
          flush();
          const message = err instanceof Error ? err.message : String(err);
          update(() => ({ status: 'error', error: message }));
        },
      );
      return () => {
        abort.abort();
        cancel();
      };
    }

    const source = new EventSource(url);
    const probe = new AbortController();
    source.addEventListener('open', () => update(() => ({ status: 'open', error: null, follows })));
    source.addEventListener('log', (e) => {
      const data = parseLogEvent((e as MessageEvent<string>).data);
      if (!data || data.attempt !== attempt || (data.task && data.task !== task)) return;
      pending.push(data.lines);
      schedule();
    });
    source.addEventListener('end', () => {
      // Closed by us, or EventSource would reconnect and read the whole log again.
      source.close();
      flush();
      update(() => ({ status: 'complete', error: null }));
    });
    source.addEventListener('error', (e) => {
      flush();
      if (e instanceof MessageEvent) {
        // The server's own `error` event; it closes the stream next and EventSource reconnects.
        const message = errorEventMessage(e.data);
        update(() => ({ status: 'reconnecting', error: message }));
      } else if (source.readyState === EventSource.CLOSED) {
        // Refused (401, 404, 400): EventSource does not say why, so ask once with a plain request.
        update(() => ({ status: 'error', error: 'the server refused the log stream' }));
        void describeRefusal(url, probe.signal).then((message) => {
          if (!probe.signal.aborted) update(() => ({ status: 'error', error: message }));
        });
      } else {
        update((s) => (s.status === 'complete' ? {} : { status: 'reconnecting' }));
      }
    });

    return () => {
      source.close();
      probe.abort();
      cancel();
    };
  }, [runId, task, attempt, store, session.connection]);

  const retry = useCallback(
    () =>
      setSession((s) => ({
        ...s,
        status: 'connecting',
        error: null,
        connection: s.connection + 1,
      })),
    [],
  );

  return {
    lines: store,
    version: session.version,
    status: session.status,
    error: session.error,
    follows: session.follows,
    retry,
  };
}

/** Why a stream was refused, from the same URL's answer to a plain request. */
async function describeRefusal(url: string, signal: AbortSignal): Promise<string> {
  const stored = new URL(url, window.location.href);
  stored.searchParams.set('follow', 'false');
  try {
    const response = await fetch(stored, { signal, credentials: 'same-origin' });
    if (!response.ok) return await problemMessage(response);
    void response.body?.cancel();
    return 'the log stream closed unexpectedly';
  } catch {
    return 'could not reach the server';
  }
}
