import { describe, expect, it } from 'vitest';
import { cronFiresBetween, isFixedTimeCron, nextCronFires } from './fires';
import { parseCron, type CronSpec } from './parse';

function spec(expression: string): CronSpec {
  const result = parseCron(expression);
  if (!result.ok) throw new Error(result.error.message);
  return result.cron;
}

/** The next fires as ISO strings without milliseconds, for readable expectations. */
function next(expression: string, after: string, count: number, timeZone = 'UTC'): string[] {
  return nextCronFires(spec(expression), timeZone, new Date(after), count).map(iso);
}

const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z');

describe('nextCronFires in UTC', () => {
  it.each([
    ['*/15 * * * *', ['2026-01-01T00:15:00Z', '2026-01-01T00:30:00Z', '2026-01-01T00:45:00Z']],
    ['5/20 * * * *', ['2026-01-01T00:05:00Z', '2026-01-01T00:25:00Z', '2026-01-01T00:45:00Z']],
    ['0 9-11 * * *', ['2026-01-01T09:00:00Z', '2026-01-01T10:00:00Z', '2026-01-01T11:00:00Z']],
    ['0 0-12/6 * * *', ['2026-01-01T06:00:00Z', '2026-01-01T12:00:00Z', '2026-01-02T00:00:00Z']],
    ['10,20 8,20 * * *', ['2026-01-01T08:10:00Z', '2026-01-01T08:20:00Z', '2026-01-01T20:10:00Z']],
    // 2026-01-01 is a Thursday.
    ['0 12 * * MON-WED', ['2026-01-05T12:00:00Z', '2026-01-06T12:00:00Z', '2026-01-07T12:00:00Z']],
    ['0 12 * * 7', ['2026-01-04T12:00:00Z', '2026-01-11T12:00:00Z', '2026-01-18T12:00:00Z']],
    ['0 12 * * sun', ['2026-01-04T12:00:00Z', '2026-01-11T12:00:00Z', '2026-01-18T12:00:00Z']],
    ['0 0 1 mar,Sep *', ['2026-03-01T00:00:00Z', '2026-09-01T00:00:00Z', '2027-03-01T00:00:00Z']],
    ['0 0 */10 * *', ['2026-01-11T00:00:00Z', '2026-01-21T00:00:00Z', '2026-01-31T00:00:00Z']],
    ['@hourly', ['2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z', '2026-01-01T03:00:00Z']],
    ['@daily', ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z']],
    ['@midnight', ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z']],
    ['@weekly', ['2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z', '2026-01-18T00:00:00Z']],
    ['@monthly', ['2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z']],
    ['@yearly', ['2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z', '2029-01-01T00:00:00Z']],
    ['@annually', ['2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z', '2029-01-01T00:00:00Z']],
    ['*/20 * * * * *', ['2026-01-01T00:00:20Z', '2026-01-01T00:00:40Z', '2026-01-01T00:01:00Z']],
    ['30 0 12 * * ?', ['2026-01-01T12:00:30Z', '2026-01-02T12:00:30Z', '2026-01-03T12:00:30Z']],
    ['59 59 23 31 12 *', ['2026-12-31T23:59:59Z', '2027-12-31T23:59:59Z', '2028-12-31T23:59:59Z']],
  ])('%s', (expression, expected) => {
    expect(next(expression, '2026-01-01T00:00:00Z', 3)).toEqual(expected);
  });

  it('fires on the 13th AND on Fridays when both day fields are restricted', () => {
    // January 2026: Fridays 2, 9, 16, 23, 30; the 13th is a Tuesday.
    expect(next('0 0 13 * 5', '2026-01-01T00:00:00Z', 6)).toEqual([
      '2026-01-02T00:00:00Z',
      '2026-01-09T00:00:00Z',
      '2026-01-13T00:00:00Z',
      '2026-01-16T00:00:00Z',
      '2026-01-23T00:00:00Z',
      '2026-01-30T00:00:00Z',
    ]);
  });

  it('needs both day fields when one starts with *', () => {
    // Odd days that are Mondays (January 12 and 26, February 2 are even Mondays).
    expect(next('0 0 */2 * MON', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-05T00:00:00Z',
      '2026-01-19T00:00:00Z',
      '2026-02-09T00:00:00Z',
    ]);
    // A `*` weekday leaves the day of month alone in charge.
    expect(next('0 0 13 * *', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-13T00:00:00Z',
      '2026-02-13T00:00:00Z',
    ]);
  });

  it('fires on leap days only', () => {
    expect(next('0 0 29 2 *', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2028-02-29T00:00:00Z',
      '2032-02-29T00:00:00Z',
      '2036-02-29T00:00:00Z',
    ]);
    // 2100 is not a leap year: 2096 is followed by 2104.
    expect(next('0 0 29 2 *', '2096-03-01T00:00:00Z', 1)).toEqual(['2104-02-29T00:00:00Z']);
  });

  it('skips months without a 31st', () => {
    expect(next('0 0 31 * *', '2026-01-01T00:00:00Z', 7)).toEqual([
      '2026-01-31T00:00:00Z',
      '2026-03-31T00:00:00Z',
      '2026-05-31T00:00:00Z',
      '2026-07-31T00:00:00Z',
      '2026-08-31T00:00:00Z',
      '2026-10-31T00:00:00Z',
      '2026-12-31T00:00:00Z',
    ]);
  });

  it('returns instants strictly after `after`, also from the middle of a second', () => {
    expect(next('0 * * * *', '2026-01-01T01:00:00Z', 1)).toEqual(['2026-01-01T02:00:00Z']);
    expect(next('0 * * * *', '2026-01-01T00:59:59.999Z', 1)).toEqual(['2026-01-01T01:00:00Z']);
    expect(next('* * * * * *', '2026-01-01T00:00:00.500Z', 2)).toEqual([
      '2026-01-01T00:00:01Z',
      '2026-01-01T00:00:02Z',
    ]);
  });

  it('crosses year ends and works before 1970', () => {
    expect(next('0 0 * * *', '2026-12-31T12:00:00Z', 1)).toEqual(['2027-01-01T00:00:00Z']);
    expect(next('0 12 * * *', '1969-12-31T00:00:00Z', 2)).toEqual([
      '1969-12-31T12:00:00Z',
      '1970-01-01T12:00:00Z',
    ]);
  });

  it('returns exactly `count` fires, and none for a count below 1 or an invalid date', () => {
    expect(next('* * * * *', '2026-01-01T00:00:00Z', 1000)).toHaveLength(1000);
    expect(next('* * * * *', '2026-01-01T00:00:00Z', 0)).toEqual([]);
    expect(nextCronFires(spec('* * * * *'), 'UTC', new Date(NaN), 3)).toEqual([]);
  });

  it('returns nothing, quickly, for specs that can never fire', () => {
    // The parser rejects "0 0 30 2 *"; a spec built by hand must still terminate.
    const february30: CronSpec = { ...spec('0 0 30 * *'), months: [2] };
    const april31: CronSpec = { ...spec('0 0 31 * *'), months: [4, 6, 9, 11] };
    const empty: CronSpec = { ...spec('0 0 * * *'), hours: [] };
    for (const never of [february30, april31, empty]) {
      expect(nextCronFires(never, 'Europe/Berlin', new Date('2026-01-01T00:00:00Z'), 5)).toEqual(
        [],
      );
      expect(
        cronFiresBetween(never, 'UTC', new Date(0), new Date('9999-01-01T00:00:00Z'), 5),
      ).toEqual([]);
    }
    // With both day fields restricted the weekday still fires: Mondays in February.
    expect(next('0 0 30 2 MON', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-02-02T00:00:00Z',
      '2026-02-09T00:00:00Z',
    ]);
  });
});

describe('cronFiresBetween', () => {
  const hourly = spec('0 * * * *');
  const between = (after: string, until: string, limit = 100) =>
    cronFiresBetween(hourly, 'UTC', new Date(after), new Date(until), limit).map(iso);

  it('excludes `after` and includes `until`', () => {
    expect(between('2026-01-01T01:00:00Z', '2026-01-01T03:00:00Z')).toEqual([
      '2026-01-01T02:00:00Z',
      '2026-01-01T03:00:00Z',
    ]);
    expect(between('2026-01-01T01:00:00Z', '2026-01-01T02:59:59.999Z')).toEqual([
      '2026-01-01T02:00:00Z',
    ]);
  });

  it('stops at `limit`, keeping the oldest', () => {
    expect(between('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 2)).toEqual([
      '2026-01-01T01:00:00Z',
      '2026-01-01T02:00:00Z',
    ]);
  });

  it('is empty for an empty or reversed window', () => {
    expect(between('2026-01-01T01:00:00Z', '2026-01-01T01:00:00Z')).toEqual([]);
    expect(between('2026-01-01T01:30:00Z', '2026-01-01T01:59:59Z')).toEqual([]);
    expect(between('2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z')).toEqual([]);
  });

  it('agrees with nextCronFires', () => {
    const cron = spec('*/7 9-17 * * MON-FRI');
    const after = new Date('2026-03-01T00:00:00Z');
    const fires = nextCronFires(cron, 'America/New_York', after, 200);
    const until = fires[fires.length - 1]!;
    expect(cronFiresBetween(cron, 'America/New_York', after, until, 1000)).toEqual(fires);
  });

  it('does not search past `until` for a rare schedule', () => {
    const leapDay = spec('0 0 29 2 *');
    expect(
      cronFiresBetween(
        leapDay,
        'UTC',
        new Date('2026-01-01T00:00:00Z'),
        new Date('2027-01-01T00:00:00Z'),
        5,
      ),
    ).toEqual([]);
  });
});

describe('isFixedTimeCron', () => {
  it.each([
    ['30 2 * * *', true],
    ['0,30 1-3 * * *', true],
    ['@daily', true],
    ['@weekly', true],
    ['0 0 0 * * *', true],
    ['0 0 * * * *', false],
    ['15 30 2 * * *', true],
    ['*/15 * * * *', false],
    ['0 * * * *', false],
    ['@hourly', false],
    ['*/5 2 * * *', false],
    ['0 */2 * * *', false],
    ['* 30 2 * * *', true],
    ['*/10 30 2 * * *', true],
  ])('%s → %s', (expression, fixed) => {
    expect(isFixedTimeCron(spec(expression))).toBe(fixed);
  });
});
