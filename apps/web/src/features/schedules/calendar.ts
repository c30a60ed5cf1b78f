// The coming days' fires of a team's schedules, bucketed for the calendar: days (in the viewer's
// zone) as columns, hours as rows, fires of the same minute in one slot so collisions show. Fire
// instants come from @dtss/core (each schedule in its own zone, within its start and end dates),
// exactly as the scheduler computes them; this module only counts and places them.
import { cronFiresBetween, normalizeTimeZone, parseCron } from '@dtss/core';

export interface CalendarSchedule {
  id: string;
  name: string;
  workflowId: string;
  workflowName: string;
  cron: string;
  timezone: string;
  startAt: Date | null;
  endAt: Date | null;
}

export interface CalendarFire {
  at: Date;
  schedule: CalendarSchedule;
}

/** The fires of one minute of one day: more than one is a collision. */
export interface CalendarSlot {
  /** "HH:MM" in the calendar's zone. */
  time: string;
  fires: CalendarFire[];
}

export interface CalendarDay {
  /** "YYYY-MM-DD" in the calendar's zone. */
  key: string;
  /** Midnight UTC of that date: format it with timeZone "UTC" to name the day. */
  date: Date;
  /** Slots by hour (0-23), each hour's slots in time order. */
  hours: Map<number, CalendarSlot[]>;
}

export interface ScheduleFireCount {
  /** Fires placed in the calendar (at most `perSchedule`). */
  shown: number;
  /** Fires in the calendar's days; a lower bound when `atLeast`. */
  total: number;
  atLeast: boolean;
}

export interface Calendar {
  zone: string;
  days: CalendarDay[];
  /** Hours with at least one fire on some day, in order: the rows. */
  hours: number[];
  counts: Map<string, ScheduleFireCount>;
  /** Schedules whose cron or zone @dtss/core refuses (stored before a rule changed). */
  unreadable: CalendarSchedule[];
}

export interface CalendarOptions {
  now: Date;
  /** The zone the days and hours are read in (the viewer's). */
  zone: string;
  days?: number;
  /** Fires placed per schedule; the rest are counted ("+N more"). */
  perSchedule?: number;
  /** Fires counted per schedule before saying "at least". */
  countLimit?: number;
}

export const CALENDAR_DAYS = 7;
export const FIRES_PER_SCHEDULE = 200;
export const FIRE_COUNT_LIMIT = 10_000;
const DAY_MS = 86_400_000;

export function buildCalendar(
  schedules: readonly CalendarSchedule[],
  opts: CalendarOptions,
): Calendar {
  const dayCount = opts.days ?? CALENDAR_DAYS;
  const perSchedule = opts.perSchedule ?? FIRES_PER_SCHEDULE;
  const countLimit = opts.countLimit ?? FIRE_COUNT_LIMIT;
  const local = localClock(opts.zone);
  const today = local(opts.now);
  const days: CalendarDay[] = Array.from({ length: dayCount }, (_, i) => {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
    return { key: date.toISOString().slice(0, 10), date, hours: new Map() };
  });
  const byKey = new Map(days.map((d) => [d.key, d]));
  const lastKey = days[days.length - 1]!.key;
  // Local days are at most 25 h long: a day more than the columns covers the last one whole.
  const windowEnd = opts.now.getTime() + (dayCount + 1) * DAY_MS;
  const counts = new Map<string, ScheduleFireCount>();
  const unreadable: CalendarSchedule[] = [];
  const slots = new Map<string, CalendarSlot>();

  for (const s of schedules) {
    const spec = parseCron(s.cron);
    const zone = normalizeTimeZone(s.timezone);
    if (!spec.ok || !zone.ok) {
      unreadable.push(s);
      continue;
    }
    // Within [startAt, endAt], both inclusive, like nextFireAfter.
    const after = Math.max(opts.now.getTime(), (s.startAt?.getTime() ?? -Infinity) - 1);
    const until = Math.min(windowEnd, s.endAt?.getTime() ?? Infinity);
    const fires =
      until > after
        ? cronFiresBetween(spec.cron, zone.zone, new Date(after), new Date(until), countLimit + 1)
        : [];
    // Fires are in order: the first one past the last day ends the count.
    const inDays = firstIndex(fires, (f) => local(f).key > lastKey);
    let shown = 0;
    for (const at of fires.slice(0, Math.min(inDays, perSchedule))) {
      const t = local(at);
      const day = byKey.get(t.key);
      if (!day) continue;
      const time = `${pad(t.hour)}:${pad(t.minute)}`;
      const slotKey = `${t.key} ${time}`;
      let slot = slots.get(slotKey);
      if (!slot) {
        slot = { time, fires: [] };
        slots.set(slotKey, slot);
        const hour = day.hours.get(t.hour) ?? [];
        hour.push(slot);
        day.hours.set(t.hour, hour);
      }
      slot.fires.push({ at, schedule: s });
      shown += 1;
    }
    const atLeast = inDays > countLimit;
    counts.set(s.id, { shown, total: atLeast ? countLimit : inDays, atLeast });
  }

  const hours = new Set<number>();
  for (const day of days) {
    for (const [hour, list] of day.hours) {
      hours.add(hour);
      list.sort((a, b) => a.time.localeCompare(b.time));
      for (const slot of list) slot.fires.sort((a, b) => a.at.getTime() - b.at.getTime());
    }
  }
  return {
    zone: opts.zone,
    days,
    hours: [...hours].sort((a, b) => a - b),
    counts,
    unreadable,
  };
}

/** The first slots of a cell, and how many fires the rest hold ("+N more"). */
export function visibleSlots(
  slots: readonly CalendarSlot[],
  max: number,
): { shown: CalendarSlot[]; hiddenFires: number } {
  const shown = slots.slice(0, max);
  const hiddenFires = slots.slice(max).reduce((n, s) => n + s.fires.length, 0);
  return { shown, hiddenFires };
}

interface LocalTime {
  key: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** Reads instants as calendar dates and times of a zone (Intl; no zone rules of our own). */
function localClock(zone: string): (at: Date) => LocalTime {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  });
  return (at) => {
    const parts: Record<string, number> = {};
    for (const p of fmt.formatToParts(at))
      if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const year = parts.year!;
    const month = parts.month!;
    const day = parts.day!;
    return {
      key: `${year}-${pad(month)}-${pad(day)}`,
      year,
      month,
      day,
      hour: parts.hour! % 24,
      minute: parts.minute!,
    };
  };
}

/** The first index whose item satisfies `past` (monotone: false…false true…true), or the length. */
function firstIndex<T>(items: readonly T[], past: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (past(items[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
