import type { Metadata } from 'next';
import { SchedulesPage } from '@/features/schedules/SchedulesPage';

export const metadata: Metadata = { title: 'Schedules' };

export default function SchedulesRoute() {
  return <SchedulesPage />;
}
