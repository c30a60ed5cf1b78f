import { describe, expect, it } from 'vitest';
import { tabOf, tabParam } from './schedulesTab';

describe('schedules page tab', () => {
  it('reads known tabs and falls back to schedules', () => {
    expect(tabOf('triggers')).toBe('triggers');
    expect(tabOf('backfills')).toBe('backfills');
    expect(tabOf(null)).toBe('schedules');
    expect(tabOf('nope')).toBe('schedules');
  });

  it('writes nothing for the default tab', () => {
    expect(tabParam('schedules')).toBeNull();
    expect(tabParam('triggers')).toBe('triggers');
  });
});
