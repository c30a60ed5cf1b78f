import { observeEngine } from '../observe';
import type { Pool } from '../pool';
import type { SpanSink } from './exporter';
import { runEndSpans } from './spans';

/**
 * Emits the span of every run a statement of this process ends at once (a cancel, a timeout:
 * `cancelRun`), read after its commit. For the web and scheduler processes; the worker emits the
 * runs its completions end itself. Returns the unsubscribe function.
 */
export function traceRunEnds(
  pool: Pool,
  sink: SpanSink,
  onError: (err: Error) => void,
): () => void {
  return observeEngine({
    runFinished(_status, _triggerKind, runId) {
      if (!runId) return;
      runEndSpans(pool, runId).then((spans) => sink.emit(spans), onError);
    },
  });
}
