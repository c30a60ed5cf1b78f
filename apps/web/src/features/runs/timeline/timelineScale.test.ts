import { describe, expect, it } from 'vitest';
import {
  MAX_CONTENT_PX,
  MIN_VISIBLE_MS,
  axisTicks,
  contentWidth,
  fitPxPerMs,
  formatClock,
  formatElapsed,
  isFit,
  shortDuration,
  tickStep,
  xOf,
  zoomAround,
  zoomLimits,
} from './timelineScale';

const T0 = Date.UTC(2025, 2, 3, 14, 5, 0);
const minute = { start: T0, end: T0 + 60_000 };

describe('scale', () => {
  it('fits the domain to the viewport and maps time to x', () => {
    const px = fitPxPerMs(minute, 600);
    expect(px).toBe(0.01);
    expect(xOf(T0, minute, px)).toBe(0);
    expect(xOf(T0 + 30_000, minute, px)).toBe(300);
    expect(contentWidth(minute, px, 600)).toBe(600);
    expect(contentWidth(minute, px * 4, 600)).toBe(2400);
  });

  it('never fits less than a second, so a tiny run is not blown up', () => {
    expect(fitPxPerMs({ start: T0, end: T0 + 5 }, 1000)).toBe(1);
    expect(fitPxPerMs({ start: T0, end: T0 }, 1000)).toBe(1);
  });

  it('limits zoom to MIN_VISIBLE_MS in view and MAX_CONTENT_PX of chart', () => {
    expect(zoomLimits(minute, 600)).toEqual({ min: 0.01, max: 600 / MIN_VISIBLE_MS });
    const day = { start: T0, end: T0 + 86_400_000 };
    expect(zoomLimits(day, 1000).max).toBeCloseTo(MAX_CONTENT_PX / 86_400_000);
    // The max is never below the fit.
    const tiny = zoomLimits({ start: T0, end: T0 + 1 }, 100_000);
    expect(tiny.max).toBeGreaterThanOrEqual(tiny.min);
  });

  it('zooms around the anchor: the time under the pointer stays under it', () => {
    const view = { pxPerMs: 0.01, scrollLeft: 0 };
    const anchor = 150; // 15s into the minute
    const next = zoomAround(view, 4, anchor, minute, 600);
    expect(next.pxPerMs).toBe(0.04);
    expect((next.scrollLeft + anchor) / next.pxPerMs).toBeCloseTo(15_000);
    // and back out again
    const back = zoomAround(next, 1 / 4, anchor, minute, 600);
    expect(back.pxPerMs).toBeCloseTo(0.01);
    expect(back.scrollLeft).toBe(0);
    expect(isFit(back.pxPerMs, minute, 600)).toBe(true);
    expect(isFit(next.pxPerMs, minute, 600)).toBe(false);
  });

  it('clamps zoom and scroll to the chart', () => {
    const out = zoomAround({ pxPerMs: 0.01, scrollLeft: 0 }, 0.1, 300, minute, 600);
    expect(out).toEqual({ pxPerMs: 0.01, scrollLeft: 0 });
    const atEnd = zoomAround({ pxPerMs: 0.01, scrollLeft: 0 }, 2, 600, minute, 600);
    expect(atEnd.scrollLeft).toBe(600); // chart 1200 wide, viewport 600
    const deep = zoomAround({ pxPerMs: 0.01, scrollLeft: 0 }, 1e9, 0, minute, 600);
    expect(deep.pxPerMs).toBe(600 / MIN_VISIBLE_MS);
  });
});

