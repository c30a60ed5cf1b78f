import type { Metadata } from 'next';
import { RunPage } from '@/features/runs/RunPage';
import { runOr404 } from '@/features/runs/runOr404';

export const dynamic = 'force-dynamic';

type Params = Promise<{ team: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { team, id } = await params;
  const run = await runOr404(team, id);
  return { title: `Run #${run.number} · ${run.workflowName}` };
}

export default async function Page({ params }: { params: Params }) {
  const { team, id } = await params;
  // Checked on the server so an unknown or foreign run answers with a real 404.
  const run = await runOr404(team, id);
  return <RunPage runId={run.id} versionId={run.versionId} />;
}
