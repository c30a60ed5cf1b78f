'use client';
import { PageBody } from '@/components/shell/AppShell';
import { PageHeader } from '@/components/ui/page';
import { ChannelsCard } from './ChannelsCard';
import { IncidentsCard } from './IncidentsCard';
import { RulesCard } from './RulesCard';

/** `/t/<team>/alerts`: incidents and what was sent, the channels, the rules. */
export function AlertsPage() {
  return (
    <PageBody>
      <PageHeader
        title="Alerts"
        subtitle="Incidents the scheduler opened from the rules, the messages sent for them, and where they go."
      />
      <div className="flex flex-col gap-4">
        <IncidentsCard />
        <ChannelsCard />
        <RulesCard />
      </div>
    </PageBody>
  );
}
