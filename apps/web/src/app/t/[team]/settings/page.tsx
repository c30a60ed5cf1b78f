import type { Metadata } from 'next';
import { TeamSettings } from '@/features/settings/TeamSettings';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage() {
  return <TeamSettings />;
}
