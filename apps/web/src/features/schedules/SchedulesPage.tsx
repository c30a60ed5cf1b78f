'use client';
import { Tabs } from 'radix-ui';
import { useSearchParams } from 'next/navigation';
import { PageBody } from '@/components/shell/AppShell';
import { PageHeader } from '@/components/ui/page';
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
        <Tabs.List
          aria-label="Schedules, triggers and backfills"
          className="flex gap-1 border-b border-border"
        >
          {SCHEDULES_TABS.map((t) => (
            <Tabs.Trigger
              key={t}
              value={t}
              data-testid={`tab-${t}`}
              className="-mb-px border-b-2 border-transparent px-3 py-1.5 text-sm text-muted data-[state=active]:border-accent data-[state=active]:text-fg"
            >
              {LABELS[t]}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
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
