// When a cron schedule fires: matching local times turned into instants in the schedule's time
// zone, with cronie's daylight-saving rules.
//
// The search walks local calendar days that match the day fields (skipping whole months that do
// not match), and within a day jumps from one matching time to the next. Each day's offsets come
// from zoneOffset.ts; a day with a transition is read in two phases, before and after it:
//
// - Spring forward (a gap of local times that never happen): a wildcard schedule skips the gap;
//   a fixed-time schedule due in the gap fires once, at the transition (the first instant after).
// - Fall back (a repeated range of local times): a wildcard schedule fires on both passes; a
//   fixed-time schedule on the first only.
//
// Within a transition day, every instant of phase one precedes the transition and every instant of
// phase two follows it, so fires come out in order without sorting.
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  SECONDS_PER_DAY,
  weekdayOfDays,
} from './calendar';
import {
  canEverMatch,
  cronMatcher,
  dayMatches,
  monthMatches,
  nextTimeOfDay,
  type CronMatcher,
} from './match';
import type { CronSpec } from './parse';
import { dayOffsets, offsetSecondsAt } from './zoneOffset';

/**
 * Fixed-time (neither the minute nor the hour field starts with `*`) or wildcard: cronie's split
 * that decides what a schedule does at DST transitions. The seconds field does not count, as the
 * issue defining our semantics says: `* 30 2 * * *` is due at 02:30 like `30 2 * * *`.
 */
export function isFixedTimeCron(spec: CronSpec): boolean {
  return !spec.minuteStar && !spec.hourStar;
}

/** Fire instants strictly after `after`, in order, at most `count`. Never throws for a valid spec/zone. */
export function nextCronFires(
  spec: CronSpec,
  timeZone: string,
  after: Date,
  count: number,
): Date[] {
  return collectFires(spec, timeZone, after.getTime(), Infinity, count);
}

/** Fire instants t with after < t <= until, in order, at most `limit` (the scheduler's catch-up and backfill use it). */
export function cronFiresBetween(
  spec: CronSpec,
  timeZone: string,
  after: Date,
  until: Date,
  limit: number,
): Date[] {
  return collectFires(spec, timeZone, after.getTime(), until.getTime(), limit);
}

/** Date's range: ±10^8 days around 1970. */
const LAST_DAY = 100_000_000 - 2;
/** The Gregorian calendar repeats after 400 years: a spec silent that long never fires again. */
const DAYS_IN_400_YEARS = 146_097;

function collectFires(
  spec: CronSpec,
  timeZone: string,
  afterMs: number,
  untilMs: number,
  limit: number,
): Date[] {
  const fires: Date[] = [];
  if (!(limit >= 1) || Number.isNaN(afterMs) || Number.isNaN(untilMs) || untilMs <= afterMs) {
    return fires;
  }
  if (!canEverMatch(spec)) return fires;
  // Fires fall on whole seconds; "strictly after" a fractional instant starts at the next second.
  // Clamped to Date's range, which no fire can leave.
  const first = Math.max(Math.floor(afterMs / 1000) + 1, -LAST_DAY * SECONDS_PER_DAY);
  const until = Math.min(Math.floor(untilMs / 1000), LAST_DAY * SECONDS_PER_DAY);
  if (first > until) return fires;
  const search = new FireSearch(
    cronMatcher(spec),
    timeZone,
    first,
    until,
    Math.floor(limit),
    fires,
  );
  search.run();
  return fires;
}

class FireSearch {
  private readonly fixedTime: boolean;
  /** The last instant emitted (or first - 1): fires must be strictly later. */
  private last: number;
  private done = false;
  /** The last day that produced a fire (or the first day searched), for the 400-year cutoff. */
  private lastFireDay = 0;

  constructor(
    private readonly matcher: CronMatcher,
    private readonly timeZone: string,
    private readonly first: number,
    private readonly until: number,
    private readonly limit: number,
    private readonly fires: Date[],
  ) {
    this.fixedTime = isFixedTimeCron(matcher.spec);
    this.last = first - 1;
  }

  run(): void {
    // Start a day early: a fall-back transition can repeat local times of the previous day.
    const startDay =
      Math.floor((this.first + offsetSecondsAt(this.timeZone, this.first)) / SECONDS_PER_DAY) - 1;
    // Local days after this one hold no instant ≤ until (offsets are under a day).
    const endDay = Math.min(Math.floor(this.until / SECONDS_PER_DAY) + 1, LAST_DAY);
    this.lastFireDay = startDay;
    let { year, month, day } = civilFromDays(startDay);
    while (!this.done) {
      const monthStart = daysFromCivil(year, month, 1);
      if (monthStart > endDay || monthStart > this.lastFireDay + DAYS_IN_400_YEARS) return;
      if (monthMatches(this.matcher, month)) {
        const length = daysInMonth(year, month);
        for (; day <= length && !this.done; day++) {
          const dayNumber = monthStart + day - 1;
          if (dayNumber > endDay) return;
          if (dayMatches(this.matcher, day, weekdayOfDays(dayNumber))) this.searchDay(dayNumber);
        }
      }
      day = 1;
      month += 1;
      if (month > 12) {
        month = 1;
        year += 1;
      }
    }
  }

  private searchDay(dayNumber: number): void {
    const dayStart = dayNumber * SECONDS_PER_DAY;
    const dayEnd = dayStart + SECONDS_PER_DAY;
    const { before, after, transition } = dayOffsets(this.timeZone, dayNumber);
    if (transition === null) {
      this.searchLocal(dayStart, dayStart, dayEnd, before);
      return;
    }
    // Local times are seconds since 1970 on the local calendar; `transition` is an instant.
    this.searchLocal(dayStart, dayStart, Math.min(dayEnd, transition + before), before);
    if (this.fixedTime && after > before) {
      const gapStart = Math.max(dayStart, transition + before);
      const gapEnd = Math.min(dayEnd, transition + after);
      if (gapStart < gapEnd) {
        const due = nextTimeOfDay(this.matcher, gapStart - dayStart);
        if (due >= 0 && dayStart + due < gapEnd) this.emit(transition, dayNumber);
      }
    }
    // A fixed-time schedule does not fire again in the repeated local times of a fall back.
    const resume = transition + (this.fixedTime ? Math.max(before, after) : after);
    this.searchLocal(dayStart, Math.max(dayStart, resume), dayEnd, after);
  }

  /** Emits the matching local times in [from, to) of the day starting at `dayStart`, at `offset`. */
  private searchLocal(dayStart: number, from: number, to: number, offset: number): void {
    let secondOfDay = Math.max(from, this.first + offset) - dayStart;
    const end = to - dayStart;
    while (!this.done && secondOfDay < end) {
      const next = nextTimeOfDay(this.matcher, secondOfDay);
      if (next < 0 || next >= end) return;
      this.emit(dayStart + next - offset, Math.floor(dayStart / SECONDS_PER_DAY));
      secondOfDay = next + 1;
    }
  }

  private emit(instant: number, dayNumber: number): void {
    if (this.done) return;
    if (instant > this.until) {
      this.done = true;
      return;
    }
    // Several gap times share the transition instant as their fire: keep one.
    if (instant <= this.last) return;
    this.last = instant;
    this.lastFireDay = dayNumber;
    this.fires.push(new Date(instant * 1000));
    if (this.fires.length >= this.limit) this.done = true;
  }
}
