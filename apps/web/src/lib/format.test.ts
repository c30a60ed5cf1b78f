import { describe, expect, it } from 'vitest';
import { dateTime, durationMs, relativeTime } from './format';

describe('relativeTime', () => {
  const now = Date.UTC(2026, 0, 10, 12, 0, 0);
  it('picks the largest unit that fits, past and future, the same on a second call', () => {
    for (let round = 0; round < 2; round++) {
      expect(relativeTime(new Date(now - 5_000), now)).toBe('5 seconds ago');
      expect(relativeTime(new Date(now + 3 * 60_000), now)).toBe('in 3 minutes');
      expect(relativeTime(new Date(now - 2 * 3_600_000), now)).toBe('2 hours ago');
      expect(relativeTime(new Date(now - 86_400_000), now)).toBe('yesterday');
      expect(relativeTime(new Date(now + 3 * 86_400_000), now)).toBe('in 3 days');
      expect(relativeTime(new Date(now), now)).toBe('now');
    }
    expect(relativeTime(null, now)).toBe('—');
  });
});

describe('dateTime and durationMs', () => {
  it('formats the same instant the same way twice, and durations by size', () => {
    const at = new Date(Date.UTC(2026, 0, 10, 12, 0, 0));
    expect(dateTime(at)).toBe(dateTime(at.toISOString()));
    expect(dateTime(undefined)).toBe('—');
    expect(durationMs(850)).toBe('850 ms');
    expect(durationMs(null)).toBe('—');
  });
});
