// Whether a local calendar day and time of day match a cron spec, compiled into lookup tables so
// the search can jump to the next matching time instead of stepping second by second.
import { daysFromCivil, weekdayOfDays } from './calendar';
import type { CronSpec } from './parse';

/** Lookup tables of one spec; built once per spec object. */
export interface CronMatcher {
  spec: CronSpec;
  /** Bit n set: value n is allowed. */
  monthBits: number;
  dayOfMonthBits: number;
  dayOfWeekBits: number;
  /** Vixie cron: both day fields restricted → a day matching either fires. */
  eitherDay: boolean;
  /** nextX[v]: the smallest allowed value ≥ v, or -1. */
  nextHour: Int8Array;
  nextMinute: Int8Array;
  nextSecond: Int8Array;
}

const matchers = new WeakMap<CronSpec, CronMatcher>();

export function cronMatcher(spec: CronSpec): CronMatcher {
  let matcher = matchers.get(spec);
  if (!matcher) {
    matcher = {
      spec,
      monthBits: bits(spec.months),
      dayOfMonthBits: bits(spec.daysOfMonth),
      dayOfWeekBits: bits(spec.daysOfWeek.map((d) => d % 7)),
      eitherDay: !spec.dayOfMonthStar && !spec.dayOfWeekStar,
      nextHour: nextTable(spec.hours, 24),
      nextMinute: nextTable(spec.minutes, 60),
      nextSecond: nextTable(spec.seconds, 60),
    };
    matchers.set(spec, matcher);
  }
  return matcher;
}

function bits(values: readonly number[]): number {
  let mask = 0;
  for (const v of values) if (Number.isInteger(v) && v >= 0 && v < 32) mask |= 1 << v;
  return mask;
}

function nextTable(values: readonly number[], size: number): Int8Array {
  const table = new Int8Array(size + 1).fill(-1);
  const allowed = new Set(values);
  for (let v = size - 1; v >= 0; v--) table[v] = allowed.has(v) ? v : table[v + 1]!;
  return table;
}

export function monthMatches(matcher: CronMatcher, month: number): boolean {
  return (matcher.monthBits & (1 << month)) !== 0;
}

/** Day-of-month and day-of-week rule for a day of an allowed month (weekday 0 = Sunday). */
export function dayMatches(matcher: CronMatcher, dayOfMonth: number, weekday: number): boolean {
  const byMonthDay = (matcher.dayOfMonthBits & (1 << dayOfMonth)) !== 0;
  const byWeekday = (matcher.dayOfWeekBits & (1 << weekday)) !== 0;
  return matcher.eitherDay ? byMonthDay || byWeekday : byMonthDay && byWeekday;
}

/** The first matching second of the day at or after `secondOfDay` (0-86399), or -1 if none is left. */
export function nextTimeOfDay(matcher: CronMatcher, secondOfDay: number): number {
  const { nextHour, nextMinute, nextSecond } = matcher;
  let hour = Math.floor(secondOfDay / 3600);
  let minute = Math.floor(secondOfDay / 60) % 60;
  let second = secondOfDay % 60;
  while (hour < 24) {
    const h = nextHour[hour]!;
    if (h < 0) return -1;
    if (h > hour) {
      hour = h;
      minute = 0;
      second = 0;
    }
    const m = nextMinute[minute]!;
    if (m < 0) {
      hour += 1;
      minute = 0;
      second = 0;
      continue;
    }
    if (m > minute) {
      minute = m;
      second = 0;
    }
    const s = nextSecond[second]!;
    if (s < 0) {
      minute += 1;
      second = 0;
      if (minute === 60) {
        hour += 1;
        minute = 0;
      }
      continue;
    }
    return hour * 3600 + minute * 60 + s;
  }
  return -1;
}

/** Longest length of each month (February with its leap day). */
const MAX_MONTH_LENGTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * False when no date and time can ever match: an empty field, or (when the day-of-month field
 * decides alone or together with the weekday) days that no selected month has, like "0 0 30 2 *".
 * The calendar repeats every 400 years, so every other combination occurs eventually.
 */
export function canEverMatch(spec: CronSpec): boolean {
  const fields = [
    spec.seconds,
    spec.minutes,
    spec.hours,
    spec.daysOfMonth,
    spec.months,
    spec.daysOfWeek,
  ];
  if (fields.some((values) => values.length === 0)) return false;
  if (!spec.dayOfMonthStar && !spec.dayOfWeekStar) return true;
  return spec.months.some((m) => spec.daysOfMonth.some((d) => d <= (MAX_MONTH_LENGTH[m - 1] ?? 0)));
}

/** Whether a local date and time matches the spec; for tests and checks, not the search. */
export function matchesLocalTime(
  spec: CronSpec,
  local: { year: number; month: number; day: number; hour: number; minute: number; second: number },
): boolean {
  const matcher = cronMatcher(spec);
  const weekday = weekdayOfDays(daysFromCivil(local.year, local.month, local.day));
  const secondOfDay = local.hour * 3600 + local.minute * 60 + local.second;
  return (
    monthMatches(matcher, local.month) &&
    dayMatches(matcher, local.day, weekday) &&
    nextTimeOfDay(matcher, secondOfDay) === secondOfDay
  );
}
