import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/AppShell';
import { TeamProvider } from '@/components/shell/team';
import { requireUser } from '@/server/session';
import { serverApi } from '@/trpc/server';

export const dynamic = 'force-dynamic';

/** Every team page: the signed-in shell, for members of the team in the URL only (else 404). */
export default async function TeamLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ team: string }>;
}) {
  const user = await requireUser();
  const { team: slug } = await params;
  const teams = await (await serverApi()).teams.list();
  const team = teams.find((t) => t.slug === slug);
  if (!team) notFound();
  return (
    <TeamProvider team={{ id: team.id, slug: team.slug, name: team.name, role: team.role }}>
      <AppShell
        teams={teams.map((t) => ({ slug: t.slug, name: t.name, role: t.role }))}
        userEmail={user.email}
      >
        {children}
      </AppShell>
    </TeamProvider>
  );
}
