import { describe, expect, it } from 'vitest';
import { previewBackfill } from './backfillPreview';

const at = (iso: string) => new Date(iso);

describe('previewBackfill', () => {
  it('both ends of the range are included, like createBackfill', () => {
    const p = previewBackfill({
      cron: '0 * * * *',
      timezone: 'UTC',
      rangeStart: at('2026-01-01T00:00:00Z'),
      rangeEnd: at('2026-01-01T02:00:00Z'),
    });
    expect(p).toMatchObject({ ok: true, total: 3, more: 0, tooMany: false });
    expect(p.ok && p.shown.map((d) => d.toISOString())).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T01:00:00.000Z',
      '2026-01-01T02:00:00.000Z',
    ]);
  });

  it('shows the first dates and says how many more', () => {
    const p = previewBackfill({
      cron: '0 2 * * *',
      timezone: 'Europe/Paris',
      rangeStart: at('2026-01-01T00:00:00Z'),
      rangeEnd: at('2026-01-31T23:59:00Z'),
      show: 5,
    });
    expect(p).toMatchObject({ ok: true, total: 31, more: 26 });
    expect(p.ok && p.shown[0]!.toISOString()).toBe('2026-01-01T01:00:00.000Z');
  });

  it('refuses what the server refuses: bad cron, bad zone, empty or reversed range, too many', () => {
    const base = {
      cron: '0 * * * *',
      timezone: 'UTC',
      rangeStart: at('2026-01-01T00:00:00Z'),
      rangeEnd: at('2026-01-01T05:00:00Z'),
    };
    expect(previewBackfill({ ...base, cron: '99 * * * *' })).toMatchObject({
      ok: false,
      field: 'cron',
    });
    expect(previewBackfill({ ...base, timezone: 'Nowhere/City' })).toMatchObject({
      ok: false,
      field: 'timezone',
    });
    expect(previewBackfill({ ...base, rangeEnd: at('2025-12-31T00:00:00Z') })).toMatchObject({
      ok: false,
      field: 'range',
    });
    expect(
      previewBackfill({
        ...base,
        rangeStart: at('2026-01-01T00:10:00Z'),
        rangeEnd: at('2026-01-01T00:20:00Z'),
      }),
    ).toMatchObject({ ok: false, field: 'range' });
    expect(previewBackfill({ ...base, rangeStart: null })).toMatchObject({
      ok: false,
      field: 'range',
    });
    expect(previewBackfill({ ...base, cron: '* * * * *', limit: 100 })).toMatchObject({
      ok: true,
      tooMany: true,
    });
  });
});
