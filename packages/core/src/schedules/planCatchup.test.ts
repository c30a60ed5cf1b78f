import { describe, expect, it } from 'vitest';
import { parseCron } from '../cron/parse';
import { nextFireAfter } from './nextFire';
import { planCatchup, type DueInput } from './planCatchup';

const everyMinute = (() => {
  const r = parseCron('* * * * *');
  if (!r.ok) throw new Error('bad cron');
  return r.cron;
})();
const t = (iso: string) => new Date(`2026-03-01T${iso}Z`);
const iso = (dates: Date[]) => dates.map((d) => d.toISOString().slice(11, 19));

function plan(over: Partial<DueInput>) {
  return planCatchup(everyMinute, 'UTC', {
    nextFireAt: t('10:00:00'),
    now: t('10:00:00.500'),
    endAt: null,
    catchup: 'latest',
    catchupWindowMs: null,
    ...over,
  });
}

describe('planCatchup', () => {
  it('runs an on-time instant under every policy', () => {
    for (const catchup of ['none', 'latest', 'all'] as const) {
      expect(iso(plan({ catchup })!.fire)).toEqual(['10:00:00']);
    }
  });

  it('nothing is due before nextFireAt', () => {
    expect(plan({ now: t('09:59:59') })).toBeNull();
  });

  it('after downtime: none drops missed instants, latest runs the last, all runs each', () => {
    const now = t('10:05:30');
    expect(plan({ catchup: 'none', now })).toMatchObject({ fire: [], more: false });
    expect(plan({ catchup: 'none', now })!.lastHandled).toEqual(t('10:05:00'));
    expect(iso(plan({ catchup: 'latest', now })!.fire)).toEqual(['10:05:00']);
    expect(iso(plan({ catchup: 'all', now })!.fire)).toEqual([
      '10:00:00',
      '10:01:00',
      '10:02:00',
      '10:03:00',
      '10:04:00',
      '10:05:00',
    ]);
  });

  it('a catch-up window bounds latest and all', () => {
    const now = t('10:05:30');
    expect(iso(plan({ catchup: 'all', now, catchupWindowMs: 150_000 })!.fire)).toEqual([
      '10:03:00',
      '10:04:00',
      '10:05:00',
    ]);
    expect(plan({ catchup: 'latest', now, catchupWindowMs: 10_000 })!.fire).toEqual([]);
  });

  it('stops at the end date', () => {
    const p = plan({ catchup: 'all', now: t('10:05:30'), endAt: t('10:02:00') });
    expect(iso(p!.fire)).toEqual(['10:00:00', '10:01:00', '10:02:00']);
  });

  it('caps a pass and says more is due', () => {
    const p = planCatchup(everyMinute, 'UTC', {
      nextFireAt: t('00:00:00'),
      now: t('12:00:00'),
      endAt: null,
      catchup: 'all',
      catchupWindowMs: null,
    })!;
    expect(p.fire).toHaveLength(100);
    expect(p.more).toBe(true);
    expect(p.lastHandled).toEqual(t('01:39:00'));
  });
});

describe('nextFireAfter', () => {
  it('respects start and end dates', () => {
    expect(
      nextFireAfter(everyMinute, 'UTC', t('10:00:00'), { startAt: null, endAt: null }),
    ).toEqual(t('10:01:00'));
    expect(
      nextFireAfter(everyMinute, 'UTC', t('10:00:00'), { startAt: t('11:00:00'), endAt: null }),
    ).toEqual(t('11:00:00'));
    expect(
      nextFireAfter(everyMinute, 'UTC', t('10:00:00'), { startAt: null, endAt: t('10:00:30') }),
    ).toBeNull();
  });
});
