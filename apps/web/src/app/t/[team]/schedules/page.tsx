import type { Metadata } from 'next';
import { SchedulesList } from '@/features/schedules/SchedulesList';

export const metadata: Metadata = { title: 'Schedules' };

export default function SchedulesPage() {
  return <SchedulesList />;
}
