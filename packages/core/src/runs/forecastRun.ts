// When a run will end and which chain of tasks decides it. Ended tasks keep their real times;
// the rest are projected from the medians of the workflow's recent successful runs. The same pass
// gives a finished run its critical path (all times real) and a running one its ETA.
import { asDag, type DagSource } from '../dag/buildDag';
import { layerIndexes } from '../dag/topologicalLayers';

/** A task of the run as the forecast needs it; times in epoch milliseconds. */
export interface ForecastTask {
  /** True once the task can change no more (succeeded, failed, skipped, …). */
  ended: boolean;
  queuedAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
}

/** Medians over recent successful runs: queued → started, and started → finished. */
export interface TaskHistory {
  waitMs: number;
  runMs: number;
}

export interface ProjectedTask {
  start: number;
  end: number;
  /** False when both times are real. */
  estimated: boolean;
}

export interface RunForecast {
  /** The run's end: real when every task ended, else projected. Null when there is no task. */
  end: number | null;
  /** The chain of tasks that decided (or will decide) the end, first task first. */
  criticalPath: string[];
  projected: Map<string, ProjectedTask>;
  /** Unended tasks with no history: projected as taking no time, so the ETA is a lower bound. */
  unknown: string[];
}

export function forecastRun(
  graph: DagSource,
  tasks: ReadonlyMap<string, ForecastTask>,
  history: ReadonlyMap<string, TaskHistory>,
  opts: { now: number; runStartedAt: number | null },
): RunForecast {
  const dag = asDag(graph);
  const projected = new Map<string, ProjectedTask>();
  const unknown: string[] = [];
  const origin = opts.runStartedAt ?? opts.now;
  for (const layer of layerIndexes(dag)) {
    for (const i of layer) {
      const key = dag.ids[i]!;
      const t = tasks.get(key);
      // Ready when every upstream task has ended (or will): the latest of their ends.
      let ready = origin;
      for (const u of dag.upstream[i]!) ready = Math.max(ready, projected.get(dag.ids[u]!)!.end);
      if (t?.ended) {
        const end = t.finishedAt ?? t.startedAt ?? ready;
        projected.set(key, { start: t.startedAt ?? end, end, estimated: false });
        continue;
      }
      const h = history.get(key);
      if (!h) unknown.push(key);
      const runMs = h?.runMs ?? 0;
      if (t?.startedAt != null) {
        // Running (or between attempts): at least until now, at least its usual duration.
        projected.set(key, {
          start: t.startedAt,
          end: Math.max(opts.now, t.startedAt + runMs),
          estimated: true,
        });
        continue;
      }
      const queued = t?.queuedAt ?? ready;
      const start = Math.max(opts.now, queued + (h?.waitMs ?? 0));
      projected.set(key, { start, end: start + runMs, estimated: true });
    }
  }
  if (projected.size === 0) return { end: null, criticalPath: [], projected, unknown };

  // Walk back from the last task to end, each time to the upstream task that ended last (the one
  // its start waited for).
  let last = -1;
  let end = -Infinity;
  dag.ids.forEach((id, i) => {
    const e = projected.get(id)!.end;
    if (e > end) {
      end = e;
      last = i;
    }
  });
  const path: string[] = [];
  for (let i = last; i >= 0;) {
    path.push(dag.ids[i]!);
    let gate = -1;
    let gateEnd = -Infinity;
    for (const u of dag.upstream[i]!) {
      const e = projected.get(dag.ids[u]!)!.end;
      if (e > gateEnd) {
        gateEnd = e;
        gate = u;
      }
    }
    i = gate;
  }
  return { end, criticalPath: path.reverse(), projected, unknown };
}
