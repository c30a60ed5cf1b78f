'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Plus, Square } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { useCan, useTeam, useTeamHref } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/input';
import { ConfirmDialog } from '@/components/ui/dialog';
import { SectionHeader } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status';
import { DataTable, type TableColumn } from '@/components/ui/table';
import { dateTime, relativeTime } from '@/lib/format';
import { errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { BackfillDialog } from './BackfillDialog';
import { anyBackfillRunning, backfillProgress } from './backfillProgress';
import { ProgressBar } from './ProgressBar';
import type { BackfillRow } from './types';

const COLUMNS: TableColumn[] = [
  { label: 'Workflow' },
  { label: 'Range' },
  { label: 'Times of' },
  { label: 'Progress' },
  { label: 'Status' },
];
const COLUMNS_WITH_ACTIONS: TableColumn[] = [...COLUMNS, { label: 'Actions', srOnly: true }];

/** Backfills have no live stream: their list is re-read this often while one of them runs. */
const REFRESH_WHILE_RUNNING_MS = 2_000;

/**
 * The team's backfills, newest first, with their progress (re-read while one runs); editors
 * start new ones and cancel running ones.
 */
export function BackfillsSection() {
  const trpc = useTRPC();
  const team = useTeam();
  const canEdit = useCan('editor');
  const queryClient = useQueryClient();
  const [starting, setStarting] = useState(false);
  const [toCancel, setToCancel] = useState<BackfillRow | null>(null);
  const list = useQuery({
    ...trpc.schedules.backfills.list.queryOptions({ teamSlug: team.slug, limit: 50 }),
    refetchInterval: (q) => (anyBackfillRunning(q.state.data) ? REFRESH_WHILE_RUNNING_MS : false),
  });
  const cancel = useMutation(
    trpc.schedules.backfills.cancel.mutationOptions({
      onSettled: () =>
        queryClient.invalidateQueries({ queryKey: trpc.schedules.backfills.list.pathKey() }),
    }),
  );

  return (
    <section aria-labelledby="backfills-heading" className="flex flex-col gap-3">
      <SectionHeader
        id="backfills-heading"
        title="Backfills"
        subtitle="Runs of a workflow for every time its schedule would have fired in a past range."
        actions={
          canEdit ? (
            <Button variant="primary" onClick={() => setStarting(true)} data-testid="new-backfill">
              <Plus aria-hidden size={16} /> Start backfill
            </Button>
          ) : null
        }
      />
      <FormAlert
        errors={
          cancel.isError
            ? [`Could not cancel the backfill: ${errorMessage(cancel.error)}`]
            : undefined
        }
      />
      {list.isPending ? (
        <SkeletonRows rows={3} />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <EmptyState
          title="No backfills yet"
          action={
            canEdit ? (
              <Button onClick={() => setStarting(true)}>
                <Plus aria-hidden size={14} /> Start backfill
              </Button>
            ) : undefined
          }
        >
          A backfill fills a past range: one run per scheduled time, oldest first, a few at a time.
        </EmptyState>
      ) : (
        <DataTable
          caption="Backfills of the team, newest first"
          columns={canEdit ? COLUMNS_WITH_ACTIONS : COLUMNS}
          testId="backfills-table"
        >
          {list.data.map((b) => (
            <BackfillTableRow
              key={b.id}
              b={b}
              canEdit={canEdit}
              busy={cancel.isPending && cancel.variables?.backfillId === b.id}
              onCancel={() => setToCancel(b)}
            />
          ))}
        </DataTable>
      )}
      {starting ? <BackfillDialog onClose={() => setStarting(false)} /> : null}
      <ConfirmDialog
        open={toCancel !== null}
        onOpenChange={(open) => (open ? null : setToCancel(null))}
        title={`Cancel the backfill of ${toCancel?.workflowName ?? ''}?`}
        description="It creates no more runs, and its queued and running runs are cancelled. Runs that ended stay."
        confirmLabel="Cancel backfill"
        danger
        onConfirm={() =>
          toCancel && cancel.mutate({ teamSlug: team.slug, backfillId: toCancel.id })
        }
      />
    </section>
  );
}

function BackfillTableRow({
  b,
  canEdit,
  busy,
  onCancel,
}: {
  b: BackfillRow;
  canEdit: boolean;
  busy: boolean;
  onCancel: () => void;
}) {
  const href = useTeamHref();
  const progress = backfillProgress(b);
  return (
    <tr
      className="border-b border-border align-top last:border-0"
      data-testid="backfill-row"
      data-backfill-id={b.id}
      data-status={b.status}
    >
      <td className="px-4 py-2.5">
        <Link href={href(`/workflows/${encodeURIComponent(b.workflowName)}`)}>
          {b.workflowName}
        </Link>
        <div className="text-xs text-muted" title={dateTime(b.createdAt)}>
          started {relativeTime(b.createdAt)}
        </div>
      </td>
      <td className="px-4 py-2.5 text-xs">
        <div>{dateTime(b.rangeStart)}</div>
        <div className="text-muted">to {dateTime(b.rangeEnd)}</div>
      </td>
      <td className="px-4 py-2.5 text-xs">
        <code className="font-mono">{b.cron}</code>
        <div className="text-muted">{b.timezone}</div>
      </td>
      <td className="px-4 py-2.5">
        <ProgressBar progress={progress} label={`Backfill of ${b.workflowName}`} />
        {b.error ? <div className="mt-1 text-xs text-bad">{b.error}</div> : null}
      </td>
      <td className="px-4 py-2.5" data-testid="backfill-status">
        <StatusBadge status={b.status} />
        {b.finishedAt ? (
          <div className="mt-1 text-xs text-muted" title={dateTime(b.finishedAt)}>
            {relativeTime(b.finishedAt)}
          </div>
        ) : null}
      </td>
      {canEdit ? (
        <td className="px-4 py-2.5 text-right">
          {b.status === 'running' ? (
            <Button
              size="sm"
              disabled={busy}
              aria-label={`Cancel the backfill of ${b.workflowName}`}
              onClick={onCancel}
              data-testid="backfill-cancel"
            >
              <Square aria-hidden size={12} /> {busy ? 'Cancelling…' : 'Cancel'}
            </Button>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
