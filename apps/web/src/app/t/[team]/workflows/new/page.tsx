import type { Metadata } from 'next';
import { WorkflowEditor } from '@/features/editor/WorkflowEditor';

export const metadata: Metadata = { title: 'New workflow' };

export default function NewWorkflowPage() {
  return (
    <WorkflowEditor
      initial={{ workflow: { name: 'new-workflow', tasks: {} }, positions: {} }}
      existing={null}
    />
  );
}
