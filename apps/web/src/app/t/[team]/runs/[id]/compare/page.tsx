import type { Metadata } from 'next';
import { ComparePage } from '@/features/runs/compare/ComparePage';
import { runOr404 } from '@/features/runs/runOr404';

export const dynamic = 'force-dynamic';

type Params = Promise<{ team: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { team, id } = await params;
  const run = await runOr404(team, id);
  return { title: `Compare run #${run.number} · ${run.workflowName}` };
}

/** `/t/<team>/runs/<id>/compare?with=<otherId>`: the run (A) next to another run (B). */
export default async function Page({ params }: { params: Params }) {
  const { team, id } = await params;
  // Checked on the server so an unknown or foreign run answers with a real 404; the other run
  // (`?with=`) is read in the browser, where a foreign or unknown one is said in the page.
  const run = await runOr404(team, id);
  return <ComparePage runId={run.id} />;
}
