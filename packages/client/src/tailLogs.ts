// A run's log over /api/stream/runs/:id/logs: stored chunks first, then live ones. A dropped
// connection resumes from the last chunk received (Last-Event-ID): no line twice, none missing.
import { normalizeUrl } from './connection';
import type { LogChunkEvent, StreamEnd } from './events';
import { followEventStream, type FollowStreamOptions } from './sse';

export interface TailLogsOptions extends Pick<
  FollowStreamOptions,
  'signal' | 'onReconnect' | 'fetch' | 'retryDelayMs' | 'maxRetryDelayMs' | 'maxRetries'
> {
  /** Only this task's lines. */
  task?: string;
  /** With `task`: only this attempt (1-based). */
  attempt?: number;
  /** Keep streaming until the run ends (default); false: the stored lines, then stop. */
  follow?: boolean;
  /** Resume after this cursor (the id of the last chunk a previous tail received). */
  lastEventId?: string;
}

/**
 * Yields each log chunk in order; returns the `end` event's content when the run has ended (or,
 * without follow, when the stored lines are all sent).
 */
export async function* tailLogs(
  url: string,
  token: string | undefined,
  runId: string,
  opts: TailLogsOptions = {},
): AsyncGenerator<LogChunkEvent, StreamEnd> {
  const query = new URLSearchParams();
  if (opts.task !== undefined) query.set('task', opts.task);
  if (opts.attempt !== undefined) query.set('attempt', String(opts.attempt));
  if (opts.follow === false) query.set('follow', 'false');
  const qs = query.size ? `?${query}` : '';
  const stream = followEventStream(
    `${normalizeUrl(url)}/api/stream/runs/${encodeURIComponent(runId)}/logs${qs}`,
    { token, ...opts },
  );
  for await (const message of stream) {
    if (message.event === 'log') yield JSON.parse(message.data) as LogChunkEvent;
    else if (message.event === 'end') return JSON.parse(message.data) as StreamEnd;
  }
  throw new Error(`the log stream of run ${runId} stopped before it ended`);
}
