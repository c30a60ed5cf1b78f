import { describe, expect, it } from 'vitest';
import { parseCron, type CronSpec } from './parse';

function ok(expression: string): CronSpec {
  const result = parseCron(expression);
  if (!result.ok) throw new Error(result.error.message);
  return result.cron;
}

function error(expression: string): string {
  const result = parseCron(expression);
  if (result.ok) throw new Error(`expected ${expression} to fail`);
  return result.error.message;
}

const range = (from: number, to: number, step = 1) => {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
};

describe('parseCron', () => {
  it('parses a five-field expression into value sets', () => {
    expect(ok('0 5 * * *')).toEqual({
      source: '0 5 * * *',
      hasSeconds: false,
      seconds: [0],
      minutes: [0],
      hours: [5],
      daysOfMonth: range(1, 31),
      months: range(1, 12),
      daysOfWeek: range(0, 6),
      dayOfMonthStar: true,
      dayOfWeekStar: true,
      minuteStar: false,
      hourStar: false,
      secondStar: false,
    });
  });

  it('parses steps, ranges, stepped ranges and lists', () => {
    const cron = ok('*/15 9-17 1-30/5,31 * 1-5');
    expect(cron.minutes).toEqual([0, 15, 30, 45]);
    expect(cron.hours).toEqual(range(9, 17));
    expect(cron.daysOfMonth).toEqual([1, 6, 11, 16, 21, 26, 31]);
    expect(cron.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
    expect(cron.minuteStar).toBe(true);
    expect(cron.dayOfMonthStar).toBe(false);
    expect(cron.dayOfWeekStar).toBe(false);
  });

  it('reads `N/step` as N to the end of the field', () => {
    expect(ok('5/20 * * * *').minutes).toEqual([5, 25, 45]);
  });

  it('accepts month and weekday names in any case, and 7 as Sunday', () => {
    const cron = ok('0 0 * jan,Mar-MAY mon-FRI,7');
    expect(cron.months).toEqual([1, 3, 4, 5]);
    expect(cron.daysOfWeek).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ok('0 0 * * 7').daysOfWeek).toEqual([0]);
    expect(ok('0 0 * * 5-7').daysOfWeek).toEqual([0, 5, 6]);
  });

  it('parses six fields with leading seconds', () => {
    const cron = ok('*/10 0 12 * * ?');
    expect(cron.hasSeconds).toBe(true);
    expect(cron.seconds).toEqual([0, 10, 20, 30, 40, 50]);
    expect(cron.minutes).toEqual([0]);
    expect(cron.hours).toEqual([12]);
    expect(cron.dayOfWeekStar).toBe(true);
    expect(cron.secondStar).toBe(true);
    expect(ok('0 * * * * *').secondStar).toBe(false);
  });

  it('flags fields that start with * even when stepped (Vixie day matching)', () => {
    const cron = ok('0 */2 */2 * MON');
    expect(cron.hourStar).toBe(true);
    expect(cron.dayOfMonthStar).toBe(true);
    expect(cron.dayOfWeekStar).toBe(false);
  });

  it.each([
    ['@yearly', '0 0 1 1 *'],
    ['@annually', '0 0 1 1 *'],
    ['@monthly', '0 0 1 * *'],
    ['@weekly', '0 0 * * 0'],
    ['@daily', '0 0 * * *'],
    ['@midnight', '0 0 * * *'],
    ['@hourly', '0 * * * *'],
  ])('expands %s like %s', (macro, expanded) => {
    const { source, ...fields } = ok(macro);
    const { source: _, ...expected } = ok(expanded);
    expect(source).toBe(macro);
    expect(fields).toEqual(expected);
  });

  it('normalizes whitespace and macro case', () => {
    expect(ok('  0   5 * *\t* ').source).toBe('0 5 * * *');
    expect(ok('@DAILY').source).toBe('@daily');
  });

  it.each([
    ['0 25 * * *', 'invalid hour field "25" (allowed 0-23)'],
    ['60 * * * *', 'invalid minute field "60" (allowed 0-59)'],
    ['0 0 0 * *', 'invalid day-of-month field "0" (allowed 1-31)'],
    ['0 0 * 13 *', 'invalid month field "13" (allowed 1-12 or JAN-DEC)'],
    ['0 0 * * 8', 'invalid day-of-week field "8" (allowed 0-7 or SUN-SAT)'],
    ['0 1,25 * * *', 'invalid hour field "1,25": 25 is out of range (allowed 0-23)'],
    ['0 0 * JAM *', 'invalid month field "JAM": unknown name "JAM" (did you mean "JAN"?)'],
    [
      '0 0 * * FRI-MON',
      'invalid day-of-week field "FRI-MON": range start FRI is after its end MON (ranges do not wrap around)',
    ],
    ['*/0 * * * *', 'invalid minute field "*/0": step must be at least 1'],
    ['*/x * * * *', 'invalid minute field "*/x": step "x" is not a number'],
    ['1,,2 * * * *', 'invalid minute field "1,,2": empty list item'],
    ['a * * * *', 'invalid minute field "a": "a" is not a number (allowed 0-59)'],
    ['? * * * *', 'invalid minute field "?": "?" is not a number (allowed 0-59)'],
    [
      '0 0 * *',
      'expected 5 fields (minute hour day-of-month month day-of-week) or 6 with leading seconds, got 4',
    ],
    ['', 'empty cron expression (expected e.g. "0 5 * * *" or "@daily")'],
    ['@daly', 'unknown macro "@daly" (did you mean "@daily"?)'],
    ['@reboot', '@reboot is not supported: schedules need a time to fire at'],
    ['0 0 30 2 *', 'never fires: day 30 does not exist in February'],
    ['0 0 31 4,6 *', 'never fires: day 31 does not exist in April, June'],
  ])('rejects %j: %s', (expression, message) => {
    expect(error(expression)).toBe(message);
  });

  it('names the field at fault', () => {
    const result = parseCron('0 0 * * 9');
    expect(result.ok ? undefined : result.error.field).toBe('day-of-week');
  });

  it('accepts day 31 when some selected month has it, and impossible days when weekdays also match', () => {
    expect(parseCron('0 0 31 * *').ok).toBe(true);
    expect(parseCron('0 0 29 2 *').ok).toBe(true);
    // Both day fields restricted: fires on Mondays in February (either field matches).
    expect(parseCron('0 0 30 2 MON').ok).toBe(true);
  });
});
