import { redirect } from 'next/navigation';
import { requireUser } from '@/server/session';
import { serverApi } from '@/trpc/server';

export const dynamic = 'force-dynamic';

/** `/`: sign-in for visitors, else the first team's workflows. */
export default async function HomePage() {
  await requireUser();
  const teams = await (await serverApi()).teams.list();
  const first = teams[0];
  if (!first) {
    return (
      <main className="auth-page">
        <h1>No team yet</h1>
        <p className="muted">
          You are not a member of any team. Ask a team admin for an invitation link.
        </p>
      </main>
    );
  }
  redirect(`/t/${encodeURIComponent(first.slug)}/workflows`);
}