describe('ticks', () => {
  it('picks the shortest nice step at least minGap apart', () => {
    expect(tickStep(0.01, 80)).toBe(10_000); // 80px = 8s → 10s
    expect(tickStep(1, 80)).toBe(100);
    expect(tickStep(1e-6, 80)).toBe(86_400_000); // 80px = 22h → 1d
    expect(tickStep(1e-9, 80) % (7 * 86_400_000)).toBe(0);
  });

  it('elapsed ticks count from the run start', () => {
    const ticks = axisTicks({
      domain: minute,
      pxPerMs: 0.01,
      fromPx: 0,
      toPx: 600,
      mode: 'elapsed',
    });
    expect(ticks.map((t) => t.label)).toEqual(['0s', '10s', '20s', '30s', '40s', '50s', '1m']);
    expect(ticks.map((t) => t.x)).toEqual([0, 100, 200, 300, 400, 500, 600]);
  });

  it('elapsed ticks of a run starting off the second still begin at 0s', () => {
    const domain = { start: T0 + 123, end: T0 + 123 + 180_000 };
    const ticks = axisTicks({
      domain,
      pxPerMs: 800 / 180_000,
      fromPx: 0,
      toPx: 800,
      mode: 'elapsed',
    });
    expect(ticks[0]).toMatchObject({ x: 0, label: '0s' });
    expect(ticks.map((t) => t.label)).toContain('1m 30s');
  });

  it('only ticks within the window asked for', () => {
    const hour = { start: T0, end: T0 + 3_600_000 };
    const px = 1; // 3.6M px wide
    const ticks = axisTicks({
      domain: hour,
      pxPerMs: px,
      fromPx: 1_000_000,
      toPx: 1_001_000,
      mode: 'elapsed',
    });
    expect(ticks.length).toBeGreaterThan(5);
    expect(ticks.length).toBeLessThan(15);
    for (const t of ticks) expect(t.x).toBeGreaterThanOrEqual(1_000_000);
    expect(ticks[0]!.label).toBe('16m 40s');
  });

  it('clock ticks fall on round local times', () => {
    const domain = { start: T0 + 3_000, end: T0 + 63_000 };
    const ticks = axisTicks({
      domain,
      pxPerMs: 0.01,
      fromPx: 0,
      toPx: 600,
      mode: 'clock',
      timeZoneOffsetMs: 3_600_000, // UTC+1
    });
    expect(ticks.map((t) => t.label)).toEqual([
      '15:05:10',
      '15:05:20',
      '15:05:30',
      '15:05:40',
      '15:05:50',
      '15:06:00',
    ]);
    expect(ticks[0]!.x).toBeCloseTo(70);
  });

  it('clock ticks an hour apart align to the local zone', () => {
    const day = { start: T0, end: T0 + 12 * 3_600_000 };
    const ticks = axisTicks({
      domain: day,
      pxPerMs: 1200 / (12 * 3_600_000),
      fromPx: 0,
      toPx: 1200,
      mode: 'clock',
      timeZoneOffsetMs: 5.5 * 3_600_000, // UTC+5:30
    });
    expect(ticks[0]!.label).toBe('20:00');
    expect(ticks.map((t) => t.label)).toContain('4 Mar'); // midnight shows the date
  });
});

describe('labels', () => {
  it('formats elapsed offsets to the tick precision', () => {
    expect(formatElapsed(0)).toBe('0s');
    expect(formatElapsed(10_000)).toBe('10s');
    expect(formatElapsed(90_000)).toBe('1m 30s');
    expect(formatElapsed(60_000)).toBe('1m');
    expect(formatElapsed(3_600_000)).toBe('1h');
    expect(formatElapsed(3_900_000, 60_000)).toBe('1h 5m');
    expect(formatElapsed(3_601_000)).toBe('1h 0m 1s');
    expect(formatElapsed(93_600_000, 3_600_000)).toBe('1d 2h');
    expect(formatElapsed(250, 50)).toBe('250ms');
    expect(formatElapsed(1_500, 500)).toBe('1.5s');
    expect(formatElapsed(1_250, 50)).toBe('1.25s');
    expect(formatElapsed(90_500, 500)).toBe('1m 30.5s');
    expect(formatElapsed(59_960, 100)).toBe('1m');
    expect(formatElapsed(-10_000)).toBe('-10s');
  });

  it('formats clock times by step', () => {
    const local = Date.UTC(2025, 2, 3, 14, 5, 10, 250);
    expect(formatClock(local, 100)).toBe('14:05:10.250');
    expect(formatClock(local, 10_000)).toBe('14:05:10');
    expect(formatClock(local, 300_000)).toBe('14:05');
    expect(formatClock(Date.UTC(2025, 2, 4), 3_600_000)).toBe('4 Mar');
    expect(formatClock(local, 86_400_000)).toBe('3 Mar');
  });

  it('formats short durations', () => {
    expect(shortDuration(850)).toBe('850ms');
    expect(shortDuration(3_240)).toBe('3.2s');
    expect(shortDuration(12_600)).toBe('13s');
    expect(shortDuration(65_000)).toBe('1m 05s');
    expect(shortDuration(7_800_000)).toBe('2h 10m');
    expect(shortDuration(90_000_000)).toBe('1d 1h');
    expect(shortDuration(-1)).toBe('—');
  });
});
