import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, MAX_DURATION_MS, parseDuration } from './parseDuration';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1d 2h 3m 4s 5ms', 93_784_005],
    ['1.5s', 1_500],
    [' 10s ', 10_000],
    ['30', 30_000],
    [30, 30_000],
    [0.25, 250],
    [0, 0],
  ])('%j → %d ms', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, ms });
  });

  it.each([['5 minutes'], ['1m1h'], ['1s1s'], ['-5s'], [''], ['h'], ['1x']])(
    'rejects %j',
    (input) => {
      const result = parseDuration(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/duration/);
    },
  );

  it('explains unit order', () => {
    expect(parseDuration('30m1h')).toEqual({
      ok: false,
      message:
        'invalid duration "30m1h": write units from largest to smallest, each once (e.g. "1h30m")',
    });
  });

  it('rejects negatives, non-finite numbers, other types and absurd lengths', () => {
    expect(parseDuration(-1).ok).toBe(false);
    expect(parseDuration(Infinity).ok).toBe(false);
    expect(parseDuration(true)).toEqual({
      ok: false,
      message: 'expected a duration such as "30s", "5m" or "1h30m", got a boolean',
    });
    expect(parseDuration('366d')).toEqual({
      ok: false,
      message: 'duration "366d" is longer than the maximum of 365d',
    });
  });

  it('formatDuration is the inverse of parseDuration on whole milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_DURATION_MS }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, ms });
      }),
    );
    expect(formatDuration(5_400_000)).toBe('1h30m');
  });
});
