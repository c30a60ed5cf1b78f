// `dtss run --wait`: follows a run over the server's live streams until it ends. Status changes
// come from /api/stream/runs/:id; for the details they do not carry (exit code, attempt, when),
// the run is re-read through the API once per batch of changes. Logs come from the log stream at
// the same time. Both streams reconnect on their own, without gaps.
import { tailLogs, waitForRun, type RunChangeEvent, type RunView } from '@dtss/client';
import type { Api } from '../api/connect';
import { ChangePrinter } from '../format/changePrinter';
import { formatLogChunk } from '../format/logLine';

export interface FollowOptions {
  json: boolean;
  logs: boolean;
  signal: AbortSignal;
  write?: (text: string) => void;
}

export interface FollowResult {
  /** The run as last read; its final state unless `interrupted`. */
  view: RunView | null;
  interrupted: boolean;
}

type Item = { kind: 'change'; change: RunChangeEvent } | { kind: 'snapshot'; view: RunView };

export async function followRun(
  api: Api,
  runId: string,
  opts: FollowOptions,
): Promise<FollowResult> {
  const write = opts.write ?? ((text: string) => void process.stdout.write(text));
  const printer = new ChangePrinter(runId, opts.json, write);
  let view: RunView | null = null;
  const queue: Item[] = [];
  let processing: Promise<void> | null = null;

  // One re-read per batch: changes that arrive while a read is in flight wait for the next one.
  const processQueue = async () => {
    while (queue.length > 0) {
      const batch = queue.splice(0);
      const changes = batch.flatMap((i) => (i.kind === 'change' ? [i.change] : []));
      const snapshot = batch.findLast((i) => i.kind === 'snapshot');
      view =
        changes.length > 0
          ? await api.client.runs.get.query({ runId })
          : snapshot?.kind === 'snapshot'
            ? snapshot.view
            : view;
      if (!view) continue;
      // The stored run is the story: it holds every change announced so far (and ones whose
      // notices are still on their way from another worker), printed in the order they happened.
      if (changes.length > 0 || snapshot) printer.reconcile(view);
    }
  };
  let failure: unknown = null;
  const enqueue = (item: Item) => {
    queue.push(item);
    processing ??= processQueue()
      .catch((error: unknown) => void (failure ??= error))
      .finally(() => (processing = null));
  };

  const logs = opts.logs
    ? (async () => {
        const stream = tailLogs(api.url, api.token, runId, { signal: opts.signal });
        for await (const chunk of stream) {
          write(formatLogChunk(chunk, { json: opts.json, prefix: true, runId }));
        }
      })().catch((error: unknown) => {
        // Lost logs do not change the run's outcome: say so and go on following the status.
        if (!opts.signal.aborted) {
          process.stderr.write(`warning: stopped streaming logs: ${(error as Error).message}\n`);
        }
      })
    : Promise.resolve();

  try {
    const final = await waitForRun(api.client, runId, {
      signal: opts.signal,
      onSnapshot: (v) => enqueue({ kind: 'snapshot', view: v }),
      onChange: (change) => enqueue({ kind: 'change', change }),
    });
    while (processing) await processing;
    if (failure) throw failure;
    view = final;
    printer.reconcile(final);
    // The log stream ends by itself once the run has ended and every line was sent.
    await logs;
    return { view, interrupted: false };
  } catch (error) {
    if (opts.signal.aborted) {
      await logs;
      return { view, interrupted: true };
    }
    throw error;
  }
}
