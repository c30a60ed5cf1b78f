// Follows a run over /api/stream/runs/:id until it ends; survives dropped connections (each
// reconnect starts from a fresh snapshot, so no change is lost).
import { connectionOf } from './connection';
import { reviveRunView, type RunChangeEvent, type RunView, type RunViewJson } from './events';
import { followEventStream, type FollowStreamOptions } from './sse';

export interface WaitForRunOptions extends Pick<
  FollowStreamOptions,
  'signal' | 'onReconnect' | 'retryDelayMs' | 'maxRetryDelayMs' | 'maxRetries'
> {
  /** Each status change, with the run as this stream knows it (statuses updated in place). */
  onChange?: (change: RunChangeEvent, view: RunView) => void | Promise<void>;
  /** Each full snapshot: on connect, reconnect, after a truncated notice, and at the end. */
  onSnapshot?: (view: RunView) => void | Promise<void>;
}

/** Resolves with the run once it has ended (succeeded, failed, cancelled or timed out). */
export async function waitForRun(
  client: object,
  runId: string,
  opts: WaitForRunOptions = {},
): Promise<RunView> {
  const { url, token, fetch } = connectionOf(client);
  let view: RunView | null = null;
  const stream = followEventStream(`${url}/api/stream/runs/${encodeURIComponent(runId)}`, {
    token,
    fetch,
    signal: opts.signal,
    onReconnect: opts.onReconnect,
    retryDelayMs: opts.retryDelayMs,
    maxRetryDelayMs: opts.maxRetryDelayMs,
    maxRetries: opts.maxRetries,
  });
  for await (const message of stream) {
    switch (message.event) {
      case 'snapshot':
        view = reviveRunView(JSON.parse(message.data) as RunViewJson);
        await opts.onSnapshot?.(view);
        break;
      case 'run':
      case 'task': {
        const change = { type: message.event, ...JSON.parse(message.data) } as RunChangeEvent;
        if (!view) break; // a snapshot always comes first; a change before it is already in it
        view = applyChange(view, change);
        await opts.onChange?.(change, view);
        break;
      }
      case 'end':
        if (!view) throw new Error(`the stream of run ${runId} ended without a snapshot`);
        return view;
    }
  }
  throw new Error(`the stream of run ${runId} stopped before the run ended`);
}

function applyChange(view: RunView, change: RunChangeEvent): RunView {
  if (change.type === 'run') return { ...view, status: change.status };
  return {
    ...view,
    tasks: view.tasks.map((t) => (t.key === change.task ? { ...t, status: change.status } : t)),
  };
}
