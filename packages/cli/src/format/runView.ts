// How runs read on a terminal: the one-line reference, the `dtss status` view and the summary
// `dtss run --wait` ends with.
import type { RunView, TaskAttemptView, TaskRunView } from '@dtss/client';
import { formatTable, truncate } from './table';
import { elapsedBetween, formatClock, formatDateTime, formatElapsed } from './time';

const OUTPUT_PREVIEW = 40;
const ERROR_PREVIEW = 60;

/** `run <id> (#<number>) of <workflow>: <status>` */
export function formatRunRef(
  run: { id: string; number: number; status: string },
  workflowName: string,
): string {
  return `run ${run.id} (#${run.number}) of ${workflowName}: ${run.status}`;
}

/** The attempt whose outcome a task's status reports: the latest that has finished. */
export function lastFinishedAttempt(task: TaskRunView): TaskAttemptView | undefined {
  return task.attemptHistory.findLast((a) => a.finishedAt !== null);
}

/** Why an attempt (or the task) did not succeed: `exit code 3`, `HTTP 503`, or the error text. */
export function failureReason(
  task: TaskRunView,
  attempt = lastFinishedAttempt(task),
): string | null {
  if (attempt?.exitCode !== null && attempt?.exitCode !== undefined && attempt.exitCode !== 0) {
    return `exit code ${attempt.exitCode}`;
  }
  if (
    attempt?.httpStatus !== null &&
    attempt?.httpStatus !== undefined &&
    attempt.httpStatus >= 400
  ) {
    return `HTTP ${attempt.httpStatus}`;
  }
  const error = attempt?.error ?? task.error;
  return error ? truncate(error, ERROR_PREVIEW) : null;
}

const FAILED = new Set(['failed', 'timed_out', 'cancelled', 'retry_wait']);

function resultOf(task: TaskRunView): string {
  if (FAILED.has(task.status)) return failureReason(task) ?? '';
  return '';
}

function outputOf(task: TaskRunView): string {
  return task.output === null ? '' : truncate(JSON.stringify(task.output), OUTPUT_PREVIEW);
}

function durationOf(task: TaskRunView, now: Date): string {
  const ms = elapsedBetween(task.startedAt, task.finishedAt, now);
  return ms === null ? '-' : formatElapsed(ms);
}

function runDuration(view: RunView, now: Date): string {
  const ms = elapsedBetween(view.startedAt ?? view.createdAt, view.finishedAt, now);
  return ms === null ? '-' : formatElapsed(ms);
}

/** The `dtss status` view: a header about the run, then one row per task. */
export function formatRunStatus(view: RunView, now = new Date()): string {
  const date = (d: Date | null) => (d ? formatDateTime(new Date(d)) : '-');
  const header: [string, string][] = [
    ['workflow', `${view.workflowName} (version ${view.version})`],
    ['status', view.error ? `${view.status}: ${view.error}` : view.status],
    ['trigger', view.triggerKind],
    ['params', Object.keys(view.params).length ? JSON.stringify(view.params) : '-'],
    ['created', date(view.createdAt)],
    ['started', date(view.startedAt)],
    ['finished', date(view.finishedAt)],
    ['duration', view.startedAt || view.finishedAt ? runDuration(view, now) : '-'],
  ];
  const rows = view.tasks.map((t) => [
    t.key,
    t.status,
    `${t.attempts}/${t.maxAttempts}`,
    t.startedAt ? formatClock(new Date(t.startedAt)) : '-',
    durationOf(t, now),
    resultOf(t) || '-',
    outputOf(t),
  ]);
  const lines = [
    `run ${view.id} (#${view.number})`,
    ...header.map(([k, v]) => `  ${k.padEnd(10)}${v}`),
    '',
    ...(view.tasks.length
      ? formatTable(
          ['TASK', 'STATUS', 'ATTEMPTS', 'STARTED', 'DURATION', 'EXIT/ERROR', 'OUTPUT'],
          rows,
        )
      : ['(no tasks)']),
  ];
  return lines.map((l) => `${l}\n`).join('');
}

/** What `dtss run --wait` prints once the run has ended. */
export function formatRunSummary(view: RunView, now = new Date()): string {
  const rows = view.tasks.map((t) => [
    t.key,
    t.status,
    `${t.attempts}/${t.maxAttempts}`,
    durationOf(t, now),
    resultOf(t),
  ]);
  const lines = [
    `run ${view.id} (#${view.number}) of ${view.workflowName} ${view.status} in ${runDuration(view, now)}`,
    ...(view.error ? [`  error: ${view.error}`] : []),
    ...formatTable(['TASK', 'STATUS', 'ATTEMPTS', 'DURATION', 'EXIT/ERROR'], rows, '  '),
  ];
  return lines.map((l) => `${l}\n`).join('');
}
