'use client';
import type { AppRouter } from '@dtss/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useCan, useTeam, type TeamRole } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { FormAlert, Select } from '@/components/ui/input';
import { Card } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { Tag } from '@/components/ui/status';
import { DataTable } from '@/components/ui/table';
import { dateTime, relativeTime } from '@/lib/format';
import { useTRPC } from '@/trpc/react';
import { MaybeRegion } from './ReadOnlyRegion';
import { serverErrorText } from './formErrors';
import { InviteForm } from './InviteForm';
import { assignableRoles, isBelow, lockReason } from './roles';

type MembersList = inferRouterOutputs<AppRouter>['members']['list'];
type Member = MembersList['members'][number];
type Invitation = MembersList['invitations'][number];

type Pending =
  | { kind: 'demote-self'; member: Member; role: TeamRole }
  | { kind: 'remove'; member: Member }
  | { kind: 'revoke'; invitation: Invitation };

/**
 * The members with their roles. Admins change roles, remove members, invite people and revoke
 * pending invitations; owners are protected as the API protects them (only an owner touches an
 * owner, and the last owner stays). Everyone else sees the list only.
 */
export function MembersCard() {
  const trpc = useTRPC();
  const team = useTeam();
  const isAdmin = useCan('admin');
  const router = useRouter();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.members.list.queryOptions({ teamSlug: team.slug }));
  const me = useQuery(trpc.auth.me.queryOptions());
  const myId = me.data?.type === 'user' ? me.data.userId : null;
  const [pending, setPending] = useState<Pending | null>(null);

  const afterChange = async (self: boolean) => {
    await queryClient.invalidateQueries({ queryKey: trpc.members.list.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.audit.list.pathKey() });
    // My own role changed: the team card, the shell and this page's controls follow the server's.
    if (self) {
      void queryClient.invalidateQueries({ queryKey: trpc.teams.pathKey() });
      router.refresh();
    }
  };
  const changeRole = useMutation(
    trpc.members.changeRole.mutationOptions({
      onSuccess: (_d, input) => afterChange(input.userId === myId),
    }),
  );
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: (_d, input) => {
        if (input.userId === myId) {
          router.push('/');
          return;
        }
        return afterChange(false);
      },
    }),
  );
  const revoke = useMutation(
    trpc.members.revokeInvitation.mutationOptions({ onSuccess: () => afterChange(false) }),
  );
  const failure = changeRole.error ?? remove.error ?? revoke.error;
  const resetAll = () => {
    changeRole.reset();
    remove.reset();
    revoke.reset();
  };

  function askRole(member: Member, role: TeamRole) {
    resetAll();
    if (member.userId === myId && isBelow(role, member.role)) {
      setPending({ kind: 'demote-self', member, role });
    } else {
      changeRole.mutate({ teamSlug: team.slug, userId: member.userId, role });
    }
  }

  const list = members.data?.members ?? [];
  const ownerCount = list.filter((m) => m.role === 'owner').length;

  return (
    <Card title="Members">
      {members.isPending ? (
        <SkeletonRows rows={3} />
      ) : members.isError ? (
        <ErrorState error={members.error} retry={() => void members.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState title="No members">This team has no members.</EmptyState>
      ) : (
        <div className="flex flex-col gap-5">
          {isAdmin ? null : (
            <p className="text-sm text-muted" data-testid="members-readonly">
              Inviting, removing members and changing roles needs the admin role (you are{' '}
              {team.role}).
            </p>
          )}
          <FormAlert
            errors={failure ? [serverErrorText(failure)] : undefined}
            testId="members-error"
          />
          <MaybeRegion readOnly={!isAdmin} label="Members of the team">
            <DataTable
              caption="Members of the team"
              testId="members-table"
              framed={false}
              columns={[
                { label: 'Email' },
                { label: 'Name' },
                { label: 'Role' },
                { label: 'Joined' },
                isAdmin && { label: 'Actions', srOnly: true },
              ]}
            >
              {list.map((m) => {
                const self = m.userId === myId;
                const locked = isAdmin ? lockReason(m, team, ownerCount) : null;
                const busy =
                  (changeRole.isPending && changeRole.variables.userId === m.userId) ||
                  (remove.isPending && remove.variables.userId === m.userId);
                return (
                  <tr
                    key={m.userId}
                    className="border-b border-border last:border-0"
                    data-testid="member-row"
                    data-email={m.email}
                  >
                    <td className="px-4 py-2">
                      {m.email}
                      {self ? <span className="ml-2 text-xs text-muted">(you)</span> : null}
                    </td>
                    <td className="px-4 py-2 text-muted">{m.name ?? '—'}</td>
                    <td className="px-4 py-2">
                      {isAdmin ? (
                        <Select
                          aria-label={`Role of ${m.email}`}
                          value={m.role}
                          disabled={Boolean(locked) || busy}
                          title={locked ?? undefined}
                          className="w-28"
                          onChange={(e) => askRole(m, e.target.value as TeamRole)}
                          data-testid="member-role"
                        >
                          {/* The member's own role is always listed, even one I may not give. */}
                          {[...new Set<TeamRole>([...assignableRoles(team.role), m.role])].map(
                            (r) => (
                              <option key={r} value={r}>
                                {r}
                              </option>
                            ),
                          )}
                        </Select>
                      ) : (
                        <Tag>{m.role}</Tag>
                      )}
                      {isAdmin && locked ? (
                        <div className="mt-1 text-xs text-muted" data-testid="member-locked">
                          {locked}
                        </div>
                      ) : null}
                    </td>
                    <td className="px-4 py-2 text-muted" title={dateTime(m.joinedAt)}>
                      {relativeTime(m.joinedAt)}
                    </td>
                    {isAdmin ? (
                      <td className="px-4 py-2 text-right">
                        <Button
                          size="sm"
                          variant="ghost"
                          disabled={Boolean(locked) || busy}
                          title={locked ?? undefined}
                          aria-label={self ? 'Leave the team' : `Remove ${m.email}`}
                          onClick={() => {
                            resetAll();
                            setPending({ kind: 'remove', member: m });
                          }}
                          data-testid="member-remove"
                        >
                          {self ? 'Leave' : 'Remove'}
                        </Button>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </DataTable>
          </MaybeRegion>

          {isAdmin ? (
            <>
              <section aria-labelledby="invite-heading" className="border-t border-border pt-4">
                <h3 id="invite-heading" className="mb-2 text-sm font-medium">
                  Invite a member
                </h3>
                <InviteForm />
              </section>
              <section
                aria-labelledby="pending-invitations"
                className="border-t border-border pt-4"
              >
                <h3 id="pending-invitations" className="mb-2 text-sm font-medium">
                  Pending invitations
                </h3>
                {members.data.invitations.length === 0 ? (
                  <p className="text-sm text-muted">No pending invitations.</p>
                ) : (
                  <DataTable
                    caption="Pending invitations"
                    testId="invitations-table"
                    framed={false}
                    columns={[
                      { label: 'Email' },
                      { label: 'Role' },
                      { label: 'Sent' },
                      { label: 'Expires' },
                      { label: 'Actions', srOnly: true },
                    ]}
                  >
                    {members.data.invitations.map((i) => (
                      <tr
                        key={i.id}
                        className="border-b border-border last:border-0"
                        data-testid="invitation-row"
                      >
                        <td className="px-4 py-2">{i.email}</td>
                        <td className="px-4 py-2">
                          <Tag>{i.role}</Tag>
                        </td>
                        <td className="px-4 py-2 text-muted" title={dateTime(i.createdAt)}>
                          {relativeTime(i.createdAt)}
                        </td>
                        <td className="px-4 py-2 text-muted" title={dateTime(i.expiresAt)}>
                          {relativeTime(i.expiresAt)}
                        </td>
                        <td className="px-4 py-2 text-right">
                          <Button
                            size="sm"
                            variant="ghost"
                            aria-label={`Revoke the invitation of ${i.email}`}
                            disabled={revoke.isPending && revoke.variables.invitationId === i.id}
                            onClick={() => {
                              resetAll();
                              setPending({ kind: 'revoke', invitation: i });
                            }}
                            data-testid="invitation-revoke"
                          >
                            Revoke
                          </Button>
                        </td>
                      </tr>
                    ))}
                  </DataTable>
                )}
              </section>
            </>
          ) : null}
        </div>
      )}

      <ConfirmDialog
        open={pending?.kind === 'demote-self'}
        onOpenChange={(open) => (open ? null : setPending(null))}
        title="Lower your own role?"
        description={
          pending?.kind === 'demote-self'
            ? `You will be ${pending.role} in ${team.name}. ${
                isBelow(pending.role, 'admin')
                  ? 'You will no longer manage members, tokens or secrets, and cannot undo this yourself.'
                  : 'Only another owner can make you owner again.'
              }`
            : ''
        }
        confirmLabel="Lower my role"
        danger
        onConfirm={() => {
          if (pending?.kind !== 'demote-self') return;
          changeRole.mutate({
            teamSlug: team.slug,
            userId: pending.member.userId,
            role: pending.role,
          });
        }}
      />
      <ConfirmDialog
        open={pending?.kind === 'remove'}
        onOpenChange={(open) => (open ? null : setPending(null))}
        title={
          pending?.kind === 'remove' && pending.member.userId === myId
            ? `Leave ${team.name}?`
            : 'Remove this member?'
        }
        description={
          pending?.kind === 'remove'
            ? pending.member.userId === myId
              ? 'You will lose access to this team; only an admin can invite you back.'
              : `${pending.member.email} will lose access to ${team.name} at once.`
            : ''
        }
        confirmLabel={
          pending?.kind === 'remove' && pending.member.userId === myId ? 'Leave' : 'Remove'
        }
        danger
        onConfirm={() => {
          if (pending?.kind !== 'remove') return;
          remove.mutate({ teamSlug: team.slug, userId: pending.member.userId });
        }}
      />
      <ConfirmDialog
        open={pending?.kind === 'revoke'}
        onOpenChange={(open) => (open ? null : setPending(null))}
        title="Revoke this invitation?"
        description={
          pending?.kind === 'revoke'
            ? `The link sent to ${pending.invitation.email} will stop working.`
            : ''
        }
        confirmLabel="Revoke"
        danger
        onConfirm={() => {
          if (pending?.kind !== 'revoke') return;
          revoke.mutate({ teamSlug: team.slug, invitationId: pending.invitation.id });
        }}
      />
    </Card>
  );
}
