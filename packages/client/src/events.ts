// The events of the SSE routes, as the server sends them (apps/web/src/server/live), and the run
// they describe. Declared here, not imported from @dtss/db, so that a script installs the client
// without the database layer; test/standalone.test.ts checks they stay the server's types. Status
// names come from @dtss/core's state machines.
import type { AttemptStatus, JsonValue, RunStatus, TaskRunStatus, TriggerKind } from '@dtss/core';

export type { RunStatus };
export type TaskStatus = TaskRunStatus;

/** One execution attempt of a task (runs.get's and the snapshot's `attemptHistory`). */
export interface TaskAttemptView {
  number: number;
  status: AttemptStatus;
  workerId: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  exitCode: number | null;
  httpStatus: number | null;
  error: string | null;
}

/** One task of a run. */
export interface TaskRunView {
  key: string;
  status: TaskStatus;
  kind: string;
  pool: string;
  attempts: number;
  maxAttempts: number;
  queuedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  nextAttemptAt: Date | null;
  output: JsonValue | null;
  error: string | null;
  attemptHistory: TaskAttemptView[];
}

/** A run with its tasks: runs.get's answer and the streams' `snapshot`. */
export interface RunView {
  id: string;
  number: number;
  teamId: string;
  workflowId: string;
  workflowName: string;
  version: number;
  /** The pinned version's id (versions.get). */
  versionId: string;
  status: RunStatus;
  triggerKind: TriggerKind;
  params: Record<string, JsonValue>;
  logicalDate: Date | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  tasks: TaskRunView[];
}

/** `run` and `task` events of /api/stream/runs/:id. */
export type RunChangeEvent =
  | { type: 'run'; runId: string; status: RunStatus }
  | { type: 'task'; runId: string; task: string; status: TaskStatus };

/** One stored log chunk (`log` event of /api/stream/runs/:id/logs). */
export interface LogChunkEvent {
  task: string;
  attempt: number;
  /** The chunk's number within its attempt. */
  seq: number;
  lines: LogLineEvent[];
}

export interface LogLineEvent {
  /** Line number within the attempt, 0-based. */
  line: number;
  text: string;
  stream: 'stdout' | 'stderr' | 'system';
  /** ISO 8601. */
  time: string;
}

/** The `end` event: the run is over (or, without follow, every stored line was sent). */
export interface StreamEnd {
  runId: string;
  status: RunStatus | null;
}

type Jsonified<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/** A RunView as JSON carries it (dates as ISO strings), before reviveRunView. */
export type RunViewJson = Jsonified<RunView>;

const date = (value: string | null): Date | null => (value === null ? null : new Date(value));

/** Dates back into Date objects, so a streamed snapshot reads like runs.get's answer. */
export function reviveRunView(json: RunViewJson): RunView {
  return {
    ...json,
    params: json.params as RunView['params'],
    logicalDate: date(json.logicalDate),
    createdAt: new Date(json.createdAt),
    startedAt: date(json.startedAt),
    finishedAt: date(json.finishedAt),
    tasks: json.tasks.map((t) => ({
      ...t,
      output: t.output as RunView['tasks'][number]['output'],
      queuedAt: date(t.queuedAt),
      startedAt: date(t.startedAt),
      finishedAt: date(t.finishedAt),
      nextAttemptAt: date(t.nextAttemptAt),
      attemptHistory: t.attemptHistory.map((a) => ({
        ...a,
        startedAt: new Date(a.startedAt),
        finishedAt: date(a.finishedAt),
      })),
    })),
  };
}
