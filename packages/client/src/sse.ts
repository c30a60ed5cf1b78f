// Server-sent events over fetch (Node ≥ 20 and browsers alike; EventSource cannot send an
// Authorization header). One connection: openEventStream. Reconnecting with Last-Event-ID until
// the caller stops: followEventStream.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { DtssHttpError } from './errors';
import { CLIENT_VERSION, CLIENT_VERSION_HEADER } from './version';

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

export interface OpenStreamOptions {
  token?: string;
  lastEventId?: string;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** The events of one connection, in order; ends when the server closes the stream. */
export async function* openEventStream(
  url: string,
  opts: OpenStreamOptions = {},
): AsyncGenerator<SseMessage> {
  const headers: Record<string, string> = {
    Accept: 'text/event-stream',
    [CLIENT_VERSION_HEADER]: CLIENT_VERSION,
  };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.lastEventId) headers['Last-Event-ID'] = opts.lastEventId;
  const response = await (opts.fetch ?? fetch)(url, { headers, signal: opts.signal });
  if (!response.ok) {
    throw new DtssHttpError(response.status, await errorMessage(response, url));
  }
  if (!response.body) throw new DtssHttpError(response.status, `${url} sent no body`);
  const queue: SseMessage[] = [];
  const parser = createParser({
    onEvent: (m: EventSourceMessage) =>
      queue.push({ event: m.event ?? 'message', data: m.data, ...(m.id ? { id: m.id } : {}) }),
  });
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      while (queue.length > 0) yield queue.shift()!;
    }
  } finally {
    // The caller stopped early (break/return) or the stream failed: let the server know.
    await reader.cancel().catch(() => undefined);
  }
}

export interface FollowStreamOptions extends OpenStreamOptions {
  /** Delay before the first reconnect; doubled per failure up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Consecutive failed connections before giving up (default 8). */
  maxRetries?: number;
  /** Told before each reconnect, e.g. to print "connection lost, retrying". */
  onReconnect?: (error: unknown, attempt: number) => void;
}

/**
 * Events across reconnects: a dropped connection (network, server restart) is reopened with the
 * last event id seen, so a resumable stream continues exactly where it stopped. Errors a retry
 * cannot fix (4xx other than 408/429) are thrown at once. The caller ends the loop (break) when
 * it has what it wants, e.g. on an `end` event.
 */
export async function* followEventStream(
  url: string,
  opts: FollowStreamOptions = {},
): AsyncGenerator<SseMessage> {
  let lastEventId = opts.lastEventId;
  let failures = 0;
  for (;;) {
    let error: unknown = new Error('the server closed the stream');
    try {
      for await (const message of openEventStream(url, { ...opts, lastEventId })) {
        failures = 0;
        if (message.id !== undefined) lastEventId = message.id;
        yield message;
      }
    } catch (e) {
      if (opts.signal?.aborted || !retryable(e)) throw e;
      error = e;
    }
    if (opts.signal?.aborted) return;
    failures++;
    if (failures > (opts.maxRetries ?? 8)) throw error;
    opts.onReconnect?.(error, failures);
    const base = opts.retryDelayMs ?? 500;
    await sleep(Math.min(opts.maxRetryDelayMs ?? 10_000, base * 2 ** (failures - 1)), opts.signal);
  }
}

function retryable(error: unknown): boolean {
  if (error instanceof DtssHttpError) {
    return error.status >= 500 || error.status === 408 || error.status === 429;
  }
  return true;
}

async function errorMessage(response: Response, url: string): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // Not our JSON error shape: fall through to the status line.
  }
  return `${response.status} ${response.statusText || 'error'} from ${url}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
