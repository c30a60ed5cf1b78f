// The run page's copy of a run, kept current by the run stream (/api/stream/runs/:id; events in
// src/server/live/runStream.ts). Pure: the stream's JSON turned back into the RunView the tRPC
// query returns (dates included), and each status event applied to it.
import { RUN_STATUSES, TASK_RUN_STATUSES, type RunStatus, type TaskRunStatus } from '@dtss/core';
import type { AppRouter } from '@dtss/api';
import type { inferRouterOutputs } from '@trpc/server';

export type RunView = inferRouterOutputs<AppRouter>['runs']['get'];
type TaskView = RunView['tasks'][number];

const date = (v: unknown): Date | null => (typeof v === 'string' ? new Date(v) : null);

/** A `snapshot` event's data (JSON: dates are strings) as the RunView the query holds. */
export function reviveRunView(json: unknown): RunView {
  const r = json as Record<string, unknown> & { tasks: Record<string, unknown>[] };
  return {
    ...(r as unknown as RunView),
    logicalDate: date(r.logicalDate),
    createdAt: date(r.createdAt) ?? new Date(0),
    startedAt: date(r.startedAt),
    finishedAt: date(r.finishedAt),
    tasks: r.tasks.map((t) => {
      const history = (t.attemptHistory as Record<string, unknown>[] | undefined) ?? [];
      return {
        ...(t as unknown as TaskView),
        queuedAt: date(t.queuedAt),
        startedAt: date(t.startedAt),
        finishedAt: date(t.finishedAt),
        nextAttemptAt: date(t.nextAttemptAt),
        attemptHistory: history.map((a) => ({
          ...(a as unknown as TaskView['attemptHistory'][number]),
          startedAt: date(a.startedAt) ?? new Date(0),
          finishedAt: date(a.finishedAt),
        })),
      };
    }),
  };
}

export type RunStreamEvent =
  { type: 'run' | 'end'; status: string } | { type: 'task'; task: string; status: string };

/**
 * The run after one status event. Unknown statuses or tasks leave it as it is (the stream sends a
 * fresh snapshot whenever its own view could be stale, so nothing is guessed here).
 */
export function applyRunEvent(view: RunView, event: RunStreamEvent): RunView {
  if (event.type === 'task') {
    if (!isTaskStatus(event.status)) return view;
    const status = event.status;
    let changed = false;
    const tasks = view.tasks.map((t) => {
      if (t.key !== event.task || t.status === status) return t;
      changed = true;
      return { ...t, status };
    });
    return changed ? { ...view, tasks } : view;
  }
  if (!isRunStatus(event.status) || view.status === event.status) return view;
  return { ...view, status: event.status };
}

function isRunStatus(s: string): s is RunStatus {
  return (RUN_STATUSES as readonly string[]).includes(s);
}
export function isTaskStatus(s: string): s is TaskRunStatus {
  return (TASK_RUN_STATUSES as readonly string[]).includes(s);
}
