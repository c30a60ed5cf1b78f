// Daylight-saving transitions, cronie's rules: in a spring-forward gap a fixed-time schedule fires
// once at the first instant after the gap and a wildcard schedule skips it; in a fall-back overlap
// a fixed-time schedule fires on the first pass only and a wildcard schedule on both.
// Every expected instant is written out in UTC, with the local time it stands for.
import { describe, expect, it } from 'vitest';
import { cronFiresBetween, nextCronFires } from './fires';
import { parseCron, type CronSpec } from './parse';

function spec(expression: string): CronSpec {
  const result = parseCron(expression);
  if (!result.ok) throw new Error(result.error.message);
  return result.cron;
}

function next(expression: string, timeZone: string, after: string, count: number): string[] {
  return nextCronFires(spec(expression), timeZone, new Date(after), count).map((d) =>
    d.toISOString().replace('.000Z', 'Z'),
  );
}

describe('America/New_York (2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST)', () => {
  const zone = 'America/New_York';

  it('fires a fixed-time schedule due in the gap once, at 03:00 EDT', () => {
    expect(next('30 2 * * *', zone, '2026-03-07T12:00:00Z', 3)).toEqual([
      '2026-03-08T07:00:00Z', // 02:30 does not exist: 03:00 EDT
      '2026-03-09T06:30:00Z', // 02:30 EDT
      '2026-03-10T06:30:00Z',
    ]);
  });

  it('fires once for several fixed times in the gap, and not again at 03:00', () => {
    expect(next('0,30 2,3 * * *', zone, '2026-03-08T06:00:00Z', 3)).toEqual([
      '2026-03-08T07:00:00Z', // 02:00, 02:30 and 03:00 EDT together
      '2026-03-08T07:30:00Z', // 03:30 EDT
      '2026-03-09T06:00:00Z', // 02:00 EDT
    ]);
  });

  it('does not fire the gap time again once past the transition', () => {
    expect(next('30 2 * * *', zone, '2026-03-08T07:00:00Z', 1)).toEqual(['2026-03-09T06:30:00Z']);
  });

  it('lets wildcard schedules skip the gap', () => {
    expect(next('*/30 * * * *', zone, '2026-03-08T06:15:00Z', 3)).toEqual([
      '2026-03-08T06:30:00Z', // 01:30 EST
      '2026-03-08T07:00:00Z', // 03:00 EDT
      '2026-03-08T07:30:00Z', // 03:30 EDT
    ]);
    expect(next('*/15 2 * * *', zone, '2026-03-07T12:00:00Z', 1)).toEqual([
      '2026-03-09T06:00:00Z', // 02:00 EDT the next day: nothing on the 8th
    ]);
  });

  it('fires a fixed-time schedule on the first pass of the repeated hour only', () => {
    expect(next('30 1 * * *', zone, '2026-10-31T12:00:00Z', 2)).toEqual([
      '2026-11-01T05:30:00Z', // 01:30 EDT; not 01:30 EST (06:30Z)
      '2026-11-02T06:30:00Z', // 01:30 EST
    ]);
    // From inside the second pass, the next fire is the next day's.
    expect(next('30 1 * * *', zone, '2026-11-01T06:10:00Z', 1)).toEqual(['2026-11-02T06:30:00Z']);
  });

  it('keeps a wildcard schedule firing every 15 real minutes through the repeated hour', () => {
    expect(next('*/15 * * * *', zone, '2026-11-01T05:40:00Z', 7)).toEqual([
      '2026-11-01T05:45:00Z', // 01:45 EDT
      '2026-11-01T06:00:00Z', // 01:00 EST
      '2026-11-01T06:15:00Z',
      '2026-11-01T06:30:00Z',
      '2026-11-01T06:45:00Z',
      '2026-11-01T07:00:00Z', // 02:00 EST
      '2026-11-01T07:15:00Z',
    ]);
  });

  it('fires a wildcard schedule on the second pass even from late in the first', () => {
    // After 01:40 EDT, :15 has passed once; it comes again at 01:15 EST.
    expect(next('15 * * * *', zone, '2026-11-01T05:40:00Z', 2)).toEqual([
      '2026-11-01T06:15:00Z', // 01:15 EST
      '2026-11-01T07:15:00Z', // 02:15 EST
    ]);
    expect(next('0 * * * *', zone, '2026-11-01T04:30:00Z', 3)).toEqual([
      '2026-11-01T05:00:00Z', // 01:00 EDT
      '2026-11-01T06:00:00Z', // 01:00 EST
      '2026-11-01T07:00:00Z', // 02:00 EST
    ]);
  });

  it('classifies by minute and hour only: a `*` seconds field is still fixed-time', () => {
    // Fixed: fires once at the first instant after the gap, not at 03:00:10.
    expect(next('10 30 2 * * *', zone, '2026-03-07T12:00:00Z', 2)).toEqual([
      '2026-03-08T07:00:00Z',
      '2026-03-09T06:30:10Z',
    ]);
    // Three times in the gap's 02:30 minute: still one fire, at 03:00 EDT.
    expect(next('*/20 30 2 * * *', zone, '2026-03-07T12:00:00Z', 3)).toEqual([
      '2026-03-08T07:00:00Z',
      '2026-03-09T06:30:00Z',
      '2026-03-09T06:30:20Z',
    ]);
    // …and only on the first pass of the repeated hour.
    expect(next('*/30 30 1 * * *', zone, '2026-10-31T12:00:00Z', 4)).toEqual([
      '2026-11-01T05:30:00Z',
      '2026-11-01T05:30:30Z',
      '2026-11-02T06:30:00Z',
      '2026-11-02T06:30:30Z',
    ]);
    // A wildcard minute with seconds fires through the gap's neighbours and on both passes.
    expect(next('0 */30 1 * * *', zone, '2026-10-31T12:00:00Z', 4)).toEqual([
      '2026-11-01T05:00:00Z',
      '2026-11-01T05:30:00Z',
      '2026-11-01T06:00:00Z',
      '2026-11-01T06:30:00Z',
    ]);
  });

  it('catches up over a transition with cronFiresBetween', () => {
    const fires = cronFiresBetween(
      spec('30 1,2 * * *'),
      zone,
      new Date('2026-03-07T00:00:00Z'),
      new Date('2026-03-08T12:00:00Z'),
      10,
    ).map((d) => d.toISOString());
    expect(fires).toEqual([
      '2026-03-07T06:30:00.000Z', // 01:30 EST
      '2026-03-07T07:30:00.000Z', // 02:30 EST
      '2026-03-08T06:30:00.000Z', // 01:30 EST
      '2026-03-08T07:00:00.000Z', // 02:30 in the gap: 03:00 EDT
    ]);
  });
});

