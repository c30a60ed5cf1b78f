import { describe, expect, it } from 'vitest';
import { daysFromCivil } from './calendar';
import { dayOffsets, offsetSecondsAt } from './zoneOffset';

const seconds = (iso: string) => Date.parse(iso) / 1000;
const HOUR = 3600;

describe('offsetSecondsAt', () => {
  it('reads standard and daylight offsets, including half hours', () => {
    expect(offsetSecondsAt('UTC', seconds('2026-07-01T00:00:00Z'))).toBe(0);
    expect(offsetSecondsAt('America/New_York', seconds('2026-01-15T12:00:00Z'))).toBe(-5 * HOUR);
    expect(offsetSecondsAt('America/New_York', seconds('2026-07-15T12:00:00Z'))).toBe(-4 * HOUR);
    expect(offsetSecondsAt('Australia/Lord_Howe', seconds('2026-07-15T12:00:00Z'))).toBe(
      10.5 * HOUR,
    );
    expect(offsetSecondsAt('Australia/Lord_Howe', seconds('2026-01-15T12:00:00Z'))).toBe(11 * HOUR);
    expect(offsetSecondsAt('Asia/Kathmandu', seconds('2026-01-15T12:00:00Z'))).toBe(5.75 * HOUR);
  });

  it('changes at the transition second', () => {
    const t = seconds('2026-03-08T07:00:00Z');
    expect(offsetSecondsAt('America/New_York', t - 1)).toBe(-5 * HOUR);
    expect(offsetSecondsAt('America/New_York', t)).toBe(-4 * HOUR);
  });
});

describe('dayOffsets', () => {
  it('is constant on an ordinary day', () => {
    expect(dayOffsets('Europe/Berlin', daysFromCivil(2026, 6, 1))).toEqual({
      before: 2 * HOUR,
      after: 2 * HOUR,
      transition: null,
    });
  });

  it('finds the transition instant of a spring-forward and a fall-back day', () => {
    expect(dayOffsets('America/New_York', daysFromCivil(2026, 3, 8))).toEqual({
      before: -5 * HOUR,
      after: -4 * HOUR,
      transition: seconds('2026-03-08T07:00:00Z'),
    });
    expect(dayOffsets('Australia/Lord_Howe', daysFromCivil(2026, 4, 5))).toEqual({
      before: 11 * HOUR,
      after: 10.5 * HOUR,
      transition: seconds('2026-04-04T15:00:00Z'),
    });
  });
});
