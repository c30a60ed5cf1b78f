'use client';
import { useEffect, useRef, useState } from 'react';
import { needsNewStream, streamEffect, type StreamEffect } from './runsLive';

/** Rows come and go in bursts (a page loads, a filter changes): the stream follows once they settle. */
const SETTLE_MS = 500;
const EVENTS = ['snapshot', 'summary', 'run', 'task', 'end'] as const;

interface OpenStream {
  ids: string[];
  /** Bumped to reconnect after the server refused or failed the stream. */
  attempt: number;
}

/**
 * Follows the runs `wanted` through ONE multi-run stream (/api/stream/runs?ids=…) and hands every
 * event's effect to `onEffect`. The stream is replaced (after the set settles) only when a wanted
 * run is not followed yet. EventSource reconnects by itself after a dropped connection (and the
 * stream then starts with a fresh snapshot); when the server refuses or fails the stream, it is
 * opened again for the runs wanted by then, after a growing pause.
 */
export function useRunsStream(
  wanted: readonly string[],
  onEffect: (e: StreamEffect) => void,
): void {
  const [stream, setStream] = useState<OpenStream | null>(null);
  const wantedRef = useRef(wanted);
  const onEffectRef = useRef(onEffect);
  useEffect(() => {
    wantedRef.current = wanted;
    onEffectRef.current = onEffect;
  });

  const wantedKey = wanted.join(',');
  useEffect(() => {
    const t = setTimeout(() => {
      const ids = wantedKey ? wantedKey.split(',') : [];
      setStream((current) => {
        if (ids.length === 0) return null;
        return needsNewStream(current?.ids ?? null, ids) ? { ids, attempt: 0 } : current;
      });
    }, SETTLE_MS);
    return () => clearTimeout(t);
  }, [wantedKey]);

  useEffect(() => {
    if (!stream) return;
    const source = new EventSource(`/api/stream/runs?ids=${stream.ids.join(',')}`);
    let retry: ReturnType<typeof setTimeout> | null = null;
    for (const name of EVENTS) {
      source.addEventListener(name, (e) => {
        let json: unknown;
        try {
          json = JSON.parse((e as MessageEvent<string>).data);
        } catch {
          return;
        }
        const effect = streamEffect(name, json);
        if (effect.end) source.close();
        onEffectRef.current(effect);
      });
    }
    // The server's own `error` event carries data (the stream failed); a refusal (a run gone,
    // access lost) closes the EventSource. A dropped connection is retried by EventSource itself.
    source.addEventListener('error', (e) => {
      const fromServer = e instanceof MessageEvent && Boolean(e.data);
      if (!fromServer && source.readyState !== EventSource.CLOSED) return;
      source.close();
      onEffectRef.current({ patches: [], refetch: true, end: false });
      const delay = Math.min(30_000, 2_000 * 2 ** stream.attempt);
      retry = setTimeout(() => {
        const ids = [...wantedRef.current];
        setStream((current) =>
          current !== stream ? current : ids.length ? { ids, attempt: stream.attempt + 1 } : null,
        );
      }, delay);
    });
    return () => {
      source.close();
      if (retry) clearTimeout(retry);
    };
  }, [stream]);
}