describe('Europe/Berlin (2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET)', () => {
  const zone = 'Europe/Berlin';

  it('fixed-time: gap fire at 03:00 CEST, first pass only in the overlap', () => {
    expect(next('30 2 * * *', zone, '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-29T01:00:00Z', // 03:00 CEST
      '2026-03-30T00:30:00Z', // 02:30 CEST
    ]);
    expect(next('30 2 * * *', zone, '2026-10-24T12:00:00Z', 2)).toEqual([
      '2026-10-25T00:30:00Z', // 02:30 CEST; not 02:30 CET (01:30Z)
      '2026-10-26T01:30:00Z', // 02:30 CET
    ]);
  });

  it('wildcard: skips the gap, fires on both passes', () => {
    expect(next('0 * * * *', zone, '2026-03-28T23:30:00Z', 3)).toEqual([
      '2026-03-29T00:00:00Z', // 01:00 CET
      '2026-03-29T01:00:00Z', // 03:00 CEST
      '2026-03-29T02:00:00Z', // 04:00 CEST
    ]);
    expect(next('0 * * * *', zone, '2026-10-24T23:30:00Z', 3)).toEqual([
      '2026-10-25T00:00:00Z', // 02:00 CEST
      '2026-10-25T01:00:00Z', // 02:00 CET
      '2026-10-25T02:00:00Z', // 03:00 CET
    ]);
  });
});

