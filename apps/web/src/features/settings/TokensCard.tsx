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
import { StateLabel } from '@/components/ui/StateLabel';
import { Tag } from '@/components/ui/status';
import { DataTable } from '@/components/ui/table';
import { dateTime, relativeTime } from '@/lib/format';
import { errorCode } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { CreateTokenDialog } from './CreateTokenDialog';
import { serverErrorText } from './formErrors';
import { NeedsAdmin } from './NeedsAdmin';

type Token = inferRouterOutputs<AppRouter>['tokens']['list'][number];

/** The team's API tokens (admins only: the API refuses the list to others). */
export function TokensCard() {
  const trpc = useTRPC();
  const team = useTeam();
  const isAdmin = useCan('admin');
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [toRevoke, setToRevoke] = useState<Token | null>(null);
  // Viewers and editors are refused by the API (FORBIDDEN): they are not asked at all.
  const tokens = useQuery({
    ...trpc.tokens.list.queryOptions({ teamSlug: team.slug }),
    enabled: isAdmin,
  });
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.tokens.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.audit.list.pathKey() });
      },
    }),
  );
  const forbidden = !isAdmin || (tokens.isError && errorCode(tokens.error) === 'FORBIDDEN');
  const now = Date.now();
  const newButton = (
    <Button
      size="sm"
      onClick={() => {
        revoke.reset();
        setCreating(true);
      }}
      data-testid="new-token"
    >
      <Plus aria-hidden size={14} />
      New token
    </Button>
  );

  return (
    <Card title="API tokens" actions={forbidden ? null : newButton}>
      {forbidden ? (
        <NeedsAdmin role={team.role}>Seeing and managing the team&apos;s API tokens</NeedsAdmin>
      ) : tokens.isPending ? (
        <SkeletonRows rows={3} />
      ) : tokens.isError ? (
        <ErrorState error={tokens.error} retry={() => void tokens.refetch()} />
      ) : tokens.data.length === 0 ? (
        <EmptyState title="No API tokens">
          Scripts, the CLI and CI use API tokens (<code>Authorization: Bearer dtss_…</code>) to call
          the API for this team.
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-3">
          <FormAlert errors={revoke.error ? [serverErrorText(revoke.error)] : undefined} />
          <DataTable
            caption="API tokens of the team"
            testId="tokens-table"
            framed={false}
            columns={[
              { label: 'Name' },
              { label: 'Role' },
              { label: 'Created' },
              { label: 'Last used' },
              { label: 'Expires' },
              { label: 'State' },
              { label: 'Actions', srOnly: true },
            ]}
          >
            {tokens.data.map((t) => {
              const expired = t.expiresAt !== null && new Date(t.expiresAt).getTime() <= now;
              return (
                <tr
                  key={t.id}
                  className="border-b border-border last:border-0"
                  data-testid="token-row"
                  data-name={t.name}
                >
                  <td className="px-4 py-2">
                    {t.name}
                    <div className="font-mono text-xs text-muted">{t.prefix}…</div>
                  </td>
                  <td className="px-4 py-2">
                    <Tag>{t.role}</Tag>
                  </td>
                  <td className="px-4 py-2 text-muted" title={dateTime(t.createdAt)}>
                    {relativeTime(t.createdAt, now)}
                  </td>
                  <td
                    className="px-4 py-2 text-muted"
                    title={dateTime(t.lastUsedAt)}
                    data-testid="token-last-used"
                  >
                    {t.lastUsedAt ? relativeTime(t.lastUsedAt, now) : 'never'}
                  </td>
                  <td className="px-4 py-2 text-muted" title={dateTime(t.expiresAt)}>
                    {t.expiresAt ? relativeTime(t.expiresAt, now) : 'never'}
                  </td>
                  <td className="px-4 py-2" data-testid="token-state">
                    {t.revokedAt ? (
                      <span className="text-muted" title={`Revoked ${dateTime(t.revokedAt)}`}>
                        revoked
                      </span>
                    ) : expired ? (
                      <StateLabel tone="warn">expired</StateLabel>
                    ) : (
                      <StateLabel tone="ok">active</StateLabel>
                    )}
                  </td>
                  <td className="px-4 py-2 text-right">
                    {t.revokedAt ? null : (
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Revoke the token ${t.name}`}
                        disabled={revoke.isPending && revoke.variables.tokenId === t.id}
                        onClick={() => {
                          revoke.reset();
                          setToRevoke(t);
                        }}
                        data-testid="token-revoke"
                      >
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </div>
      )}
      {creating ? <CreateTokenDialog onClose={() => setCreating(false)} /> : null}
      <ConfirmDialog
        open={toRevoke !== null}
        onOpenChange={(open) => (open ? null : setToRevoke(null))}
        title="Revoke this token?"
        description={
          toRevoke
            ? `Everything that uses ${toRevoke.name} (${toRevoke.prefix}…) is refused from now on. This cannot be undone.`
            : ''
        }
        confirmLabel="Revoke token"
        danger
        onConfirm={() => {
          if (toRevoke) revoke.mutate({ teamSlug: team.slug, tokenId: toRevoke.id });
        }}
      />
    </Card>
  );
}
