// The tab of the schedules page, kept in the URL (`?tab=triggers`): a view can be linked.

export const SCHEDULES_TABS = ['schedules', 'triggers', 'backfills'] as const;
export type SchedulesTab = (typeof SCHEDULES_TABS)[number];

export function tabOf(param: string | null | undefined): SchedulesTab {
  return (SCHEDULES_TABS as readonly string[]).includes(param ?? '')
    ? (param as SchedulesTab)
    : 'schedules';
}

/** The query value for a tab: none for the first one, so the plain URL stays the default. */
export function tabParam(tab: SchedulesTab): string | null {
  return tab === 'schedules' ? null : tab;
}
