// The run page's forecast: the run's tasks and its version's graph turned into @dtss/core's
// forecast input. Pure, so the page recomputes it on every stream event without I/O.
import {
  forecastRun,
  isTerminal,
  taskRunMachine,
  type ForecastTask,
  type RunForecast,
  type TaskHistory,
} from '@dtss/core';
import type { RunView } from './liveRun';

export type GraphTasks = Readonly<Record<string, { needs?: readonly string[] }>>;

const ms = (d: Date | string | null | undefined) => (d ? new Date(d).getTime() : null);

export function runForecast(
  run: RunView,
  graph: GraphTasks,
  history: Readonly<Record<string, TaskHistory>>,
  now: number,
): RunForecast {
  const tasks = new Map<string, ForecastTask>();
  for (const t of run.tasks)
    tasks.set(t.key, {
      ended: isTerminal(taskRunMachine, t.status),
      queuedAt: ms(t.queuedAt),
      startedAt: ms(t.startedAt),
      finishedAt: ms(t.finishedAt),
    });
  // Only tasks the run has: a version's graph and its run always agree, but a missing key must not
  // make the forecast throw.
  const known: Record<string, { needs: string[] }> = {};
  for (const key of tasks.keys())
    known[key] = { needs: (graph[key]?.needs ?? []).filter((n) => tasks.has(n)) };
  return forecastRun({ tasks: known }, tasks, new Map(Object.entries(history)), {
    now,
    runStartedAt: ms(run.startedAt) ?? ms(run.createdAt),
  });
}
