// How `dtss run --wait` prints a run as it happens: one line per task change, in order, with the
// times and reasons the stored run tells (`12:00:01.234  extract  running`), or one JSON object
// per change with --json.
import type { RunView, TaskAttemptView, TaskRunView } from '@dtss/client';
import { runMachine, taskRunMachine } from '@dtss/core';
import { failureReason, lastFinishedAttempt } from './runView';
import { formatClock } from './time';

const TERMINAL_RUN = new Set<string>(runMachine.terminal);
const TERMINAL_TASK = new Set<string>(taskRunMachine.terminal);
/** Statuses printed with why: the attempt's exit code, HTTP status or error. */
const EXPLAINED = new Set(['failed', 'timed_out', 'cancelled', 'retry_wait']);

export function isTerminalRun(status: string): boolean {
  return TERMINAL_RUN.has(status);
}

interface Line {
  key: string;
  status: string;
  at: Date;
  task: TaskRunView | undefined;
  attempt: TaskAttemptView | undefined;
}

/**
 * Prints each task's changes once, in order: `12:00:01.234  extract  running`. Times come from the
 * run as stored (when the task was queued, when the attempt started or ended). Steps nobody saw
 * happen (a task queued and started before the stream opened, an attempt that ended before it
 * was seen running) are printed from the stored run, so the story is always complete.
 */
export class ChangePrinter {
  private readonly printed = new Map<string, string>();
  /** Lines collected but not printed yet, per task, in that task's order. */
  private readonly waiting = new Map<string, Line[]>();
  /** Last attempt number printed as running, per task. */
  private readonly attempts = new Map<string, number>();
  private runStatus: string | null = null;
  private width = 0;

  constructor(
    private readonly runId: string,
    private readonly json: boolean,
    private readonly write: (text: string) => void,
  ) {}

  /** The lines one task's change implies (earlier steps first), kept until flush. */
  private collect(key: string, status: string, view: RunView): void {
    const previous = this.printed.get(key) ?? 'pending';
    if (previous === status || TERMINAL_TASK.has(previous)) return;
    this.width = Math.max(this.width, ...view.tasks.map((t) => t.key.length));
    const task = view.tasks.find((t) => t.key === key);
    const attempt = !task
      ? undefined
      : status === 'running'
        ? task.attemptHistory.at(-1)
        : status === 'queued' || status === 'pending'
          ? undefined
          : lastFinishedAttempt(task);
    const lines = this.waiting.get(key) ?? [];
    // A task first seen past `queued` (the stream opened after it started) still gets its
    // `queued` line, at the stored time.
    if (task?.queuedAt && previous === 'pending' && status !== 'queued' && status !== 'skipped') {
      lines.push({ key, status: 'queued', at: new Date(task.queuedAt), task, attempt: undefined });
    }
    if (task && attempt && status !== 'running' && (this.attempts.get(key) ?? 0) < attempt.number) {
      lines.push({ key, status: 'running', at: new Date(attempt.startedAt), task, attempt });
    }
    if (attempt) this.attempts.set(key, attempt.number);
    lines.push({ key, status, at: timeOf(status, task, attempt), task, attempt });
    this.waiting.set(key, lines);
    this.printed.set(key, status);
  }

  /**
   * Prints the collected lines in the order they happened across tasks (each task's own lines
   * stay in order; at one instant an ending goes before what it set off). Changes reach the
   * printer in the order workers announced them, which for two workers is not always that order.
   */
  private flush(): void {
    const rank = (l: Line) => (TERMINAL_TASK.has(l.status) ? 0 : 1);
    for (;;) {
      let next: Line[] | null = null;
      for (const lines of this.waiting.values()) {
        const head = lines[0]!;
        const best = next?.[0];
        if (
          !best ||
          head.at.getTime() < best.at.getTime() ||
          (head.at.getTime() === best.at.getTime() && rank(head) < rank(best))
        ) {
          next = lines;
        }
      }
      if (!next) return;
      const line = next.shift()!;
      if (next.length === 0) this.waiting.delete(line.key);
      this.emit(line.key, line.status, line.at, line.task, line.attempt);
    }
  }

  run(status: string, view: RunView): void {
    if (this.runStatus === status) return;
    this.runStatus = status;
    if (!this.json) return; // the text form ends with a summary instead
    const at = TERMINAL_RUN.has(status)
      ? view.finishedAt
      : status === 'running'
        ? view.startedAt
        : view.createdAt;
    this.line({
      type: 'status',
      at: new Date(at ?? Date.now()).toISOString(),
      runId: this.runId,
      status,
    });
  }

  /** Prints whatever the stored run shows that was not printed yet, in the order it happened. */
  reconcile(view: RunView): void {
    for (const t of view.tasks) if (t.status !== 'pending') this.collect(t.key, t.status, view);
    this.flush();
    this.run(view.status, view);
  }

  private emit(
    key: string,
    status: string,
    at: Date,
    task: TaskRunView | undefined,
    attempt: TaskAttemptView | undefined,
  ): void {
    const reason = task && EXPLAINED.has(status) ? failureReason(task, attempt) : null;
    if (this.json) {
      this.line({
        type: 'status',
        at: at.toISOString(),
        runId: this.runId,
        task: key,
        status,
        ...(attempt ? { attempt: attempt.number } : {}),
        ...(status !== 'running' && attempt?.exitCode !== null && attempt?.exitCode !== undefined
          ? { exitCode: attempt.exitCode }
          : {}),
        ...(reason ? { reason } : {}),
      });
      return;
    }
    const detail = describe(status, task, attempt, reason);
    this.write(`${formatClock(at)}  ${key.padEnd(this.width)}  ${status}${detail}\n`);
  }

  private line(value: Record<string, unknown>): void {
    this.write(`${JSON.stringify(value)}\n`);
  }
}

/** When a change happened, as far as the stored run tells; now when it does not. */
function timeOf(
  status: string,
  task: TaskRunView | undefined,
  attempt: TaskAttemptView | undefined,
): Date {
  const at =
    status === 'queued'
      ? task?.queuedAt
      : status === 'running'
        ? (attempt?.startedAt ?? task?.startedAt)
        : status === 'retry_wait'
          ? attempt?.finishedAt
          : (task?.finishedAt ?? attempt?.finishedAt);
  return at ? new Date(at) : new Date();
}

function describe(
  status: string,
  task: TaskRunView | undefined,
  attempt: TaskAttemptView | undefined,
  reason: string | null,
): string {
  const of = attempt && task ? `attempt ${attempt.number}/${task.maxAttempts}` : null;
  if (status === 'retry_wait') {
    const next = task?.nextAttemptAt
      ? `; next at ${formatClock(new Date(task.nextAttemptAt))}`
      : '';
    return ` (${[of, reason].filter(Boolean).join(': ')}${next})`;
  }
  if ((status === 'running' || status === 'succeeded') && attempt && attempt.number > 1) {
    return ` (${of})`;
  }
  return reason ? ` (${reason})` : '';
}
