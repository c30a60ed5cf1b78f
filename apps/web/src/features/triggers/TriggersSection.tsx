'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound, Plus, Power, PowerOff, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { useCan, useTeam, useTeamHref } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/input';
import { ConfirmDialog, Dialog } from '@/components/ui/dialog';
import { SectionHeader } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { StateLabel } from '@/components/ui/StateLabel';
import { Tag } from '@/components/ui/status';
import { DataTable, type TableColumn } from '@/components/ui/table';
import { dateTime, relativeTime } from '@/lib/format';
import { errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { SecretReveal } from './SecretReveal';
import type { TriggerRow } from './types';
import { WebhookDialog } from './WebhookDialog';

const COLUMNS: TableColumn[] = [
  { label: 'Trigger' },
  { label: 'Kind' },
  { label: 'Listens to' },
  { label: 'Last fired', className: 'whitespace-nowrap' },
  { label: 'State' },
];
const COLUMNS_WITH_ACTIONS: TableColumn[] = [...COLUMNS, { label: 'Actions', srOnly: true }];

const KIND_LABEL: Record<TriggerRow['kind'], string> = {
  webhook: 'webhook',
  event: 'event',
  workflow_run: 'after a run',
};

/**
 * The team's triggers (webhooks made here; event and after-run triggers from workflow files):
 * editors create webhooks, rotate their secrets, enable, disable and delete them.
 */
export function TriggersSection() {
  const trpc = useTRPC();
  const team = useTeam();
  const canEdit = useCan('editor');
  const queryClient = useQueryClient();
  const list = useQuery(trpc.triggers.list.queryOptions({ teamSlug: team.slug }));
  const [creating, setCreating] = useState(false);
  const [toRotate, setToRotate] = useState<TriggerRow | null>(null);
  const [toDelete, setToDelete] = useState<TriggerRow | null>(null);
  const [revealed, setRevealed] = useState<{ name: string; path: string; secret: string } | null>(
    null,
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.triggers.list.pathKey() });
  const setEnabled = useMutation(trpc.triggers.setEnabled.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.triggers.delete.mutationOptions({ onSettled: refresh }));
  const rotate = useMutation(trpc.triggers.rotateSecret.mutationOptions());
  const busyId =
    (setEnabled.isPending && setEnabled.variables?.triggerId) ||
    (remove.isPending && remove.variables?.triggerId) ||
    (rotate.isPending && rotate.variables?.triggerId) ||
    null;
  const failed = [
    { m: setEnabled, verb: setEnabled.variables?.enabled ? 'enable' : 'disable' },
    { m: remove, verb: 'delete' },
    { m: rotate, verb: 'rotate the secret of' },
  ].find((f) => f.m.isError);
  const now = Date.now();

  return (
    <section aria-labelledby="triggers-heading" className="flex flex-col gap-3">
      <SectionHeader
        id="triggers-heading"
        title="Triggers"
        subtitle="Webhooks start a workflow when a signed request arrives; event and after-run triggers come from workflow files."
        actions={
          canEdit ? (
            <Button variant="primary" onClick={() => setCreating(true)} data-testid="new-webhook">
              <Plus aria-hidden size={16} /> New webhook
            </Button>
          ) : null
        }
      />
      <FormAlert
        errors={
          failed
            ? [`Could not ${failed.verb} the trigger: ${errorMessage(failed.m.error)}`]
            : undefined
        }
      />
      {list.isPending ? (
        <SkeletonRows rows={4} />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <EmptyState
          title="No triggers yet"
          action={
            canEdit ? (
              <Button onClick={() => setCreating(true)}>
                <Plus aria-hidden size={14} /> New webhook
              </Button>
            ) : undefined
          }
        >
          A webhook gives a workflow a URL that starts it; event triggers are declared under{' '}
          <code>triggers:</code> in the workflow file.
        </EmptyState>
      ) : (
        <DataTable
          caption="Triggers of the team"
          columns={canEdit ? COLUMNS_WITH_ACTIONS : COLUMNS}
          testId="triggers-table"
        >
          {list.data.map((t) => (
            <TriggerTableRow
              key={t.id}
              t={t}
              now={now}
              canEdit={canEdit}
              busy={busyId === t.id}
              onToggle={() =>
                setEnabled.mutate({ teamSlug: team.slug, triggerId: t.id, enabled: !t.enabled })
              }
              onRotate={() => setToRotate(t)}
              onDelete={() => setToDelete(t)}
            />
          ))}
        </DataTable>
      )}
      {creating ? <WebhookDialog onClose={() => setCreating(false)} /> : null}
      <ConfirmDialog
        open={toRotate !== null}
        onOpenChange={(open) => (open ? null : setToRotate(null))}
        title={`Rotate the secret of ${toRotate?.name ?? ''}?`}
        description="The current secret stops working at once: senders need the new one, which is shown once."
        confirmLabel="Rotate secret"
        danger
        onConfirm={() => {
          const t = toRotate;
          if (!t?.webhookPath) return;
          rotate.mutate(
            { teamSlug: team.slug, triggerId: t.id },
            {
              onSuccess: ({ secret }) =>
                setRevealed({ name: t.name, path: t.webhookPath!, secret }),
            },
          );
        }}
      />
      {revealed ? (
        <Dialog
          open
          onOpenChange={(open) => (open ? null : setRevealed(null))}
          title={`New secret of ${revealed.name}`}
          description="The old secret no longer works."
          footer={
            <Button variant="primary" onClick={() => setRevealed(null)} data-testid="webhook-done">
              Done
            </Button>
          }
        >
          <SecretReveal path={revealed.path} secret={revealed.secret} />
        </Dialog>
      ) : null}
      <ConfirmDialog
        open={toDelete !== null}
        onOpenChange={(open) => (open ? null : setToDelete(null))}
        title={`Delete trigger ${toDelete?.name ?? ''}?`}
        description="It stops starting runs (a webhook's URL answers 404). Runs and events it recorded stay."
        confirmLabel="Delete trigger"
        danger
        onConfirm={() => toDelete && remove.mutate({ teamSlug: team.slug, triggerId: toDelete.id })}
      />
    </section>
  );
}

