// Server-sent events over a route handler's streaming Response: framing, heartbeats, and clean-up
// when the client goes away.

import { webLog } from '../log';

export interface SseEvent {
  event: string;
  data: unknown;
  /** Becomes the browser's Last-Event-ID when it reconnects. */
  id?: string;
}

export interface SseSink {
  send(event: SseEvent): void;
  /** Ends the stream (after sending what was queued). */
  close(): void;
  /** True once the client left or close() was called. */
  readonly closed: boolean;
  /** Aborted when the stream ends, for whatever reason. */
  readonly signal: AbortSignal;
}

export interface SseOptions {
  /** A comment line this often keeps proxies from timing out an idle stream. */
  heartbeatMs?: number;
  /** Reconnection delay the browser should use. */
  retryMs?: number;
  /**
   * Access is checked when a stream opens; this re-checks it while the stream stays open, so a
   * revoked token or a removed member stops receiving. A failed check (database down) is not a
   * denial: the stream goes on and the next check decides.
   */
  recheck?: { everyMs: number; allowed: () => Promise<boolean> };
}

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  // nginx buffers responses unless told not to.
  'X-Accel-Buffering': 'no',
} as const;

/** One SSE frame. Ids and event names must be single-line; data is JSON, so it always is. */
export function formatSseEvent({ event, data, id }: SseEvent): string {
  if (/[\r\n]/.test(event) || (id !== undefined && /[\r\n\0]/.test(id))) {
    throw new Error('SSE event names and ids must not contain line breaks');
  }
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * A streaming SSE Response. `start` runs once the stream is open; it may return a clean-up
 * function, called exactly once when the stream ends (client gone, `close()`, or an error).
 */
export function sseResponse(
  request: Request,
  start: (sink: SseSink) => Promise<(() => void) | void> | (() => void) | void,
  opts: SseOptions = {},
): Response {
  const encoder = new TextEncoder();
  const ended = new AbortController();
  let cleanup: (() => void) | void;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let recheck: NodeJS.Timeout | null = null;

  const finish = () => {
    if (ended.signal.aborted) return;
    ended.abort();
    if (heartbeat) clearInterval(heartbeat);
    if (recheck) clearInterval(recheck);
    request.signal.removeEventListener('abort', finish);
    try {
      controllerRef?.close();
    } catch {
      // Already closed or errored by the runtime: nothing left to flush.
    }
    const fn = cleanup;
    cleanup = undefined;
    fn?.();
  };

  const write = (text: string) => {
    if (ended.signal.aborted || !controllerRef) return;
    try {
      controllerRef.enqueue(encoder.encode(text));
    } catch {
      finish();
    }
  };

  const sink: SseSink = {
    send: (event) => write(formatSseEvent(event)),
    close: finish,
    get closed() {
      return ended.signal.aborted;
    },
    signal: ended.signal,
  };

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controllerRef = controller;
      write(`retry: ${opts.retryMs ?? 2_000}\n: connected\n\n`);
      heartbeat = setInterval(() => write(': heartbeat\n\n'), opts.heartbeatMs ?? 15_000);
      heartbeat.unref?.();
      if (opts.recheck) {
        const { everyMs, allowed } = opts.recheck;
        recheck = setInterval(() => {
          allowed().then(
            (ok) => {
              if (ok) return;
              write(formatSseEvent({ event: 'error', data: { message: 'access revoked' } }));
              finish();
            },
            () => {},
          );
        }, everyMs);
        recheck.unref?.();
      }
      if (request.signal.aborted) return finish();
      request.signal.addEventListener('abort', finish, { once: true });
      Promise.resolve()
        .then(() => start(sink))
        .then(
          (fn) => {
            if (ended.signal.aborted) fn?.();
            else cleanup = fn;
          },
          (error: unknown) => {
            // Details stay in the server log; the client only learns that it should reconnect.
            webLog().error({ err: error }, '[live] stream failed');
            write(
              formatSseEvent({ event: 'error', data: { message: 'stream failed; reconnect' } }),
            );
            finish();
          },
        );
    },
    cancel: finish,
  });

  return new Response(stream, { headers: SSE_HEADERS });
}
