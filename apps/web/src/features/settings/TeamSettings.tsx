'use client';
import { useQuery } from '@tanstack/react-query';
import { Info, Lock } from 'lucide-react';
import type { ReactNode } from 'react';
import { PageBody } from '@/components/shell/AppShell';
import { useCan, useTeam } from '@/components/shell/team';
import { Card, PageHeader } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { Tag } from '@/components/ui/status';
import { dateTime, relativeTime } from '@/lib/format';
import { errorCode } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { StateLabel } from '@/components/ui/StateLabel';

/** The team's settings, read-only for now: the team, its members and its API tokens. */
export function TeamSettings() {
  const team = useTeam();
  return (
    <PageBody>
      <PageHeader title="Settings" subtitle={`Team ${team.name}: its members and API tokens.`} />
      <div
        className="mb-4 flex items-start gap-2 rounded-lg border border-border bg-panel px-4 py-3 text-sm text-muted"
        role="note"
        data-testid="settings-readonly-note"
      >
        <Info aria-hidden size={16} className="mt-0.5 shrink-0 text-info" />
        <p>
          These settings are read-only for now. Inviting and removing members, changing roles,
          creating and revoking API tokens and managing secrets will come to this page in a later
          release.
        </p>
      </div>
      <div className="flex flex-col gap-4">
        <TeamCard />
        <MembersCard />
        <TokensCard />
      </div>
    </PageBody>
  );
}

function TeamCard() {
  const trpc = useTRPC();
  const team = useTeam();
  const q = useQuery(trpc.teams.get.queryOptions({ teamSlug: team.slug }));
  return (
    <Card title="Team">
      {q.isPending ? (
        <SkeletonRows rows={3} />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => void q.refetch()} />
      ) : (
        <dl
          className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-6 gap-y-2 text-sm"
          data-testid="team-details"
        >
          <dt className="text-muted">Name</dt>
          <dd data-testid="team-name">{q.data.name}</dd>
          <dt className="text-muted">Slug</dt>
          <dd>
            <code className="font-mono text-xs" data-testid="team-slug">
              {q.data.slug}
            </code>
          </dd>
          <dt className="text-muted">Created</dt>
          <dd title={dateTime(q.data.createdAt)}>{relativeTime(q.data.createdAt)}</dd>
          <dt className="text-muted">Your role</dt>
          <dd data-testid="my-role">
            <Tag>{q.data.role}</Tag>
          </dd>
        </dl>
      )}
    </Card>
  );
}

function MembersCard() {
  const trpc = useTRPC();
  const team = useTeam();
  const isAdmin = useCan('admin');
  const members = useQuery(trpc.members.list.queryOptions({ teamSlug: team.slug }));
  // Only to mark "you" in the list; the list does not depend on it.
  const me = useQuery(trpc.auth.me.queryOptions());
  const myId = me.data?.type === 'user' ? me.data.userId : null;

  return (
    <Card title="Members">
      {members.isPending ? (
        <SkeletonRows rows={3} />
      ) : members.isError ? (
        <ErrorState error={members.error} retry={() => void members.refetch()} />
      ) : members.data.members.length === 0 ? (
        <EmptyState title="No members">This team has no members.</EmptyState>
      ) : (
        <div className="flex flex-col gap-4">
          <Table caption="Members of the team" testId="members-table">
            <thead className="border-b border-border text-left text-xs text-muted">
              <tr>
                <Th>Email</Th>
                <Th>Name</Th>
                <Th>Role</Th>
                <Th>Joined</Th>
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((m) => (
                <tr key={m.userId} className="border-b border-border last:border-0">
                  <td className="px-4 py-2">
                    {m.email}
                    {m.userId === myId ? (
                      <span className="ml-2 text-xs text-muted">(you)</span>
                    ) : null}
                  </td>
                  <td className="px-4 py-2 text-muted">{m.name ?? '—'}</td>
                  <td className="px-4 py-2">
                    <Tag>{m.role}</Tag>
                  </td>
                  <td className="px-4 py-2 text-muted" title={dateTime(m.joinedAt)}>
                    {relativeTime(m.joinedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
          {isAdmin ? (
            <section aria-labelledby="pending-invitations">
              <h3 id="pending-invitations" className="mb-2 text-xs font-medium text-muted">
                Pending invitations
              </h3>
              {members.data.invitations.length === 0 ? (
                <p className="text-sm text-muted">No pending invitations.</p>
              ) : (
                <Table caption="Pending invitations" testId="invitations-table">
                  <thead className="border-b border-border text-left text-xs text-muted">
                    <tr>
                      <Th>Email</Th>
                      <Th>Role</Th>
                      <Th>Sent</Th>
                      <Th>Expires</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {members.data.invitations.map((i) => (
                      <tr key={i.id} className="border-b border-border last:border-0">
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
                      </tr>
                    ))}
                  </tbody>
                </Table>
              )}
            </section>
          ) : null}
        </div>
      )}
    </Card>
  );
}

function TokensCard() {
  const trpc = useTRPC();
  const team = useTeam();
  const isAdmin = useCan('admin');
  // Viewers and editors are refused by the API (FORBIDDEN): they are not asked at all.
  const tokens = useQuery({
    ...trpc.tokens.list.queryOptions({ teamSlug: team.slug }),
    enabled: isAdmin,
  });
  const forbidden = !isAdmin || (tokens.isError && errorCode(tokens.error) === 'FORBIDDEN');
  const now = Date.now();

  return (
    <Card title="API tokens">
      {forbidden ? (
        <NeedsAdmin role={team.role}>Seeing the team&apos;s API tokens</NeedsAdmin>
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
        <Table caption="API tokens of the team" testId="tokens-table">
          <thead className="border-b border-border text-left text-xs text-muted">
            <tr>
              <Th>Name</Th>
              <Th>Role</Th>
              <Th>Created</Th>
              <Th>Last used</Th>
              <Th>Expires</Th>
              <Th>State</Th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((t) => {
              const expired = t.expiresAt !== null && new Date(t.expiresAt).getTime() <= now;
              return (
                <tr key={t.id} className="border-b border-border last:border-0">
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
                  <td className="px-4 py-2 text-muted" title={dateTime(t.lastUsedAt)}>
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
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </Card>
  );
}

/** What a role too weak sees instead of an error: what it takes, and who has it. */
function NeedsAdmin({ role, children }: { role: string; children: ReactNode }) {
  return (
    <div className="flex items-start gap-2 text-sm text-muted" data-testid="needs-admin">
      <Lock aria-hidden size={16} className="mt-0.5 shrink-0" />
      <p>
        {children} needs the admin role (you are {role}). Ask an admin or owner of the team (see
        Members above).
      </p>
    </div>
  );
}

function Table({
  caption,
  testId,
  children,
}: {
  caption: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    // Focusable region: these tables hold nothing focusable, yet a keyboard must scroll them (and the
    // page) when they are wider or longer than the screen.
    <div className="-mx-4 overflow-x-auto" tabIndex={0} role="region" aria-label={caption}>
      <table className="w-full text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

function Th({ children }: { children: ReactNode }) {
  return (
    <th scope="col" className="px-4 py-2 font-medium">
      {children}
    </th>
  );
}
