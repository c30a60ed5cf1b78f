'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Pause, Pencil, Play, Plus, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { useCan, useTeam, useTeamHref } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/input';
import { ConfirmDialog } from '@/components/ui/dialog';
import { SectionHeader } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { StateLabel } from '@/components/ui/StateLabel';
import { StatusBadge, Tag } from '@/components/ui/status';
import { DataTable, type TableColumn } from '@/components/ui/table';
import { dateTime, relativeTime } from '@/lib/format';
import { errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { describeCron } from './cronWords';
import { ScheduleDialog } from './ScheduleDialog';
import type { ScheduleRow } from './types';

const COLUMNS: TableColumn[] = [
  { label: 'Schedule' },
  // The zone goes with the cron it reads (one column less: the table fits 1280 px).
  { label: 'Cron, time zone' },
  { label: 'Next fire' },
  { label: 'Last fire' },
  { label: 'State' },
];
const COLUMNS_WITH_ACTIONS: TableColumn[] = [...COLUMNS, { label: 'Actions', srOnly: true }];

/**
 * Every schedule of the team: its workflow, cron in words, zone, next and last fire with that
 * fire's run. Editors create, edit (UI-made ones), pause, resume and delete them.
 */
export function SchedulesList() {
  const trpc = useTRPC();
  const team = useTeam();
  const href = useTeamHref();
  const canEdit = useCan('editor');
  const queryClient = useQueryClient();
  const list = useQuery(trpc.schedules.list.queryOptions({ teamSlug: team.slug }));
  const [editing, setEditing] = useState<ScheduleRow | 'new' | null>(null);
  const [toDelete, setToDelete] = useState<ScheduleRow | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.schedules.list.pathKey() }),
      // The workflows list shows each workflow's next fire.
      queryClient.invalidateQueries({ queryKey: trpc.workflows.list.pathKey() }),
    ]);
  const pause = useMutation(trpc.schedules.pause.mutationOptions({ onSettled: refresh }));
  const resume = useMutation(trpc.schedules.resume.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.schedules.delete.mutationOptions({ onSettled: refresh }));
  const busyId =
    (pause.isPending && pause.variables?.scheduleId) ||
    (resume.isPending && resume.variables?.scheduleId) ||
    (remove.isPending && remove.variables?.scheduleId) ||
    null;
  const failed = [
    { m: pause, verb: 'pause' },
    { m: resume, verb: 'resume' },
    { m: remove, verb: 'delete' },
  ].find((f) => f.m.isError);
  const now = Date.now();

  return (
    <section aria-labelledby="schedules-heading" className="flex flex-col gap-3">
      <SectionHeader
        id="schedules-heading"
        title="Schedules"
        subtitle="Cron schedules start a workflow at set times, in a time zone; the calendar below shows the next week's fires."
        actions={
          canEdit ? (
            <Button variant="primary" onClick={() => setEditing('new')} data-testid="new-schedule">
              <Plus aria-hidden size={16} /> New schedule
            </Button>
          ) : null
        }
      />
      <FormAlert
        errors={
          failed
            ? [`Could not ${failed.verb} the schedule: ${errorMessage(failed.m.error)}`]
            : undefined
        }
      />
      {list.isPending ? (
        <SkeletonRows />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <EmptyState
          title="No schedules yet"
          action={
            canEdit ? (
              <Button onClick={() => setEditing('new')}>
                <Plus aria-hidden size={14} /> New schedule
              </Button>
            ) : (
              <Link href={href('/workflows')} className="text-fg underline underline-offset-2">
                Go to the workflows
              </Link>
            )
          }
        >
          A schedule starts a workflow on a cron expression. Create one here, or declare it under{' '}
          <code>schedules:</code> in the workflow file.
        </EmptyState>
      ) : (
        <DataTable
          caption="Schedules of the team"
          columns={canEdit ? COLUMNS_WITH_ACTIONS : COLUMNS}
          testId="schedules-table"
        >
          {list.data.map((s) => (
            <ScheduleTableRow
              key={s.id}
              s={s}
              now={now}
              canEdit={canEdit}
              busy={busyId === s.id}
              onPause={() => pause.mutate({ teamSlug: team.slug, scheduleId: s.id })}
              onResume={() => resume.mutate({ teamSlug: team.slug, scheduleId: s.id })}
              onEdit={() => setEditing(s)}
              onDelete={() => setToDelete(s)}
            />
          ))}
        </DataTable>
      )}
      {editing ? (
        <ScheduleDialog
          key={editing === 'new' ? 'new' : editing.id}
          schedule={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
      <ConfirmDialog
        open={toDelete !== null}
        onOpenChange={(open) => (open ? null : setToDelete(null))}
        title={`Delete schedule ${toDelete?.name ?? ''}?`}
        description={`It stops firing for ${toDelete?.workflowName ?? 'its workflow'}. Runs it started stay.`}
        confirmLabel="Delete schedule"
        danger
        onConfirm={() =>
          toDelete && remove.mutate({ teamSlug: team.slug, scheduleId: toDelete.id })
        }
      />
    </section>
  );
}

function ScheduleTableRow({
  s,
  now,
  canEdit,
  busy,
  onPause,
  onResume,
  onEdit,
  onDelete,
}: {
  s: ScheduleRow;
  now: number;
  canEdit: boolean;
  busy: boolean;
  onPause: () => void;
  onResume: () => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const href = useTeamHref();
  const words = describeCron(s.cron);
  const label = `schedule ${s.name} of ${s.workflowName}`;
  const fromFile = s.source === 'definition';
  return (
    <tr
      className="border-b border-border last:border-0"
      data-testid="schedule-row"
      data-schedule-id={s.id}
      data-schedule-name={s.name}
    >
      <td className="px-4 py-2.5">
        <div className="font-medium">
          {s.name}
          {fromFile ? (
            <span
              className="ml-2"
              title="Declared in the workflow file: edit it there (pausing works here)"
            >
              <Tag>file</Tag>
            </span>
          ) : null}
        </div>
        <Link href={href(`/workflows/${encodeURIComponent(s.workflowName)}`)} className="text-xs">
          {s.workflowName}
        </Link>
      </td>
      <td className="px-4 py-2.5">
        <code className="font-mono text-xs whitespace-nowrap" data-testid="schedule-cron">
          {s.cron}
        </code>
        <div className="text-xs text-muted">
          {words ? `${words} · ` : ''}
          <span className="whitespace-nowrap" data-testid="schedule-timezone">
            {s.timezone}
          </span>
        </div>
      </td>
      <td
        className="px-4 py-2.5 whitespace-nowrap text-muted"
        title={dateTime(s.nextFireAt)}
        data-testid="schedule-next-fire"
      >
        {!s.enabled ? '—' : s.nextFireAt ? relativeTime(s.nextFireAt, now) : 'none'}
      </td>
      <td className="px-4 py-2.5 text-muted" data-testid="schedule-last-fire">
        <div className="whitespace-nowrap" title={dateTime(s.lastFireAt)}>
          {s.lastFireAt ? relativeTime(s.lastFireAt, now) : 'never'}
        </div>
        {s.lastRun ? (
          <div className="mt-0.5 flex items-center gap-1.5">
            <Link href={href(`/runs/${s.lastRun.id}`)} title={dateTime(s.lastRun.logicalDate)}>
              #{s.lastRun.number}
            </Link>
            <StatusBadge status={s.lastRun.status} />
          </div>
        ) : null}
      </td>
      <td className="px-4 py-2.5" data-testid="schedule-state">
        {s.enabled ? (
          <StateLabel tone="ok">enabled</StateLabel>
        ) : (
          <StateLabel tone="warn">paused</StateLabel>
        )}
      </td>
      {canEdit ? (
        <td className="px-4 py-2.5">
          <div className="flex items-center justify-end gap-1">
            {/* The labelled action last: it lines up on the right in every row. */}
            {fromFile ? null : (
              <>
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Edit ${label}`}
                  title="Edit"
                  onClick={onEdit}
                  data-testid="schedule-edit"
                >
                  <Pencil aria-hidden size={14} />
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={busy}
                  aria-label={`Delete ${label}`}
                  title="Delete"
                  onClick={onDelete}
                  data-testid="schedule-delete"
                >
                  <Trash2 aria-hidden size={14} />
                </Button>
              </>
            )}
            {s.enabled ? (
              <Button size="sm" disabled={busy} aria-label={`Pause ${label}`} onClick={onPause}>
                <Pause aria-hidden size={12} /> Pause
              </Button>
            ) : (
              <Button size="sm" disabled={busy} aria-label={`Resume ${label}`} onClick={onResume}>
                <Play aria-hidden size={12} /> Resume
              </Button>
            )}
          </div>
        </td>
      ) : null}
    </tr>
  );
}
