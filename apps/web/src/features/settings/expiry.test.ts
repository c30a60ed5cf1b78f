import { describe, expect, it } from 'vitest';
import { daysUntil, expiresInDaysOf } from './expiry';

describe('token expiry', () => {
  const now = new Date(2026, 11, 7, 15, 30); // 7 Dec 2026, 15:30 local

  it('counts whole days to the end of the chosen local day, rounded up', () => {
    expect(daysUntil('2026-12-07', now)).toBe(1); // later today
    expect(daysUntil('2026-12-08', now)).toBe(2);
    expect(daysUntil('2027-12-07', now)).toBe(366);
  });

  it('gives zero or less for past days and NaN without a date', () => {
    expect(daysUntil('2026-12-06', now)).toBeLessThanOrEqual(0);
    expect(daysUntil('', now)).toBeNaN();
    expect(daysUntil('7/12/2026', now)).toBeNaN();
  });

  it('maps the choices to expiresInDays', () => {
    expect(expiresInDaysOf('never', '', now)).toBeUndefined();
    expect(expiresInDaysOf('30', '', now)).toBe(30);
    expect(expiresInDaysOf('custom', '2026-12-10', now)).toBe(4);
  });
});