describe('Europe/London (2026-03-29 01:00 GMT → 02:00 BST; 2026-10-25 02:00 BST → 01:00 GMT)', () => {
  const zone = 'Europe/London';

  it('fixed-time', () => {
    expect(next('30 1 * * *', zone, '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-29T01:00:00Z', // 02:00 BST
      '2026-03-30T00:30:00Z', // 01:30 BST
    ]);
    expect(next('30 1 * * *', zone, '2026-10-24T12:00:00Z', 2)).toEqual([
      '2026-10-25T00:30:00Z', // 01:30 BST; not 01:30 GMT
      '2026-10-26T01:30:00Z', // 01:30 GMT
    ]);
  });

  it('wildcard in the minute only (hour fixed)', () => {
    expect(next('*/30 1 * * *', zone, '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-30T00:00:00Z', // 01:00 BST: nothing on the 29th
      '2026-03-30T00:30:00Z',
    ]);
    expect(next('*/30 1 * * *', zone, '2026-10-24T12:00:00Z', 5)).toEqual([
      '2026-10-25T00:00:00Z', // 01:00 BST
      '2026-10-25T00:30:00Z', // 01:30 BST
      '2026-10-25T01:00:00Z', // 01:00 GMT
      '2026-10-25T01:30:00Z', // 01:30 GMT
      '2026-10-26T01:00:00Z',
    ]);
  });
});

describe('Australia/Sydney (2026-04-05 03:00 AEDT → 02:00 AEST; 2026-10-04 02:00 AEST → 03:00 AEDT)', () => {
  const zone = 'Australia/Sydney';

  it('fixed-time', () => {
    expect(next('30 2 * * *', zone, '2026-04-04T12:00:00Z', 2)).toEqual([
      '2026-04-04T15:30:00Z', // 02:30 AEDT; not 02:30 AEST (16:30Z)
      '2026-04-05T16:30:00Z', // 02:30 AEST on the 6th
    ]);
    expect(next('30 2 * * *', zone, '2026-10-03T12:00:00Z', 2)).toEqual([
      '2026-10-03T16:00:00Z', // 03:00 AEDT
      '2026-10-04T15:30:00Z', // 02:30 AEDT on the 5th
    ]);
  });

  it('wildcard', () => {
    expect(next('0 * * * *', zone, '2026-04-04T14:30:00Z', 3)).toEqual([
      '2026-04-04T15:00:00Z', // 02:00 AEDT
      '2026-04-04T16:00:00Z', // 02:00 AEST
      '2026-04-04T17:00:00Z', // 03:00 AEST
    ]);
    expect(next('0 * * * *', zone, '2026-10-03T14:30:00Z', 3)).toEqual([
      '2026-10-03T15:00:00Z', // 01:00 AEST
      '2026-10-03T16:00:00Z', // 03:00 AEDT
      '2026-10-03T17:00:00Z', // 04:00 AEDT
    ]);
  });
});

