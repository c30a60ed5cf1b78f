'use client';
import { isTerminal, taskRunMachine } from '@dtss/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Ban } from 'lucide-react';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { PageBody } from '@/components/shell/AppShell';
import { useCan, useTeamHref } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Card, PageHeader } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status';
import { dateTime, durationMs, relativeTime } from '@/lib/format';
import { useNow } from '@/lib/useNow';
import { errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { elapsedMs, isActiveRun, words } from './runFormat';
import { useRunStream } from './useRunStream';

/**
 * One run: its header, timings and the table of its tasks, live from the run stream; editors may
 * cancel it while active.
 */
export function RunPage({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const href = useTeamHref();
  const canEdit = useCan('editor');
  const queryClient = useQueryClient();
  const [confirmOpen, setConfirmOpen] = useState(false);
  const run = useQuery(trpc.runs.get.queryOptions({ runId }));
  // Live: the run stream writes into this query while the run is active (no polling).
  const active = run.data ? isActiveRun(run.data.status) : false;
  useRunStream(runId, active);
  const now = useNow(active);
  const cancel = useMutation(
    trpc.runs.cancel.mutationOptions({
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ runId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.runs.list.pathKey() }),
        ]),
    }),
  );

  if (run.isPending) {
    return (
      <PageBody>
        <div className="mb-5 h-8 w-64 animate-pulse rounded-md bg-panel-2" aria-hidden />
        <SkeletonRows rows={8} />
      </PageBody>
    );
  }
  if (run.isError) {
    return (
      <PageBody>
        <PageHeader title="Run" />
        <ErrorState error={run.error} retry={() => void run.refetch()} />
      </PageBody>
    );
  }

  const r = run.data;
  const ms = elapsedMs(r.startedAt, r.finishedAt, now);
  const cancelAccepted = cancel.data?.accepted === true;

  return (
    <PageBody wide>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            <span data-testid="run-title">Run #{r.number}</span>
            <span data-testid="run-status">
              <StatusBadge status={r.status} />
            </span>
          </span>
        }
        subtitle={
          <span>
            {/* On the page background the accent colour is too faint (4.47:1): text colour. */}
            <Link
              href={href(`/workflows/${encodeURIComponent(r.workflowName)}`)}
              className="text-fg underline underline-offset-2"
            >
              {r.workflowName}
            </Link>{' '}
            · version {r.version} · {words(r.triggerKind)} trigger
          </span>
        }
        actions={
          canEdit && active ? (
            <Button
              variant="danger"
              onClick={() => setConfirmOpen(true)}
              disabled={cancel.isPending || cancelAccepted}
              title={cancelAccepted ? 'Cancellation requested' : undefined}
              data-testid="cancel-run"
            >
              <Ban aria-hidden size={14} />
              {cancel.isPending ? 'Cancelling…' : cancelAccepted ? 'Cancelling' : 'Cancel run'}
            </Button>
          ) : null
        }
      />

      <div role="status" aria-live="polite" className="empty:hidden mb-4 text-sm">
        {cancel.isError ? (
          <span className="text-bad">Could not cancel: {errorMessage(cancel.error)}</span>
        ) : cancel.data ? (
          cancel.data.accepted ? (
            <span className="text-muted">
              Cancellation requested.
              {cancel.data.stopping
                ? ` ${cancel.data.stopping} running task${cancel.data.stopping === 1 ? ' is' : 's are'} being stopped; the run ends when ${cancel.data.stopping === 1 ? 'it stops' : 'they stop'}.`
                : ''}
            </span>
          ) : (
            <span className="text-muted">The run had already ended; nothing was cancelled.</span>
          )
        ) : null}
      </div>

      <div className="flex flex-col gap-4">
        <Card title="Details">
          <dl
            className="grid grid-cols-[repeat(auto-fill,minmax(180px,1fr))] gap-x-6 gap-y-3 text-sm"
            data-testid="run-details"
          >
            <Detail label="Trigger">{words(r.triggerKind)}</Detail>
            <Detail label="Logical date">{dateTime(r.logicalDate)}</Detail>
            <Detail label="Version">v{r.version}</Detail>
            <Detail label="Created">
              <Time at={r.createdAt} now={now} />
            </Detail>
            <Detail label="Started">
              {r.startedAt ? <Time at={r.startedAt} now={now} /> : 'not yet'}
            </Detail>
            <Detail label="Finished">
              {r.finishedAt ? <Time at={r.finishedAt} now={now} /> : active ? 'not yet' : '—'}
            </Detail>
            <Detail label="Duration">
              {ms === null ? '—' : durationMs(ms)}
              {ms !== null && active ? <span className="text-muted"> so far</span> : null}
            </Detail>
          </dl>
          {r.error ? (
            <div className="mt-4 rounded-md border border-bad/40 px-3 py-2 text-sm">
              <div className="text-xs font-medium text-bad">Error</div>
              <div className="mt-0.5 break-words whitespace-pre-wrap" data-testid="run-error">
                {r.error}
              </div>
            </div>
          ) : null}
          {Object.keys(r.params).length ? (
            <details className="mt-4 text-sm">
              <summary className="cursor-pointer text-muted">
                Params ({Object.keys(r.params).length})
              </summary>
              <pre
                tabIndex={0}
                className="mt-2 max-h-64 overflow-auto rounded-md bg-panel-2 p-3 font-mono text-xs"
              >
                {JSON.stringify(r.params, null, 2)}
              </pre>
            </details>
          ) : null}
        </Card>

        <Card title={`Tasks (${r.tasks.length})`}>
          {r.tasks.length === 0 ? (
            <EmptyState title="No tasks">This run has no tasks.</EmptyState>
          ) : (
            <div className="-m-4 overflow-x-auto">
              <table className="w-full text-sm" data-testid="run-tasks">
                <caption className="sr-only">Tasks of run #{r.number}</caption>
                <thead className="border-b border-border text-left text-xs text-muted">
                  <tr>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Task
                    </th>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Status
                    </th>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Attempts
                    </th>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Started
                    </th>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Duration
                    </th>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Error
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {r.tasks.map((t) => {
                    // An ended task whose end time is not read yet (the stream told the status
                    // first) shows no duration rather than one that keeps counting.
                    const ended = isTerminal(taskRunMachine, t.status);
                    const tms =
                      ended && !t.finishedAt ? null : elapsedMs(t.startedAt, t.finishedAt, now);
                    return (
                      <tr
                        key={t.key}
                        className="border-b border-border align-top last:border-0"
                        data-task={t.key}
                      >
                        <th scope="row" className="px-4 py-2.5 text-left font-medium">
                          <span className="font-mono text-xs">{t.key}</span>
                          <div className="text-xs font-normal text-muted">
                            {t.kind} · pool {t.pool}
                          </div>
                        </th>
                        <td className="px-4 py-2.5">
                          <StatusBadge status={t.status} />
                          {t.status === 'retry_wait' && t.nextAttemptAt ? (
                            <div
                              className="mt-1 text-xs text-muted"
                              title={dateTime(t.nextAttemptAt)}
                            >
                              next {relativeTime(t.nextAttemptAt, now)}
                            </div>
                          ) : null}
                        </td>
                        <td className="px-4 py-2.5 text-muted tabular-nums">
                          {t.attempts}/{t.maxAttempts}
                        </td>
                        <td className="px-4 py-2.5 text-muted">
                          {t.startedAt ? <Time at={t.startedAt} now={now} /> : '—'}
                        </td>
                        <td className="px-4 py-2.5 text-muted tabular-nums">
                          {tms === null ? '—' : durationMs(tms)}
                        </td>
                        <td className="max-w-md px-4 py-2.5">
                          {t.error ? (
                            <span
                              className="line-clamp-3 break-words whitespace-pre-wrap text-bad"
                              title={t.error}
                            >
                              {t.error}
                            </span>
                          ) : (
                            <span className="text-muted">—</span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>

      <ConfirmDialog
        open={confirmOpen}
        onOpenChange={setConfirmOpen}
        title={`Cancel run #${r.number}?`}
        description="Tasks that have not started are cancelled at once; running tasks are stopped by their workers. Cleanup tasks (trigger rule “always”) still run."
        confirmLabel="Cancel run"
        danger
        onConfirm={() => cancel.mutate({ runId })}
      />
    </PageBody>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="mt-0.5 truncate">{children}</dd>
    </div>
  );
}

/** Relative time with the absolute one as its title (and for screen readers, a <time>). */
function Time({ at, now }: { at: Date | string | null | undefined; now?: number }) {
  if (!at) return <>—</>;
  const d = new Date(at);
  return (
    <time dateTime={d.toISOString()} title={dateTime(d)}>
      {relativeTime(d, now)}
    </time>
  );
}
