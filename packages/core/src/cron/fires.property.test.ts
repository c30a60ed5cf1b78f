// Properties of nextCronFires/cronFiresBetween over random expressions, zones and instants near
// DST transitions, checked against a brute-force oracle that walks every minute in real time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cronFiresBetween, isFixedTimeCron, nextCronFires } from './fires';
import { matchesLocalTime } from './match';
import { parseCron, type CronSpec } from './parse';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Zones with a 2026 transition each way (UTC has none), and the transitions' instants. */
const TRANSITIONS: Record<string, string[]> = {
  UTC: ['2026-06-01T00:00:00Z'],
  'America/New_York': ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z'],
  'Europe/Berlin': ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z'],
  'Europe/London': ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z'],
  'Australia/Sydney': ['2026-04-04T16:00:00Z', '2026-10-03T16:00:00Z'],
  'Australia/Lord_Howe': ['2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z'],
  'America/Santiago': ['2026-04-05T03:00:00Z', '2026-09-06T04:00:00Z'],
};

const expression = fc
  .tuple(
    fc.constantFrom('*', '*/15', '0', '30', '0,30', '15,45', '*/7', '5-10', '59'),
    fc.constantFrom('*', '*/2', '0', '1', '2', '3', '1-3', '0,2', '23'),
    fc.constantFrom('*', '1-15', '*/2', '13', '?', '31'),
    fc.constantFrom('*', '*', '*', '3,4,9,10', '1-6'),
    fc.constantFrom('*', '0', 'MON-FRI', '5', '0,6', '?'),
  )
  .map((fields) => fields.join(' '))
  .filter((text) => parseCron(text).ok);

const zoneAndInstant = fc
  .constantFrom(...Object.keys(TRANSITIONS))
  .chain((zone) =>
    fc.record({
      zone: fc.constant(zone),
      transition: fc.constantFrom(...TRANSITIONS[zone]!),
      // Whole minutes, sometimes with seconds and milliseconds, from 36 h before to 12 h after.
      shift: fc.integer({ min: -36 * 60, max: 12 * 60 }),
      fraction: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: MINUTE - 1 })),
    }),
  )
  .map(({ zone, transition, shift, fraction }) => ({
    zone,
    after: new Date(Date.parse(transition) + shift * MINUTE + fraction),
  }));

function spec(text: string): CronSpec {
  const result = parseCron(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.cron;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Local wall-clock fields at an instant, read straight from Intl. */
function localTime(zone: string, ms: number) {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  const parts = Object.fromEntries(
    formatter.formatToParts(ms).map((part) => [part.type, Number(part.value)]),
  );
  const local = {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  return { local, asUtc };
}

/**
 * Every fire in (after, until] by walking each real minute: a minute fires when its local time
 * matches; a fixed-time schedule only on a local time's first pass, and once at the end of a gap
 * of skipped local times of which one matches.
 */
function bruteForce(cron: CronSpec, zone: string, after: number, until: number): number[] {
  const fixed = isFixedTimeCron(cron);
  const fires: number[] = [];
  const start = Math.floor(after / MINUTE) * MINUTE - 26 * HOUR;
  let previous = localTime(zone, start).asUtc;
  let highest = previous;
  for (let t = start + MINUTE; t <= until; t += MINUTE) {
    const { local, asUtc } = localTime(zone, t);
    let fire = matchesLocalTime(cron, local) && (!fixed || asUtc > highest);
    if (fixed && asUtc - previous > MINUTE) {
      // Skipped local minutes between the previous one and this one.
      for (let skipped = previous + MINUTE; skipped < asUtc; skipped += MINUTE) {
        const d = new Date(skipped);
        const skippedLocal = {
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
          hour: d.getUTCHours(),
          minute: d.getUTCMinutes(),
          second: 0,
        };
        if (matchesLocalTime(cron, skippedLocal)) fire = true;
      }
    }
    highest = Math.max(highest, asUtc);
    previous = asUtc;
    if (fire && t > after) fires.push(t);
  }
  return fires;
}

describe('cron fire properties', () => {
  it('are strictly increasing, strictly after `after`, at most `count`, and match in local time', () => {
    fc.assert(
      fc.property(
        expression,
        zoneAndInstant,
        fc.integer({ min: 1, max: 40 }),
        (text, at, count) => {
          const cron = spec(text);
          const fires = nextCronFires(cron, at.zone, at.after, count);
          expect(fires.length).toBeLessThanOrEqual(count);
          let previous = at.after.getTime();
          for (const fire of fires) {
            expect(fire.getTime()).toBeGreaterThan(previous);
            expect(fire.getTime() % 1000).toBe(0);
            previous = fire.getTime();
            const matches = matchesLocalTime(cron, localTime(at.zone, fire.getTime()).local);
            // The one exception: a fixed-time schedule's gap fire, at a transition instant.
            const isTransition =
              localTime(at.zone, fire.getTime()).asUtc -
                localTime(at.zone, fire.getTime() - MINUTE).asUtc !==
              MINUTE;
            expect(matches || (isFixedTimeCron(cron) && isTransition)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('give the same fires one at a time as all at once, and as cronFiresBetween', () => {
    fc.assert(
      fc.property(expression, zoneAndInstant, (text, at) => {
        const cron = spec(text);
        const all = nextCronFires(cron, at.zone, at.after, 12);
        const oneByOne: Date[] = [];
        let cursor = at.after;
        for (let i = 0; i < all.length; i++) {
          const [fire] = nextCronFires(cron, at.zone, cursor, 1);
          oneByOne.push(fire!);
          cursor = fire!;
        }
        expect(oneByOne).toEqual(all);
        if (all.length > 0) {
          expect(cronFiresBetween(cron, at.zone, at.after, all[all.length - 1]!, 100)).toEqual(all);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('agree with a minute-by-minute walk across DST transitions', () => {
    fc.assert(
      fc.property(expression, zoneAndInstant, (text, at) => {
        const cron = spec(text);
        const after = at.after.getTime();
        const until = after + 48 * HOUR;
        const expected = bruteForce(cron, at.zone, after, until);
        const actual = cronFiresBetween(cron, at.zone, at.after, new Date(until), 10_000);
        expect(actual.map((d) => d.toISOString())).toEqual(
          expected.map((t) => new Date(t).toISOString()),
        );
      }),
      { numRuns: 60 },
    );
    // About 200,000 Intl calls: allow for a busy machine.
  }, 60_000);

  it('never throw for a valid spec and zone, at any date Date can hold', () => {
    fc.assert(
      fc.property(
        expression,
        fc.constantFrom(...Object.keys(TRANSITIONS)),
        fc.date({ noInvalidDate: true }),
        fc.date({ noInvalidDate: true }),
        (text, zone, after, until) => {
          const cron = spec(text);
          const fires = nextCronFires(cron, zone, after, 3);
          expect(fires.every((fire) => fire.getTime() > after.getTime())).toBe(true);
          for (const fire of cronFiresBetween(cron, zone, after, until, 3)) {
            expect(fire.getTime()).toBeGreaterThan(after.getTime());
            expect(fire.getTime()).toBeLessThanOrEqual(until.getTime());
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
