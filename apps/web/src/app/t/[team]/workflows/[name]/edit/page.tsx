import { compactWorkflow } from '@dtss/core';
import type { Metadata } from 'next';
import { WorkflowEditor } from '@/features/editor/WorkflowEditor';
import type { WorkflowDoc } from '@/features/editor/model';
import { workflowOr404 } from '@/server/workflows';

export const dynamic = 'force-dynamic';

type Params = Promise<{ team: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Edit ${decodeURIComponent((await params).name)}` };
}

/** The editor on the current version: the definition in its short form, with its stored layout. */
export default async function EditWorkflowPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: Promise<{ created?: string | string[] }>;
}) {
  const { team, name } = await params;
  const { created } = await searchParams;
  const wf = await workflowOr404(team, decodeURIComponent(name));
  const v = wf.currentVersion;
  const workflow = (
    v ? compactWorkflow(v.definition) : { name: wf.name, tasks: {} }
  ) as WorkflowDoc;
  return (
    <WorkflowEditor
      initial={{
        workflow,
        positions: (v?.layout as Record<string, { x: number; y: number }> | null) ?? {},
      }}
      existing={{ id: wf.id, name: wf.name, version: v?.version ?? null }}
      createdVersion={created === String(v?.version) ? v!.version : null}
    />
  );
}
