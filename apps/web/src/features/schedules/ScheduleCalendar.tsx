'use client';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTeam } from '@/components/shell/team';
import { Card } from '@/components/ui/page';
import { ErrorState, SkeletonRows } from '@/components/ui/states';
import { useNow } from '@/lib/useNow';
import { useTRPC } from '@/trpc/react';
import {
  buildCalendar,
  visibleSlots,
  type Calendar,
  type CalendarSlot,
  type ScheduleFireCount,
} from './calendar';
import { useBrowserTimeZone } from './TimeZoneSelect';
import type { ScheduleRow } from './types';
import { workflowColors } from './workflowColors';

/** Chips shown per day and hour; the rest are counted. */
const SLOTS_PER_CELL = 4;
const number = new Intl.NumberFormat('en');

/**
 * The coming seven days' fires of every active schedule, computed in the browser by @dtss/core:
 * days as columns and hours as rows (only hours with fires), a chip per minute coloured by
 * workflow, and a count on chips where several fires fall in the same minute.
 */
export function ScheduleCalendar() {
  const trpc = useTRPC();
  const team = useTeam();
  const list = useQuery(trpc.schedules.list.queryOptions({ teamSlug: team.slug }));
  // Re-read once a minute: fires that passed leave the calendar.
  const now = useNow(true, 60_000);
  const minute = Math.floor(now / 60_000) * 60_000;
  const zone = useBrowserTimeZone();
  const active = useMemo(() => (list.data ?? []).filter((s) => s.enabled), [list.data]);
  const colors = useMemo(
    () =>
      workflowColors(
        [...active]
          .sort((a, b) => a.workflowName.localeCompare(b.workflowName))
          .map((s) => s.workflowId),
      ),
    [active],
  );
  const calendar = useMemo(
    () => (zone ? buildCalendar(active, { now: new Date(minute), zone }) : null),
    [active, minute, zone],
  );

  return (
    <Card title="Next 7 days" actions={<span className="text-xs text-muted">Times in {zone}</span>}>
      {list.isPending || !calendar ? (
        <SkeletonRows rows={4} />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : (
        <div className="flex flex-col gap-3">
          <Legend schedules={active} colors={colors} counts={calendar.counts} />
          {calendar.unreadable.length ? (
            <p className="text-xs text-bad">
              Not shown (cron or time zone not readable):{' '}
              {calendar.unreadable.map((s) => `${s.workflowName} / ${s.name}`).join(', ')}
            </p>
          ) : null}
          {calendar.hours.length === 0 ? (
            <p className="text-sm text-muted" data-testid="schedule-calendar-empty">
              {active.length === 0
                ? 'No active schedules: nothing fires in the next 7 days.'
                : 'None of the active schedules fires in the next 7 days.'}
            </p>
          ) : (
            <CalendarGrid calendar={calendar} colors={colors} />
          )}
        </div>
      )}
    </Card>
  );
}

function Legend({
  schedules,
  colors,
  counts,
}: {
  schedules: ScheduleRow[];
  colors: Map<string, string>;
  counts: Map<string, ScheduleFireCount>;
}) {
  if (schedules.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs" aria-label="Schedules in the calendar">
      {schedules.map((s) => {
        const count = counts.get(s.id);
        const more = count ? count.total - count.shown : 0;
        return (
          <li key={s.id} className="flex items-center gap-1.5" data-testid="calendar-legend-item">
            <span
              aria-hidden
              className="h-2.5 w-2.5 shrink-0 rounded-sm"
              style={{ background: colors.get(s.workflowId) }}
            />
            <span>
              {s.workflowName} / {s.name}
            </span>
            <span className="text-muted">
              {count
                ? `${number.format(count.shown)} fire${count.shown === 1 ? '' : 's'}${
                    more > 0
                      ? ` shown, +${number.format(more)}${count.atLeast ? '+' : ''} more`
                      : ''
                  }`
                : ''}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

const dayName = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
});

function CalendarGrid({ calendar, colors }: { calendar: Calendar; colors: Map<string, string> }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full table-fixed border-collapse text-xs" data-testid="schedule-calendar">
        <caption className="sr-only">
          Fires of the active schedules in the next 7 days by day and hour, times in {calendar.zone}
          . Hours without fires are left out.
        </caption>
        <thead>
          <tr>
            <th scope="col" className="w-14 px-1 py-1.5 text-left font-medium text-muted">
              <span className="sr-only">Hour</span>
            </th>
            {calendar.days.map((d, i) => (
              <th
                key={d.key}
                scope="col"
                className="px-1 py-1.5 text-left font-medium"
                data-day={d.key}
              >
                {i === 0 ? 'Today' : dayName.format(d.date)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {calendar.hours.map((hour) => (
            <tr key={hour} className="border-t border-border align-top">
              <th scope="row" className="px-1 py-1 text-left font-mono font-normal text-muted">
                {String(hour).padStart(2, '0')}:00
              </th>
              {calendar.days.map((d) => (
                <td key={d.key} className="px-1 py-1" data-day={d.key} data-hour={hour}>
                  <CalendarCell slots={d.hours.get(hour) ?? []} colors={colors} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CalendarCell({ slots, colors }: { slots: CalendarSlot[]; colors: Map<string, string> }) {
  if (slots.length === 0) return null;
  const { shown, hiddenFires } = visibleSlots(slots, SLOTS_PER_CELL);
  return (
    <ul className="flex flex-col gap-1">
      {shown.map((slot) => (
        <FireChip key={slot.time} slot={slot} colors={colors} />
      ))}
      {hiddenFires > 0 ? (
        <li className="px-1 text-muted" data-testid="calendar-more">
          +{number.format(hiddenFires)} more
        </li>
      ) : null}
    </ul>
  );
}

function FireChip({ slot, colors }: { slot: CalendarSlot; colors: Map<string, string> }) {
  const first = slot.fires[0]!.schedule;
  const color = colors.get(first.workflowId) ?? 'var(--muted)';
  const names = [
    ...new Set(slot.fires.map((f) => `${f.schedule.workflowName} / ${f.schedule.name}`)),
  ];
  const collision = slot.fires.length > 1;
  const workflowIds = [...new Set(slot.fires.map((f) => f.schedule.workflowId))];
  return (
    <li
      className="flex min-w-0 items-center gap-1 rounded border-l-4 px-1 py-0.5"
      style={{
        borderLeftColor: color,
        background: `color-mix(in oklch, ${color} 16%, var(--panel))`,
      }}
      title={`${slot.time} — ${names.join(', ')}`}
      data-testid="calendar-chip"
      data-time={slot.time}
      data-fires={slot.fires.length}
      data-schedules={[...new Set(slot.fires.map((f) => f.schedule.id))].join(' ')}
    >
      <span className="font-mono">{slot.time}</span>
      {collision ? (
        <>
          {workflowIds.slice(1, 4).map((id) => (
            <span
              key={id}
              aria-hidden
              className="h-2 w-2 shrink-0 rounded-full"
              style={{ background: colors.get(id) }}
            />
          ))}
          <span
            className="ml-auto rounded-full bg-fg px-1.5 text-[10px] leading-4 font-semibold text-bg"
            data-testid="calendar-collision"
          >
            <span aria-hidden>×{slot.fires.length}</span>
            <span className="sr-only">
              {slot.fires.length} fires at the same minute: {names.join(', ')}
            </span>
          </span>
        </>
      ) : (
        <span className="min-w-0 truncate">{first.workflowName}</span>
      )}
    </li>
  );
}
