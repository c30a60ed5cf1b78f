import { describe, expect, it } from 'vitest';
import { canEverMatch, cronMatcher, dayMatches, matchesLocalTime, nextTimeOfDay } from './match';
import { parseCron, type CronSpec } from './parse';

function spec(expression: string): CronSpec {
  const result = parseCron(expression);
  if (!result.ok) throw new Error(result.error.message);
  return result.cron;
}

const at = (h: number, m: number, s = 0) => h * 3600 + m * 60 + s;

describe('nextTimeOfDay', () => {
  it('jumps to the next matching hour, minute and second', () => {
    const matcher = cronMatcher(spec('15,45 9-10 * * *'));
    expect(nextTimeOfDay(matcher, 0)).toBe(at(9, 15));
    expect(nextTimeOfDay(matcher, at(9, 15))).toBe(at(9, 15));
    expect(nextTimeOfDay(matcher, at(9, 15, 1))).toBe(at(9, 45));
    expect(nextTimeOfDay(matcher, at(9, 46))).toBe(at(10, 15));
    expect(nextTimeOfDay(matcher, at(10, 45, 1))).toBe(-1);
  });

  it('handles seconds and the end of the day', () => {
    const matcher = cronMatcher(spec('*/20 59 23 * * *'));
    expect(nextTimeOfDay(matcher, at(23, 59, 41))).toBe(-1);
    expect(nextTimeOfDay(matcher, at(23, 59, 21))).toBe(at(23, 59, 40));
    expect(nextTimeOfDay(matcher, at(12, 0))).toBe(at(23, 59));
    const every = cronMatcher(spec('* * * * * *'));
    expect(nextTimeOfDay(every, 86_399)).toBe(86_399);
  });
});

describe('day matching (Vixie cron)', () => {
  it('matches either field when both are restricted', () => {
    const matcher = cronMatcher(spec('0 0 13 * 5'));
    expect(dayMatches(matcher, 13, 2)).toBe(true);
    expect(dayMatches(matcher, 2, 5)).toBe(true);
    expect(dayMatches(matcher, 2, 4)).toBe(false);
  });

  it('needs both when either starts with *', () => {
    const matcher = cronMatcher(spec('0 0 */2 * 1'));
    expect(dayMatches(matcher, 3, 1)).toBe(true);
    expect(dayMatches(matcher, 4, 1)).toBe(false);
    expect(dayMatches(matcher, 3, 2)).toBe(false);
  });

  it('matches a full local date and time', () => {
    // 2026-03-13 is a Friday.
    const cron = spec('30 9 * MAR FRI');
    const local = { year: 2026, month: 3, day: 13, hour: 9, minute: 30, second: 0 };
    expect(matchesLocalTime(cron, local)).toBe(true);
    expect(matchesLocalTime(cron, { ...local, day: 12 })).toBe(false);
    expect(matchesLocalTime(cron, { ...local, second: 1 })).toBe(false);
    expect(matchesLocalTime(cron, { ...local, month: 4, day: 10 })).toBe(false);
  });
});

describe('canEverMatch', () => {
  it('rejects days no selected month has and empty fields', () => {
    expect(canEverMatch({ ...spec('0 0 30 * *'), months: [2] })).toBe(false);
    expect(canEverMatch({ ...spec('0 0 31 * *'), months: [4, 6, 9, 11] })).toBe(false);
    expect(canEverMatch({ ...spec('0 0 * * *'), minutes: [] })).toBe(false);
  });

  it('accepts leap days, and impossible days rescued by a weekday', () => {
    expect(canEverMatch(spec('0 0 29 2 *'))).toBe(true);
    expect(canEverMatch(spec('0 0 30 2 MON'))).toBe(true);
    expect(canEverMatch(spec('* * * * *'))).toBe(true);
  });
});
