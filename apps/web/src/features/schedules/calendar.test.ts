import { describe, expect, it } from 'vitest';
import { buildCalendar, visibleSlots, type CalendarSchedule } from './calendar';

const schedule = (
  over: Partial<CalendarSchedule> & { id: string; cron: string },
): CalendarSchedule => ({
  name: over.id,
  workflowId: `wf-${over.id}`,
  workflowName: `wf-${over.id}`,
  timezone: 'UTC',
  startAt: null,
  endAt: null,
  ...over,
});
const now = new Date('2026-03-02T10:30:00Z'); // a Monday

describe('buildCalendar', () => {
  it('seven days from today as columns, in the viewer zone', () => {
    const cal = buildCalendar([], { now, zone: 'UTC' });
    expect(cal.days.map((d) => d.key)).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
    ]);
    // Late evening in UTC is already tomorrow in Tokyo.
    const tokyo = buildCalendar([], { now: new Date('2026-03-02T20:00:00Z'), zone: 'Asia/Tokyo' });
    expect(tokyo.days[0]!.key).toBe('2026-03-03');
  });

  it('places a daily fire in its hour row on each remaining day, in the schedule zone', () => {
    const cal = buildCalendar(
      [schedule({ id: 'a', cron: '0 9 * * *', timezone: 'Europe/Berlin' })],
      {
        now,
        zone: 'UTC',
      },
    );
    // 09:00 in Berlin (UTC+1 in March before the switch) is 08:00 UTC; today's has passed.
    expect(cal.hours).toEqual([8]);
    expect(cal.days[0]!.hours.size).toBe(0);
    expect(cal.days.slice(1).map((d) => d.hours.get(8)?.map((s) => s.time))).toEqual(
      Array(6).fill(['08:00']),
    );
    expect(cal.counts.get('a')).toEqual({ shown: 6, total: 6, atLeast: false });
  });

  it('fires of the same minute share one slot (a collision)', () => {
    const cal = buildCalendar(
      [schedule({ id: 'a', cron: '0 12 * * *' }), schedule({ id: 'b', cron: '0 12 * * 1' })],
      { now, zone: 'UTC' },
    );
    const monday = cal.days[0]!.hours.get(12)!;
    expect(monday).toHaveLength(1);
    expect(monday[0]!.fires.map((f) => f.schedule.id)).toEqual(['a', 'b']);
    expect(cal.days[1]!.hours.get(12)![0]!.fires).toHaveLength(1);
  });

  it('caps the fires placed per schedule and counts the rest', () => {
    const cal = buildCalendar([schedule({ id: 'm', cron: '* * * * *' })], {
      now,
      zone: 'UTC',
      perSchedule: 50,
    });
    const count = cal.counts.get('m')!;
    expect(count.shown).toBe(50);
    // The rest of today (13 h 29 min) and six whole days.
    expect(count.total).toBe(13 * 60 + 29 + 6 * 24 * 60);
    expect(count.atLeast).toBe(false);
    const seconds = buildCalendar([schedule({ id: 's', cron: '* * * * * *' })], {
      now,
      zone: 'UTC',
      countLimit: 1000,
    });
    expect(seconds.counts.get('s')).toMatchObject({ total: 1000, atLeast: true });
    // Sixty fires of one minute are one slot.
    expect(seconds.days[0]!.hours.get(10)![0]!.fires.length).toBeGreaterThan(1);
  });

  it('respects start and end dates and skips unreadable schedules', () => {
    const cal = buildCalendar(
      [
        schedule({
          id: 'a',
          cron: '0 6 * * *',
          startAt: new Date('2026-03-04T06:00:00Z'),
          endAt: new Date('2026-03-06T06:00:00Z'),
        }),
        schedule({ id: 'bad', cron: '61 * * * *' }),
      ],
      { now, zone: 'UTC' },
    );
    expect(cal.days.filter((d) => d.hours.has(6)).map((d) => d.key)).toEqual([
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
    ]);
    expect(cal.unreadable.map((s) => s.id)).toEqual(['bad']);
  });

  it('a day of a daylight-saving change keeps its fires in local hours', () => {
    // Europe/Berlin springs forward on 2026-03-29 (02:00 → 03:00).
    const cal = buildCalendar(
      [schedule({ id: 'h', cron: '30 * * * *', timezone: 'Europe/Berlin' })],
      {
        now: new Date('2026-03-28T12:00:00Z'),
        zone: 'Europe/Berlin',
      },
    );
    const sunday = cal.days.find((d) => d.key === '2026-03-29')!;
    expect(sunday.hours.has(2)).toBe(false);
    expect(sunday.hours.get(3)![0]!.time).toBe('03:30');
    expect([...sunday.hours.keys()]).toHaveLength(23);
  });
});

describe('visibleSlots', () => {
  it('shows the first slots and counts the fires of the others', () => {
    const slot = (n: number) => ({
      time: '00:00',
      fires: Array.from({ length: n }, () => ({
        at: now,
        schedule: schedule({ id: 'x', cron: '* * * * *' }),
      })),
    });
    const { shown, hiddenFires } = visibleSlots([slot(1), slot(2), slot(3), slot(4)], 2);
    expect(shown).toHaveLength(2);
    expect(hiddenFires).toBe(7);
  });
});
