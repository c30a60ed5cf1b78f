'use client';
import type { AppRouter } from '@dtss/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { useCan, useTeam } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/input';
import { Card } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { DataTable } from '@/components/ui/table';
import { dateTime, relativeTime } from '@/lib/format';
import { useTRPC } from '@/trpc/react';
import { MaybeRegion } from './ReadOnlyRegion';
import { serverErrorText } from './formErrors';
import { SecretDialog } from './SecretDialog';

type Secret = inferRouterOutputs<AppRouter>['secrets']['list'][number];

/**
 * The team's secrets by name: everyone sees which exist (workflows name them), admins create,
 * replace and delete them. Values are write-only: no procedure returns one.
 */
export function SecretsCard() {
  const trpc = useTRPC();
  const team = useTeam();
  const isAdmin = useCan('admin');
  const queryClient = useQueryClient();
  const secrets = useQuery(trpc.secrets.list.queryOptions({ teamSlug: team.slug }));
  const [dialog, setDialog] = useState<{ replacing?: Secret } | null>(null);
  const [toDelete, setToDelete] = useState<Secret | null>(null);
  const [saved, setSaved] = useState('');
  const del = useMutation(
    trpc.secrets.delete.mutationOptions({
      onSuccess: (r) => {
        setSaved(`Secret ${r.name} deleted.`);
        void queryClient.invalidateQueries({ queryKey: trpc.secrets.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.audit.list.pathKey() });
      },
    }),
  );
  const newButton = isAdmin ? (
    <Button
      size="sm"
      onClick={() => {
        del.reset();
        setDialog({});
      }}
      data-testid="new-secret"
    >
      <Plus aria-hidden size={14} />
      New secret
    </Button>
  ) : null;

  return (
    <Card title="Secrets" actions={newButton}>
      <div className="flex flex-col gap-3">
        {isAdmin ? null : (
          <p className="text-sm text-muted" data-testid="secrets-readonly">
            Creating, replacing and deleting secrets needs the admin role (you are {team.role}).
            Values are never shown, to anyone.
          </p>
        )}
        <span role="status" className="sr-only" data-testid="secrets-status">
          {saved}
        </span>
        <FormAlert errors={del.error ? [serverErrorText(del.error)] : undefined} />
        {secrets.isPending ? (
          <SkeletonRows rows={3} />
        ) : secrets.isError ? (
          <ErrorState error={secrets.error} retry={() => void secrets.refetch()} />
        ) : secrets.data.length === 0 ? (
          <EmptyState title="No secrets">
            Passwords and keys that tasks need: a workflow names them (<code>secrets:</code>) and
            the worker gets the values when the task runs. Values are write-only.
          </EmptyState>
        ) : (
          <MaybeRegion readOnly={!isAdmin} label="Secrets of the team">
            <DataTable
              caption="Secrets of the team"
              testId="secrets-table"
              framed={false}
              columns={[
                { label: 'Name' },
                { label: 'Description' },
                { label: 'Updated' },
                { label: 'Last used' },
                isAdmin && { label: 'Actions', srOnly: true },
              ]}
            >
              {secrets.data.map((s) => (
                <tr
                  key={s.name}
                  className="border-b border-border last:border-0"
                  data-testid="secret-row"
                  data-name={s.name}
                >
                  <td className="px-4 py-2 font-mono text-xs">{s.name}</td>
                  <td className="px-4 py-2 text-muted">{s.description || '—'}</td>
                  <td className="px-4 py-2 text-muted" title={dateTime(s.updatedAt)}>
                    {relativeTime(s.updatedAt)}
                  </td>
                  <td className="px-4 py-2 text-muted" title={dateTime(s.lastUsedAt)}>
                    {s.lastUsedAt ? relativeTime(s.lastUsedAt) : 'never'}
                  </td>
                  {isAdmin ? (
                    <td className="px-4 py-2 text-right whitespace-nowrap">
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Replace the value of ${s.name}`}
                        onClick={() => {
                          del.reset();
                          setDialog({ replacing: s });
                        }}
                        data-testid="secret-replace"
                      >
                        Replace value
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Delete ${s.name}`}
                        disabled={del.isPending && del.variables.name === s.name}
                        onClick={() => {
                          del.reset();
                          setToDelete(s);
                        }}
                        data-testid="secret-delete"
                      >
                        Delete
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </DataTable>
          </MaybeRegion>
        )}
      </div>
      {dialog ? (
        <SecretDialog
          replacing={dialog.replacing}
          onClose={() => setDialog(null)}
          onSaved={(name) => {
            setSaved(
              dialog.replacing ? `The value of ${name} was replaced.` : `Secret ${name} created.`,
            );
            setDialog(null);
          }}
        />
      ) : null}
      <ConfirmDialog
        open={toDelete !== null}
        onOpenChange={(open) => (open ? null : setToDelete(null))}
        title="Delete this secret?"
        description={
          toDelete
            ? `Runs of workflows that name ${toDelete.name} will refuse to start until it is created again. The value cannot be recovered.`
            : ''
        }
        confirmLabel="Delete secret"
        danger
        onConfirm={() => {
          if (toDelete) del.mutate({ teamSlug: team.slug, name: toDelete.name });
        }}
      />
    </Card>
  );
}
