'use client';
import type { AppRouter } from '@dtss/api';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { StateLabel } from '@/components/ui/StateLabel';
import { Tag } from '@/components/ui/status';
import { DataTable, type TableColumn } from '@/components/ui/table';
import { dateTime, relativeTime } from '@/lib/format';
import { LoadMeter } from './LoadMeter';
import { loadPercent, workerMark } from './workerMarks';
import { WorkerStatusBadge } from './WorkerStatusBadge';

export type WorkerRow = inferRouterOutputs<AppRouter>['workers']['list'][number];

// Fixed widths: the rows refresh every few seconds and their texts change length ("9 seconds
// ago" → "10 seconds ago"); the columns must not move with them.
const COLUMNS = (canDrain: boolean): (TableColumn | false)[] => [
  { label: 'Worker' },
  { label: 'Status', className: 'w-32' },
  { label: 'Pools', className: 'w-40' },
  { label: 'Load', className: 'w-40' },
  { label: 'Last heartbeat', className: 'w-36' },
  { label: 'Version', className: 'w-20' },
  canDrain && { label: 'Actions', srOnly: true, className: 'w-24' },
];

/**
 * The worker list: each name selects the worker (its recent attempts open below, the choice kept
 * in the URL); lost workers and silent ones are marked; operators get Drain on active workers.
 */
export function WorkersTable({
  workers,
  caption,
  now,
  selectedId,
  selectHref,
  canDrain,
  drainDisabled,
  onDrain,
}: {
  workers: WorkerRow[];
  caption: string;
  now: number;
  selectedId: string | null;
  /** The page's URL with this worker selected (or none, for the selected one: a toggle). */
  selectHref: (workerId: string | null) => string;
  canDrain: boolean;
  drainDisabled: boolean;
  onDrain: (worker: WorkerRow) => void;
}) {
  return (
    <DataTable
      caption={caption}
      columns={COLUMNS(canDrain)}
      testId="workers"
      framed={false}
      layout="fixed"
      minWidth="56rem"
    >
      {workers.map((w) => {
        const selected = w.id === selectedId;
        const mark = workerMark(w);
        const alive = w.status === 'active' || w.status === 'draining';
        return (
          <tr
            key={w.id}
            className={cn(
              'border-b border-border last:border-0',
              // A bar on the left: the accent for the selected row, the bad colour for a lost one.
              selected
                ? 'bg-panel-2 shadow-[inset_3px_0_0_var(--accent)]'
                : mark === 'lost' && 'shadow-[inset_3px_0_0_var(--bad)]',
            )}
            data-worker-id={w.id}
            data-worker-name={w.name}
            data-status={w.status}
            data-mark={mark ?? undefined}
          >
            <td className="px-4 py-2.5">
              <Link
                href={selectHref(selected ? null : w.id)}
                scroll={false}
                replace
                aria-current={selected ? 'true' : undefined}
                className="block truncate font-medium"
                data-testid="worker-select"
              >
                {w.name}
                <span className="sr-only">
                  {selected ? ': hide its recent attempts' : ': show its recent attempts'}
                </span>
              </Link>
              <div className="truncate font-mono text-xs text-muted" title={w.hostname}>
                {w.hostname}:{w.pid}
                <span className="font-sans">
                  {' '}
                  · started{' '}
                  <time
                    dateTime={new Date(w.startedAt).toISOString()}
                    title={dateTime(w.startedAt)}
                  >
                    {relativeTime(w.startedAt, now)}
                  </time>
                </span>
              </div>
            </td>
            <td className="px-4 py-2.5" data-testid="worker-status">
              <WorkerStatusBadge status={w.status} />
            </td>
            <td className="px-4 py-2.5">
              <div className="flex flex-wrap gap-1">
                {w.pools.map((p) => (
                  <Tag key={p}>{p}</Tag>
                ))}
              </div>
            </td>
            <td className="px-4 py-2.5">
              <div className="tabular-nums">
                {alive ? w.runningTasks : '—'}
                <span className="text-muted"> / {w.concurrency} running</span>
              </div>
              <LoadMeter percent={loadPercent(w)} />
            </td>
            <td className="px-4 py-2.5" title={dateTime(w.lastHeartbeatAt)}>
              {mark === 'late' ? (
                <StateLabel tone="warn" className="font-medium">
                  {`late: ${relativeTime(w.lastHeartbeatAt, now)}`}
                </StateLabel>
              ) : (
                <span className="text-muted">{relativeTime(w.lastHeartbeatAt, now)}</span>
              )}
            </td>
            <td className="truncate px-4 py-2.5 font-mono text-xs text-muted" title={w.version}>
              {w.version}
            </td>
            {canDrain ? (
              <td className="px-4 py-1.5 text-right">
                {w.status === 'active' ? (
                  <Button
                    size="sm"
                    onClick={() => onDrain(w)}
                    disabled={drainDisabled}
                    aria-label={`Drain ${w.name}`}
                    data-testid={`drain-${w.name}`}
                  >
                    Drain
                  </Button>
                ) : null}
              </td>
            ) : null}
          </tr>
        );
      })}
    </DataTable>
  );
}
