// The contract between the engine and an executor: one attempt of one task in, one outcome out.
// Task failures are outcomes, never thrown; an executor throws only on a bug.
import type { JsonValue, NormalizedTask, TaskKindName } from '@dtss/core';

export type LogStream = 'stdout' | 'stderr' | 'system';

/** Why the engine aborted an attempt: the user cancelled it, or the worker drains and requeues it. */
export type AbortReason = 'cancelled' | 'requeue';

export interface ExecutionRequest {
  /** Templates already rendered by the engine. */
  task: NormalizedTask;
  /** Extra environment for the process: task env, DTSS_* variables and decrypted secrets. */
  env: Record<string, string>;
  /** null: a fresh temporary directory for this attempt, removed afterwards. */
  workingDir: string | null;
  timeoutMs: number | null;
  /** Aborted on cancel or drain; `signal.reason` is an AbortReason. */
  signal: AbortSignal;
  /** Called once per line, in order within a stream. */
  log: (stream: LogStream, line: string) => void;
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
