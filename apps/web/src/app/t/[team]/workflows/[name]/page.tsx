import type { Metadata } from 'next';
import { WorkflowPage } from '@/features/workflows/WorkflowPage';
import { workflowOr404 } from '@/server/workflows';

export const dynamic = 'force-dynamic';

type Params = Promise<{ team: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

export default async function Page({ params }: { params: Params }) {
  const { team, name } = await params;
  // Checked on the server so an unknown or foreign workflow answers with a real 404.
  const wf = await workflowOr404(team, decodeURIComponent(name));
  return <WorkflowPage name={wf.name} />;
}
