import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { signOutAction } from '@/app/(auth)/actions';
import { AuthCard, AuthShell } from '@/app/(auth)/AuthCard';
import { CreateTeamForm } from '@/app/(auth)/forms';
import { requireUser } from '@/server/session';
import { serverApi } from '@/trpc/server';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'No team yet' };

/**
 * `/`: sign-in for visitors, else the first team's workflows. A user who belongs to no team (they
 * left it, or it was deleted) gets the auth pages' card: create a team, or open an invitation.
 */
export default async function HomePage() {
  const user = await requireUser();
  const teams = await (await serverApi()).teams.list();
  const first = teams[0];
  if (first) redirect(`/t/${encodeURIComponent(first.slug)}/workflows`);
  return (
    <AuthShell>
      <AuthCard
        title="No team yet"
        subtitle={
          <>
            Signed in as <strong className="font-medium text-fg">{user.email}</strong>. You are not
            a member of any team: create one, or join one with an invitation.
          </>
        }
        testId="no-team"
        footer={
          <form action={signOutAction} className="flex items-center justify-center gap-1">
            Not {user.email}?
            <button type="submit" className="text-accent underline underline-offset-2">
              Sign out
            </button>
          </form>
        }
      >
        <CreateTeamForm />
        <p className="border-t border-border pt-4 text-sm text-muted">
          To join a team, ask one of its admins for an invitation link and open it while signed in
          as {user.email}.
        </p>
      </AuthCard>
    </AuthShell>
  );
}
