// A time zone's UTC offset at an instant, and the offset change (DST transition) around a local
// day, from the runtime's time zone database through Intl. Instants and offsets are whole seconds.
import { daysFromCivil, SECONDS_PER_DAY } from './calendar';

/** The offsets in force around one local calendar day, and the transition between them if any. */
export interface DayOffsets {
  /** Offset (local minus UTC, seconds) before the transition, or all day when there is none. */
  before: number;
  /** Offset after the transition; equal to `before` when there is none. */
  after: number;
  /** The first instant (epoch seconds) at the `after` offset; null when the offset is constant. */
  transition: number | null;
}

/** Date holds instants up to 10^8 days either side of 1970. */
const DATE_LIMIT_SECONDS = 100_000_000 * SECONDS_PER_DAY;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Local wall-clock time minus UTC, in seconds, at `epochSeconds` (throws RangeError for an unknown zone). */
export function offsetSecondsAt(timeZone: string, epochSeconds: number): number {
  if (timeZone === 'UTC') return 0;
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  // Intl only takes instants inside Date's range; outside it, the offset at its edge stands.
  const instant = Math.min(Math.max(epochSeconds, -DATE_LIMIT_SECONDS), DATE_LIMIT_SECONDS);
  for (const part of formatterFor(timeZone).formatToParts(instant * 1000)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value) % 24;
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      case 'era':
        bc = part.value.startsWith('B');
        break;
    }
  }
  if (bc) year = 1 - year;
  const local =
    daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
  return local - instant;
}

const dayCache = new Map<string, DayOffsets>();
const DAY_CACHE_LIMIT = 10_000;

/**
 * Offsets around local day `dayNumber` (days since 1970-01-01 on the zone's calendar). Offsets are
 * under a day, so every instant of that local day lies in the three days probed; this assumes, as
 * every real zone's rules do, at most one transition within those three days.
 */
export function dayOffsets(timeZone: string, dayNumber: number): DayOffsets {
  const key = `${timeZone} ${dayNumber}`;
  const cached = dayCache.get(key);
  if (cached) return cached;
  const result = computeDayOffsets(timeZone, dayNumber);
  // The scheduler keeps asking about the same few days; a full clear keeps memory bounded.
  if (dayCache.size >= DAY_CACHE_LIMIT) dayCache.clear();
  dayCache.set(key, result);
  return result;
}

function computeDayOffsets(timeZone: string, dayNumber: number): DayOffsets {
  let low = (dayNumber - 1) * SECONDS_PER_DAY;
  let high = (dayNumber + 2) * SECONDS_PER_DAY;
  const before = offsetSecondsAt(timeZone, low);
  const after = offsetSecondsAt(timeZone, high);
  if (before === after) return { before, after, transition: null };
  // Binary search for the first second at the new offset.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetSecondsAt(timeZone, middle) === before) low = middle;
    else high = middle;
  }
  return { before, after, transition: high };
}
