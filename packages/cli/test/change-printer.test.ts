// `dtss run --wait` prints a run's story in the order it happened, whatever order the changes
// reached it in: workers announce task changes each on their own clock, so the end of a run can
// arrive before the end of the task that set off its last task.
import { describe, expect, it } from 'vitest';
import type { RunView, TaskRunView } from '@dtss/client';
import { ChangePrinter } from '../src/format/changePrinter';

const t = (ms: number) => new Date(Date.UTC(2026, 10, 26, 12, 0, 0, ms));

function task(key: string, status: TaskRunView['status'], times: number[]): TaskRunView {
  const [queued, started, finished] = times.map(t);
  return {
    key,
    status,
    kind: 'noop',
    pool: 'default',
    attempts: started ? 1 : 0,
    maxAttempts: 1,
    queuedAt: queued ?? null,
    startedAt: started ?? null,
    finishedAt: finished ?? null,
    nextAttemptAt: null,
    output: null,
    error: null,
    attemptHistory: started
      ? [
          {
            number: 1,
            status: finished ? 'succeeded' : 'running',
            workerId: null,
            startedAt: started,
            finishedAt: finished ?? null,
            exitCode: null,
            httpStatus: null,
            error: null,
          },
        ]
      : [],
  };
}

function view(status: RunView['status'], tasks: TaskRunView[]): RunView {
  return {
    id: 'run',
    number: 1,
    teamId: 'team',
    workflowId: 'wf',
    workflowName: 'chain',
    version: 1,
    versionId: 'v1',
    status,
    triggerKind: 'manual',
    params: {},
    logicalDate: null,
    createdAt: t(0),
    startedAt: t(0),
    finishedAt: status === 'running' ? null : t(40),
    error: null,
    tasks,
  };
}

function printed(lines: string[]): string[] {
  return lines
    .flatMap((l) => l.split('\n'))
    .filter(Boolean)
    .map((l) => l.split(/\s+/).slice(1, 3).join(' '));
}

describe('ChangePrinter', () => {
  it('prints what the stored run shows in time order across tasks, each change once', () => {
    const out: string[] = [];
    const printer = new ChangePrinter('run', false, (s) => out.push(s));
    // Seen so far: a succeeded, b running.
    printer.reconcile(
      view('running', [
        task('a', 'succeeded', [0, 1, 5]),
        task('b', 'running', [5, 6]),
        task('c', 'pending', []),
      ]),
    );
    // Next read (the run's end arrived first): b ended at 20, which queued c; c ran to the end.
    // c comes first in the task list, as if sorted by key, yet b's end must come before it.
    printer.reconcile(
      view('succeeded', [
        task('c', 'succeeded', [20, 21, 30]),
        task('a', 'succeeded', [0, 1, 5]),
        task('b', 'succeeded', [5, 6, 20]),
      ]),
    );
    expect(printed(out)).toEqual([
      'a queued',
      'a running',
      'a succeeded', // at one instant an ending goes before what it set off
      'b queued',
      'b running',
      'b succeeded',
      'c queued',
      'c running',
      'c succeeded',
    ]);
  });
});