function TriggerTableRow({
  t,
  now,
  canEdit,
  busy,
  onToggle,
  onRotate,
  onDelete,
}: {
  t: TriggerRow;
  now: number;
  canEdit: boolean;
  busy: boolean;
  onToggle: () => void;
  onRotate: () => void;
  onDelete: () => void;
}) {
  const href = useTeamHref();
  const label = `trigger ${t.name} of ${t.workflowName}`;
  const fromFile = t.source === 'definition';
  return (
    <tr
      className="border-b border-border last:border-0"
      data-testid="trigger-row"
      data-trigger-id={t.id}
      data-trigger-name={t.name}
    >
      <td className="px-4 py-2.5">
        <div className="font-medium whitespace-nowrap">
          {t.name}
          {fromFile ? (
            <span className="ml-2" title="Declared in the workflow file">
              <Tag>file</Tag>
            </span>
          ) : null}
        </div>
        <Link href={href(`/workflows/${encodeURIComponent(t.workflowName)}`)} className="text-xs">
          {t.workflowName}
        </Link>
      </td>
      <td className="px-4 py-2.5 text-muted">{KIND_LABEL[t.kind]}</td>
      <td className="px-4 py-2.5 text-xs">
        {t.kind === 'webhook' && t.webhookPath ? (
          <code className="font-mono break-all">POST {t.webhookPath}</code>
        ) : t.kind === 'workflow_run' ? (
          <span>
            runs of {t.upstreamWorkflowName ?? 'a removed workflow'}
            {t.upstreamStatuses.length ? ` (${t.upstreamStatuses.join(', ')})` : ''}
          </span>
        ) : (
          <code className="font-mono">{t.eventName}</code>
        )}
      </td>
      <td
        className="px-4 py-2.5 whitespace-nowrap text-muted"
        title={dateTime(t.lastFiredAt)}
        data-testid="trigger-last-fired"
      >
        {t.lastFiredAt ? relativeTime(t.lastFiredAt, now) : 'never'}
      </td>
      <td className="px-4 py-2.5" data-testid="trigger-state">
        {t.enabled ? (
          <StateLabel tone="ok">enabled</StateLabel>
        ) : (
          <StateLabel tone="warn">disabled</StateLabel>
        )}
      </td>
      {canEdit ? (
        <td className="px-4 py-2.5">
          <div className="flex items-center justify-end gap-1">
            {/* The labelled action last: it lines up on the right in every row. */}
            {t.kind === 'webhook' ? (
              <Button
                size="sm"
                variant="ghost"
                disabled={busy}
                aria-label={`Rotate the secret of ${label}`}
                title="Rotate secret"
                onClick={onRotate}
                data-testid="trigger-rotate"
              >
                <KeyRound aria-hidden size={14} />
              </Button>
            ) : null}
            {fromFile ? null : (
              <Button
                size="sm"
                variant="ghost"
                disabled={busy}
                aria-label={`Delete ${label}`}
                title="Delete"
                onClick={onDelete}
                data-testid="trigger-delete"
              >
                <Trash2 aria-hidden size={14} />
              </Button>
            )}
            <Button
              size="sm"
              disabled={busy}
              aria-label={`${t.enabled ? 'Disable' : 'Enable'} ${label}`}
              onClick={onToggle}
              data-testid="trigger-toggle"
            >
              {t.enabled ? <PowerOff aria-hidden size={12} /> : <Power aria-hidden size={12} />}
              {t.enabled ? 'Disable' : 'Enable'}
            </Button>
          </div>
        </td>
      ) : null}
    </tr>
  );
}
