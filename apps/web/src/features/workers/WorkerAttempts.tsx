'use client';
import type { AppRouter } from '@dtss/api';
import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { X } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { useTeamHref } from '@/components/shell/team';
import { Card } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status';
import { DataTable, type TableColumn } from '@/components/ui/table';
import { dateTime, durationMs, relativeTime } from '@/lib/format';
import { useTRPC } from '@/trpc/react';

type Attempt = inferRouterOutputs<AppRouter>['workers']['attempts']['attempts'][number];

const ATTEMPTS_SHOWN = 20;

const COLUMNS: TableColumn[] = [
  { label: 'Workflow' },
  { label: 'Run', className: 'w-16' },
  { label: 'Task', className: 'w-32' },
  { label: 'Attempt', numeric: true, className: 'w-20' },
  { label: 'Status', className: 'w-28' },
  { label: 'Started', className: 'w-36' },
  { label: 'Duration', numeric: true, className: 'w-32' },
  { label: 'Exit code / error', className: 'w-44' },
];

/**
 * The selected worker's recent attempts, those of this team's runs only (a worker serves every
 * team): what it runs now first, then what it ran, newest first. Each run links to the run page
 * with the task open.
 */
export function WorkerAttempts({
  teamSlug,
  workerId,
  closeHref,
  refreshMs,
  now,
}: {
  teamSlug: string;
  workerId: string;
  closeHref: string;
  refreshMs: number;
  now: number;
}) {
  const trpc = useTRPC();
  const attempts = useQuery({
    ...trpc.workers.attempts.queryOptions({ teamSlug, workerId, limit: ATTEMPTS_SHOWN }),
    refetchInterval: refreshMs,
  });
  const name = attempts.data?.worker.name;
  // A worker picked in the list: its attempts come into view (they open below the list, often
  // below the window's edge).
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (panel.current) revealInPage(panel.current);
  }, [workerId]);
  return (
    <div ref={panel}>
      <Card
        title={
          <span data-testid="worker-attempts-title">
            Recent attempts{name ? ` on ${name}` : ''}
            <span className="ml-2 text-xs font-normal text-muted">this team&apos;s runs only</span>
          </span>
        }
        actions={
          <Link
            href={closeHref}
            scroll={false}
            replace
            className="inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs text-muted no-underline hover:bg-panel-2 hover:text-fg"
            data-testid="worker-attempts-close"
          >
            <X aria-hidden size={14} />
            Close
          </Link>
        }
      >
        <div data-testid="worker-attempts">
          {attempts.isPending ? (
            <SkeletonRows rows={4} />
          ) : attempts.isError ? (
            <ErrorState error={attempts.error} retry={() => void attempts.refetch()} />
          ) : attempts.data.attempts.length === 0 ? (
            <EmptyState title={`No attempt of this team's runs on ${attempts.data.worker.name}`}>
              It ran nothing for this team
              {attempts.data.scanLimitReached
                ? ` among its latest ${attempts.data.scanLimit.toLocaleString('en')} attempts`
                : ''}
              . A worker serves every team; other teams&apos; attempts are not shown.
            </EmptyState>
          ) : (
            <AttemptsTable attempts={attempts.data.attempts} now={now} />
          )}
        </div>
      </Card>
    </div>
  );
}

function AttemptsTable({ attempts, now }: { attempts: Attempt[]; now: number }) {
  const href = useTeamHref();
  return (
    <DataTable
      caption="The worker's recent attempts of this team's runs, newest first"
      columns={COLUMNS}
      testId="worker-attempts-table"
      framed={false}
      layout="fixed"
      minWidth="56rem"
    >
      {attempts.map((a) => {
        const ms = (a.finishedAt ? new Date(a.finishedAt).getTime() : now) - +new Date(a.startedAt);
        return (
          <tr
            key={a.attemptId}
            className="border-b border-border last:border-0"
            data-run-id={a.runId}
            data-status={a.status}
          >
            <td className="truncate px-4 py-2" title={a.workflowName}>
              {a.workflowName}
            </td>
            <td className="px-4 py-2">
              <Link
                href={href(`/runs/${a.runId}?task=${encodeURIComponent(a.taskKey)}`)}
                aria-label={`Run #${a.runNumber} of ${a.workflowName}, task ${a.taskKey}`}
                className="font-medium"
              >
                #{a.runNumber}
              </Link>
            </td>
            <td className="truncate px-4 py-2 font-mono text-xs" title={a.taskKey}>
              {a.taskKey}
            </td>
            <td className="px-4 py-2 text-right tabular-nums">{a.attemptNumber}</td>
            <td className="px-4 py-2">
              <StatusBadge status={a.status} />
            </td>
            <td className="truncate px-4 py-2 text-muted" title={dateTime(a.startedAt)}>
              {relativeTime(a.startedAt, now)}
            </td>
            <td className="px-4 py-2 text-right whitespace-nowrap text-muted tabular-nums">
              {durationMs(Math.max(0, ms))}
              {a.finishedAt ? null : <span className="text-xs"> so far</span>}
            </td>
            <td className="truncate px-4 py-2 text-xs" title={a.error ?? undefined}>
              <AttemptEnd attempt={a} />
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}

/**
 * Exit code, HTTP status and error, whichever the attempt has; a dash while it runs. An error that
 * only restates the exit code ("exit code 2", as the shell executor writes it) is left out.
 */
function AttemptEnd({ attempt: a }: { attempt: Attempt }) {
  const code =
    a.exitCode !== null
      ? `exit ${a.exitCode}`
      : a.httpStatus !== null
        ? `HTTP ${a.httpStatus}`
        : '';
  const error = a.error && a.error !== `exit code ${a.exitCode}` ? a.error : null;
  if (!code && !error) return <span className="text-muted">—</span>;
  return (
    <>
      {code ? (
        <span className={a.status === 'succeeded' ? 'font-mono text-muted' : 'font-mono'}>
          {code}
        </span>
      ) : null}
      {code && error ? <span className="text-muted"> · </span> : null}
      {error ? <span className="text-muted">{error}</span> : null}
    </>
  );
}

/**
 * Scrolls the page's <main> (the shell's scrolling area) until the element's top shows, when it is
 * below the visible part. Only <main>: scrollIntoView would also scroll the window, which screen-
 * reader-only text placed past the bottom of the shell makes scrollable.
 */
function revealInPage(el: HTMLElement): void {
  const main = el.closest('main');
  if (!main) return;
  const top = el.getBoundingClientRect().top - main.getBoundingClientRect().top;
  const margin = 16;
  if (top > main.clientHeight - 4 * margin) main.scrollTop += top - margin;
}
