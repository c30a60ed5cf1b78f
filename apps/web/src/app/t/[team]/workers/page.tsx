import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { SystemStatus } from '@/features/workers/SystemStatus';
import { readHealth } from '@/server/health';
import { requireUser } from '@/server/session';
import { serverApi } from '@/trpc/server';

export const metadata: Metadata = { title: 'Workers' };
export const dynamic = 'force-dynamic';

/**
 * The database part of the status is read here, on the server: no API procedure gives it. The page
 * checks the user and the team itself, because layouts and pages render in parallel (and a client
 * navigation re-renders the page alone), so the layout's check does not guard this read.
 */
export default async function WorkersPage({ params }: { params: Promise<{ team: string }> }) {
  await requireUser();
  const { team } = await params;
  const teams = await (await serverApi()).teams.list();
  if (!teams.some((t) => t.slug === team)) notFound();
  const health = await readHealth();
  return <SystemStatus database={health.database} checkedAt={health.time} />;
}
