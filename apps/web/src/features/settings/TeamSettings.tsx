'use client';
import { PageBody } from '@/components/shell/AppShell';
import { useCan, useTeam } from '@/components/shell/team';
import { PageHeader } from '@/components/ui/page';
import { AuditLogCard } from './AuditLogCard';
import { MembersCard } from './MembersCard';
import { RetentionCard } from './RetentionCard';
import { SecretsCard } from './SecretsCard';
import { TeamCard } from './TeamCard';
import { TokensCard } from './TokensCard';

/**
 * The team's settings: the team's name, members and invitations, API tokens, secrets, retention and
 * the audit log. Admins change them; everyone else sees what they may see and, instead of controls, what it
 * takes to change it. The API checks every change again.
 */
export function TeamSettings() {
  const team = useTeam();
  const isAdmin = useCan('admin');
  return (
    <PageBody>
      <PageHeader
        title="Settings"
        subtitle={
          isAdmin
            ? `Team ${team.name}: its name, members, API tokens, secrets, retention and audit log.`
            : `Team ${team.name}. You are ${team.role}: changing these settings needs the admin role.`
        }
      />
      <div className="flex flex-col gap-4">
        <TeamCard />
        <MembersCard />
        <TokensCard />
        <SecretsCard />
        <RetentionCard />
        <AuditLogCard />
      </div>
    </PageBody>
  );
}
