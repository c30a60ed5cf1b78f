'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { useCan, useTeam } from '@/components/shell/team';
import { StateLabel } from '@/components/ui/StateLabel';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/input';
import { Card } from '@/components/ui/page';
import { Tag } from '@/components/ui/status';
import { ErrorState, SkeletonRows } from '@/components/ui/states';
import { DataTable } from '@/components/ui/table';
import { serverErrorText } from '@/features/settings/formErrors';
import { useTRPC } from '@/trpc/react';
import { ChannelDialog } from './ChannelDialog';
import type { Channel } from './types';

function target(c: Channel): string {
  return 'urlHost' in c.config
    ? c.config.urlHost
    : `${c.config.to.join(', ')} via ${c.config.host}`;
}

/** The team's channels: everyone sees them (never their URLs or passwords); admins change them. */
export function ChannelsCard() {
  const trpc = useTRPC();
  const team = useTeam();
  const isAdmin = useCan('admin');
  const queryClient = useQueryClient();
  const channels = useQuery(trpc.alerts.channels.list.queryOptions({ teamSlug: team.slug }));
  const [creating, setCreating] = useState(false);
  const [toDelete, setToDelete] = useState<Channel | null>(null);
  const [status, setStatus] = useState('');
  const invalidate = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.alerts.channels.list.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.audit.list.pathKey() });
  };
  const del = useMutation(trpc.alerts.channels.delete.mutationOptions({ onSuccess: invalidate }));
  const update = useMutation(
    trpc.alerts.channels.update.mutationOptions({ onSuccess: invalidate }),
  );
  const test = useMutation(
    trpc.alerts.channels.test.mutationOptions({
      onSuccess: () => setStatus('Test message queued: the scheduler sends it within seconds.'),
    }),
  );
  const rowError = del.error ?? test.error ?? update.error;
  return (
    <Card
      title="Channels"
      actions={
        isAdmin ? (
          <Button size="sm" onClick={() => setCreating(true)} data-testid="new-channel">
            <Plus aria-hidden size={14} />
            New channel
          </Button>
        ) : null
      }
    >
      <span role="status" className="sr-only">
        {status}
      </span>
      {status ? <p className="px-4 pt-3 text-xs text-muted">{status}</p> : null}
      <FormAlert errors={rowError ? [serverErrorText(rowError)] : undefined} />
      {channels.isPending ? (
        <SkeletonRows rows={2} className="p-4" />
      ) : channels.isError ? (
        <ErrorState error={channels.error} retry={() => void channels.refetch()} />
      ) : channels.data.length === 0 ? (
        <p className="p-4 text-sm text-muted">
          No channels yet.{isAdmin ? '' : ' Admins add them.'}
        </p>
      ) : (
        <DataTable
          caption="Alert channels"
          testId="channels-table"
          framed={false}
          columns={[
            { label: 'Name' },
            { label: 'Kind' },
            { label: 'Target' },
            { label: 'State' },
            isAdmin && { label: 'Actions', srOnly: true },
          ]}
        >
          {channels.data.map((c) => (
            <tr
              key={c.id}
              className="border-b border-border last:border-0"
              data-testid="channel-row"
              data-name={c.name}
            >
              <td className="px-4 py-2 font-mono text-xs">{c.name}</td>
              <td className="px-4 py-2">
                <Tag>{c.kind}</Tag>
              </td>
              <td className="px-4 py-2 text-muted">{target(c)}</td>
              <td className="px-4 py-2">
                <StateLabel tone={c.enabled ? 'ok' : 'muted'}>
                  {c.enabled ? 'enabled' : 'disabled'}
                </StateLabel>
              </td>
              {isAdmin ? (
                <td className="px-4 py-2 text-right whitespace-nowrap">
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Send a test message through ${c.name}`}
                    disabled={test.isPending}
                    onClick={() => test.mutate({ teamSlug: team.slug, channelId: c.id })}
                    data-testid="channel-test"
                  >
                    Send test
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Delete channel ${c.name}`}
                    onClick={() => setToDelete(c)}
                  >
                    Delete
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`${c.enabled ? 'Disable' : 'Enable'} channel ${c.name}`}
                    disabled={update.isPending}
                    onClick={() =>
                      update.mutate({ teamSlug: team.slug, channelId: c.id, enabled: !c.enabled })
                    }
                  >
                    {c.enabled ? 'Disable' : 'Enable'}
                  </Button>
                </td>
              ) : null}
            </tr>
          ))}
        </DataTable>
      )}
      {creating ? <ChannelDialog onClose={() => setCreating(false)} /> : null}
      <ConfirmDialog
        open={toDelete !== null}
        onOpenChange={(open) => (open ? null : setToDelete(null))}
        title="Delete this channel?"
        description={
          toDelete
            ? `Rules that name ${toDelete.name} will send nothing there. Its delivery history goes too.`
            : ''
        }
        confirmLabel="Delete channel"
        danger
        onConfirm={() => {
          if (toDelete) del.mutate({ teamSlug: team.slug, channelId: toDelete.id });
        }}
      />
    </Card>
  );
}
