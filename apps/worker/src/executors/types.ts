// The contract between the engine and an executor: one attempt of one task in, one outcome out.
// Task failures are outcomes, never thrown; an executor throws only on a bug.
import type { JsonValue, NormalizedTask, TaskKindName } from '@dtss/core';

export type LogStream = 'stdout' | 'stderr' | 'system';

/**
 * Why the engine aborted an attempt: the user cancelled it, the worker drains and requeues it, or
 * the attempt is no longer this worker's (its outcome was decided elsewhere: no grace period).
 */
export type AbortReason = 'cancelled' | 'requeue' | 'disowned';

export interface ExecutionRequest {
  /** Templates already rendered by the engine. */
  task: NormalizedTask;
  /** Extra environment for the process: task env, DTSS_* variables and decrypted secrets. */
  env: Record<string, string>;
  /** null: a fresh temporary directory for this attempt, removed afterwards. */
  workingDir: string | null;
  timeoutMs: number | null;
  /** Aborted on cancel, drain or disowning; `signal.reason` is an AbortReason. */
  signal: AbortSignal;
  /** Called once per line, in order within a stream. */
  log: (stream: LogStream, line: string) => void;
  /**
   * The log store is behind: a process's pipes are read no further until `room` resolves, so a
   * burst of output waits for the database instead of being dropped (the child blocks on a full
   * pipe, as it would writing to a slow terminal).
   */
  logBackpressure?: LogBackpressure;
}

export interface LogBackpressure {
  /** More is held in memory than the store should be given before it catches up. */
  full(): boolean;
  /** Resolves once the store has caught up (at once when it is not full). */
  room(): Promise<void>;
}

export type Outcome = 'succeeded' | 'failed' | 'timed_out' | 'cancelled';

export interface ExecutionResult {
  outcome: Outcome;
  exitCode?: number | null;
  httpStatus?: number | null;
  /** From the output contract (see outputContract.ts) or the HTTP response. */
  output?: JsonValue;
  /** A human message when the attempt did not succeed. */
  error?: string;
}

export interface Executor {
  kind: TaskKindName;
  execute(req: ExecutionRequest): Promise<ExecutionResult>;
}
