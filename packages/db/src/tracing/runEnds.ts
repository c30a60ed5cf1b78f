import { observeEngine } from '../observe';
import type { Pool } from '../pool';
import type { SpanSink } from './exporter';
import { attemptEndSpans, runEndSpans } from './spans';

/**
 * Emits the span of every run a statement of this process ends at once (a cancel, a timeout:
 * `cancelRun`), and those of the attempts the leader's sweep closes as lost (with their task's and
 * run's when that ended them), read after their commit. For the web and scheduler processes; the
 * worker emits what its completions end itself. Returns the unsubscribe function.
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
    attemptClosed(attemptId, ended) {
      attemptEndSpans(pool, attemptId, ended).then((spans) => sink.emit(spans), onError);
    },
  });
}
