import { describe, expect, it } from 'vitest';
import { fromLocalInput, toLocalInput } from './localDateTime';

describe('datetime-local values', () => {
  it('round-trips an instant at minute precision in the local zone', () => {
    const at = new Date(2026, 2, 2, 9, 5, 42);
    expect(toLocalInput(at)).toBe('2026-03-02T09:05');
    expect(fromLocalInput('2026-03-02T09:05')).toEqual(new Date(2026, 2, 2, 9, 5));
  });

  it('empty or malformed is null', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('2026-03-02')).toBeNull();
    expect(fromLocalInput('2026-13-45T99:99')).toBeNull();
  });
});
