/**
 * The contract of run operations: what callers (API, CLI, scheduler, tests) pass and get back.
 */
import type { AttemptStatus, JsonValue, RunStatus, TaskRunStatus, TriggerKind } from '@dtss/core';

// The status names are core's (its state machines); the database enums match them
// (test/enums-match-core.test.ts).
export type { RunStatus, TriggerKind };
export type TaskStatus = TaskRunStatus;

export interface CreateRunInput {
  teamId: string;
  /** The workflow by id or by name within the team; its current version is pinned. */
  workflow: { id: string } | { name: string };
  params?: Record<string, unknown>;
  triggerKind?: TriggerKind;
  /** Same key twice for one workflow returns the first run instead of creating another. */
  idempotencyKey?: string | null;
  /** The instant the run is for (default: now). */
  logicalDate?: Date | null;
  triggeredById?: string | null;
  scheduleId?: string | null;
  triggerId?: string | null;
  eventId?: string | null;
  /** triggerKind = backfill: the backfill this run belongs to. */
  backfillId?: string | null;
  /** triggerKind = workflow: the upstream run whose end started this one. */
  upstreamRunId?: string | null;
  /** Event payload templates read as `{{ event.payload.* }}`. */
  event?: { name: string; payload: JsonValue } | null;
  priority?: number;
}

export interface RunRef {
  id: string;
  number: number;
  workflowId: string;
  status: RunStatus;
}

export interface CreateRunResult {
  run: RunRef;
  /** false when an idempotency key matched an existing run. */
  created: boolean;
}

export type RunRequestErrorCode =
  | 'unknown_workflow'
  | 'archived_workflow'
  | 'invalid_params'
  | 'missing_secrets'
  | 'unknown_run'
  | 'run_active'
  | 'unknown_task'
  | 'nothing_to_rerun';

/** A run request refused before anything was stored or enqueued. */
export class RunRequestError extends Error {
  constructor(
    readonly code: RunRequestErrorCode,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'RunRequestError';
  }
}

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

export interface RunView {
  id: string;
  number: number;
  teamId: string;
  workflowId: string;
  workflowName: string;
  version: number;
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

/** One status change of a run (no `task`) or of one of its tasks. */
export interface RunChange {
  task?: string;
  status: RunStatus | TaskStatus;
}

/**
 * Where a worker's hot path hands task-only changes instead of announcing them in its own
 * transaction (apps/worker's RunNoticeBuffer coalesces them into one NOTIFY per run every few
 * milliseconds). A change of the run's own status is always announced by the transaction making it.
 */
export interface RunNoticeSink {
  add(runId: string, changes: RunChange[]): void;
}

/**
 * Payload of NOTIFY dtss_run_events: one per transaction that changed a run. `truncated` means
 * there were too many changes to list (Postgres caps payloads at 8000 bytes): re-read the run.
 */
export interface RunEventsNotice {
  runId: string;
  changes: RunChange[];
  truncated?: boolean;
}

export const RUN_EVENTS_CHANNEL = 'dtss_run_events';
export const CANCEL_CHANNEL = 'dtss_cancel';
