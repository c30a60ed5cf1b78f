import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, daysInMonth, isLeapYear, weekdayOfDays } from './calendar';

describe('calendar', () => {
  it('numbers days from 1970-01-01, a Thursday', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2026, 3, 8)).toBe(Date.UTC(2026, 2, 8) / 86_400_000);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    expect(weekdayOfDays(0)).toBe(4);
    expect(weekdayOfDays(-1)).toBe(3);
    expect(weekdayOfDays(daysFromCivil(2026, 11, 26))).toBe(4);
  });

  it('agrees with Date over ±10,000 years', () => {
    fc.assert(
      fc.property(fc.integer({ min: -4_000_000, max: 3_000_000 }), (days) => {
        const date = new Date(days * 86_400_000);
        const civil = civilFromDays(days);
        expect(civil).toEqual({
          year: date.getUTCFullYear(),
          month: date.getUTCMonth() + 1,
          day: date.getUTCDate(),
        });
        expect(daysFromCivil(civil.year, civil.month, civil.day)).toBe(days);
        expect(weekdayOfDays(days)).toBe(date.getUTCDay());
      }),
    );
  });

  it('knows leap years and month lengths', () => {
    expect([1900, 2000, 2024, 2026, 2100].map(isLeapYear)).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });
});
