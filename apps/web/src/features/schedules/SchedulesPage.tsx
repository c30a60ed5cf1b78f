'use client';
import { Tabs } from 'radix-ui';
import { useSearchParams } from 'next/navigation';
import { PageBody } from '@/components/shell/AppShell';
import { PageHeader } from '@/components/ui/page';
import { Tab, TabList } from '@/components/ui/tabs';
import { BackfillsSection } from '@/features/backfills/BackfillsSection';
import { TriggersSection } from '@/features/triggers/TriggersSection';
import { replaceSearchParams } from '@/lib/searchParams';
import { ScheduleCalendar } from './ScheduleCalendar';
import { SchedulesList } from './SchedulesList';
import { SCHEDULES_TABS, tabOf, tabParam, type SchedulesTab } from './schedulesTab';

const LABELS: Record<SchedulesTab, string> = {
  schedules: 'Schedules',
  triggers: 'Triggers',
  backfills: 'Backfills',
};

/** What starts runs without a person: schedules and their calendar, webhooks, backfills. */
export function SchedulesPage() {
  const tab = tabOf(useSearchParams().get('tab'));
  return (
    <PageBody>
      <PageHeader
        title="Schedules"
        subtitle="What starts the team's workflows on its own: cron schedules, webhook triggers and backfills of past dates."
      />
      <Tabs.Root
        value={tab}
        onValueChange={(v) => replaceSearchParams({ tab: tabParam(tabOf(v)) })}
        className="flex flex-col gap-4"
      >
        <TabList label="Schedules, triggers and backfills">
          {SCHEDULES_TABS.map((t) => (
            <Tab key={t} value={t} testId={`tab-${t}`}>
              {LABELS[t]}
            </Tab>
          ))}
        </TabList>
        <Tabs.Content value="schedules" className="flex flex-col gap-4">
          <SchedulesList />
          <ScheduleCalendar />
        </Tabs.Content>
        <Tabs.Content value="triggers">
          <TriggersSection />
        </Tabs.Content>
        <Tabs.Content value="backfills">
          <BackfillsSection />
        </Tabs.Content>
      </Tabs.Root>
    </PageBody>
  );
}
