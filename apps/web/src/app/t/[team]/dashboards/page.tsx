import type { Metadata } from 'next';
import { Overview } from '@/features/dashboards/Overview';

export const metadata: Metadata = { title: 'Dashboards' };

export default function DashboardsPage() {
  return <Overview />;
}
