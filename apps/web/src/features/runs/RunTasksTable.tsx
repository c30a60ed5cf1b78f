'use client';
import { isTerminal, taskRunMachine } from '@dtss/core';
import { memo, useDeferredValue, useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/input';
import { EmptyState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status';
import { DataTable, type TableColumn } from '@/components/ui/table';
import { dateTime, durationMs, relativeTime } from '@/lib/format';
import type { RunView } from './liveRun';
import { elapsedMs, words } from './runFormat';

/** Rows drawn at first and added per "Show more": a 1,000-task run opens as fast as a small one. */
export const TASK_PAGE = 100;

const COLUMNS: TableColumn[] = [
  { label: 'Task' },
  { label: 'Status' },
  { label: 'Attempts' },
  { label: 'Started' },
  { label: 'Duration' },
  { label: 'Error' },
];

type RunTask = RunView['tasks'][number];

/**
 * The run's tasks as a table, filtered by name and status; the first TASK_PAGE rows are drawn
 * and "Show more" adds the next ones (the graph and the timeline show every task already).
 */
function RunTasksTableView({
  run,
  now,
  onOpen,
}: {
  run: RunView;
  now: number;
  onOpen: (task: string) => void;
}) {
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const [shown, setShown] = useState(TASK_PAGE);
  const query = useDeferredValue(text.trim().toLowerCase());
  const statuses = useMemo(() => [...new Set(run.tasks.map((t) => t.status))].sort(), [run.tasks]);
  const matching = useMemo(
    () =>
      run.tasks.filter(
        (t) => (!status || t.status === status) && (!query || t.key.toLowerCase().includes(query)),
      ),
    [run.tasks, status, query],
  );
  const rows = matching.slice(0, shown);
  const filtered = Boolean(query || status);

  // Contained: a row's live change relays out this table only, not the page around it.
  return (
    <div className="flex flex-col gap-3 [contain:layout_style]">
      {run.tasks.length > 10 ? (
        <div className="flex flex-wrap items-center gap-2" role="search" aria-label="Filter tasks">
          <Input
            className="w-60"
            placeholder="Filter by task name"
            aria-label="Filter tasks by name"
            value={text}
            maxLength={200}
            onChange={(e) => {
              setText(e.target.value);
              setShown(TASK_PAGE);
            }}
            data-testid="run-tasks-filter"
          />
          <Select
            className="w-44"
            aria-label="Filter tasks by status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setShown(TASK_PAGE);
            }}
            data-testid="run-tasks-status"
          >
            <option value="">Every status</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {words(s)}
              </option>
            ))}
          </Select>
          <span className="text-xs text-muted" role="status">
            {filtered
              ? `${matching.length} of ${run.tasks.length} tasks match`
              : `${run.tasks.length} tasks`}
          </span>
        </div>
      ) : null}
      {matching.length === 0 ? (
        <EmptyState title={filtered ? 'No task matches' : 'No tasks'}>
          {filtered ? 'Try another name or status.' : 'This run has no tasks.'}
        </EmptyState>
      ) : (
        <DataTable
          caption={`Tasks of run #${run.number}`}
          columns={COLUMNS}
          testId="run-tasks"
          framed={false}
        >
          {rows.map((t) => (
            <TaskRow key={t.key} t={t} now={now} onOpen={onOpen} />
          ))}
        </DataTable>
      )}
      {matching.length > rows.length ? (
        <div className="flex items-center gap-3 text-xs text-muted">
          <span>
            Showing {rows.length} of {matching.length}
          </span>
          <Button onClick={() => setShown((n) => n + TASK_PAGE)} data-testid="run-tasks-more">
            Show {Math.min(TASK_PAGE, matching.length - rows.length)} more
          </Button>
        </div>
      ) : null}
    </div>
  );
}

/** A row re-renders when its task (or the clock) changes, not for another task's event. */
const TaskRow = memo(function TaskRow({
  t,
  now,
  onOpen,
}: {
  t: RunTask;
  now: number;
  onOpen: (task: string) => void;
}) {
  // An ended task whose end time is not read yet (the stream told the status first) shows no
  // duration rather than one that keeps counting.
  const ended = isTerminal(taskRunMachine, t.status);
  const tms = ended && !t.finishedAt ? null : elapsedMs(t.startedAt, t.finishedAt, now);
  return (
    <tr className="border-b border-border align-top last:border-0" data-task={t.key}>
      <th scope="row" className="px-4 py-2.5 text-left font-medium">
        <button
          type="button"
          className="font-mono text-xs underline-offset-2 hover:underline"
          onClick={() => onOpen(t.key)}
          aria-label={`Open task ${t.key}`}
          data-testid={`open-task-${t.key}`}
        >
          {t.key}
        </button>
        <div className="text-xs font-normal text-muted">
          {t.kind} · pool {t.pool}
        </div>
      </th>
      <td className="px-4 py-2.5">
        <StatusBadge status={t.status} />
        {t.status === 'retry_wait' && t.nextAttemptAt ? (
          <div className="mt-1 text-xs text-muted" title={dateTime(t.nextAttemptAt)}>
            next {relativeTime(t.nextAttemptAt, now)}
          </div>
        ) : null}
      </td>
      <td className="px-4 py-2.5 text-muted tabular-nums">
        {t.attempts}/{t.maxAttempts}
      </td>
      <td className="px-4 py-2.5 text-muted">
        {t.startedAt ? (
          <time dateTime={new Date(t.startedAt).toISOString()} title={dateTime(t.startedAt)}>
            {relativeTime(t.startedAt, now)}
          </time>
        ) : (
          '—'
        )}
      </td>
      <td className="px-4 py-2.5 text-muted tabular-nums">
        {tms === null ? '—' : durationMs(tms)}
      </td>
      <td className="max-w-md px-4 py-2.5">
        {t.error ? (
          <span className="line-clamp-3 break-words whitespace-pre-wrap text-bad" title={t.error}>
            {t.error}
          </span>
        ) : (
          <span className="text-muted">—</span>
        )}
      </td>
    </tr>
  );
});

/** Memoised: the run page renders it again only when its run or clock changed. */
export const RunTasksTable = memo(RunTasksTableView);