describe('Australia/Lord_Howe, a 30-minute shift (2026-04-05 02:00 +11 → 01:30 +10:30; 2026-10-04 02:00 +10:30 → 02:30 +11)', () => {
  const zone = 'Australia/Lord_Howe';

  it('fixed-time', () => {
    expect(next('45 1 * * *', zone, '2026-04-04T12:00:00Z', 2)).toEqual([
      '2026-04-04T14:45:00Z', // 01:45 +11; not 01:45 +10:30 (15:15Z)
      '2026-04-05T15:15:00Z', // 01:45 +10:30 on the 6th
    ]);
    expect(next('15 2 * * *', zone, '2026-10-03T12:00:00Z', 2)).toEqual([
      '2026-10-03T15:30:00Z', // 02:15 does not exist: 02:30 +11
      '2026-10-04T15:15:00Z', // 02:15 +11 on the 5th
    ]);
    // 02:30 is the end of the gap, not in it: it fires as itself.
    expect(next('30 2 * * *', zone, '2026-10-03T12:00:00Z', 1)).toEqual(['2026-10-03T15:30:00Z']);
  });

  it('wildcard: every 30 real minutes through both transitions', () => {
    expect(next('*/30 * * * *', zone, '2026-04-04T13:50:00Z', 5)).toEqual([
      '2026-04-04T14:00:00Z', // 01:00 +11
      '2026-04-04T14:30:00Z', // 01:30 +11
      '2026-04-04T15:00:00Z', // 01:30 +10:30
      '2026-04-04T15:30:00Z', // 02:00 +10:30
      '2026-04-04T16:00:00Z', // 02:30 +10:30
    ]);
    expect(next('*/30 * * * *', zone, '2026-10-03T14:50:00Z', 3)).toEqual([
      '2026-10-03T15:00:00Z', // 01:30 +10:30
      '2026-10-03T15:30:00Z', // 02:30 +11 (02:00 does not exist)
      '2026-10-03T16:00:00Z', // 03:00 +11
    ]);
  });
});

describe('a transition at midnight (America/Santiago, 2026-09-06 00:00 -04 → 01:00 -03)', () => {
  const zone = 'America/Santiago';

  it('fires a midnight schedule at 01:00 on the day midnight is skipped', () => {
    expect(next('0 0 * * *', zone, '2026-09-05T12:00:00Z', 2)).toEqual([
      '2026-09-06T04:00:00Z', // 01:00 -03
      '2026-09-07T03:00:00Z', // 00:00 -03
    ]);
  });

  it('lets an hourly schedule skip midnight', () => {
    expect(next('0 * * * *', zone, '2026-09-06T02:30:00Z', 3)).toEqual([
      '2026-09-06T03:00:00Z', // 23:00 -04 on the 5th
      '2026-09-06T04:00:00Z', // 01:00 -03
      '2026-09-06T05:00:00Z',
    ]);
  });
});

describe('a fall back across midnight (America/St_Johns, 2010-11-07 00:01 NDT → 2010-11-06 23:01 NST)', () => {
  const zone = 'America/St_Johns';

  it('fires a wildcard schedule in the repeated part of the previous day', () => {
    // After 00:00:30 NDT on the 7th, local time returns to 23:01 on the 6th.
    expect(next('*/30 * * * *', zone, '2010-11-07T02:30:30Z', 3)).toEqual([
      '2010-11-07T03:00:00Z', // 23:30 NST on the 6th
      '2010-11-07T03:30:00Z', // 00:00 NST on the 7th
      '2010-11-07T04:00:00Z',
    ]);
  });

  it('fires a fixed-time schedule on the first pass only', () => {
    expect(next('30 23 * * *', zone, '2010-11-06T12:00:00Z', 2)).toEqual([
      '2010-11-07T02:00:00Z', // 23:30 NDT; not 23:30 NST (03:00Z)
      '2010-11-08T03:00:00Z', // 23:30 NST on the 7th
    ]);
  });
});

describe('count and limit at a transition', () => {
  it('stops at `count` even when the next fire is a gap fire on the same day', () => {
    // 01:10 +10:30, then 02:05-02:10 (in the Lord Howe gap) would fire at 02:30 +11.
    expect(next('5-10 1-3 * * *', 'Australia/Lord_Howe', '2026-10-03T14:39:00Z', 1)).toEqual([
      '2026-10-03T14:40:00Z',
    ]);
    expect(next('5-10 1-3 * * *', 'Australia/Lord_Howe', '2026-10-03T14:39:00Z', 3)).toEqual([
      '2026-10-03T14:40:00Z', // 01:10 +10:30
      '2026-10-03T15:30:00Z', // 02:05-02:10 do not exist: 02:30 +11
      '2026-10-03T16:05:00Z', // 03:05 +11
    ]);
  });
});
