import type { Metadata } from 'next';
import { WorkflowsList } from '@/features/workflows/WorkflowsList';

export const metadata: Metadata = { title: 'Workflows' };

export default function WorkflowsPage() {
  return <WorkflowsList />;
}
