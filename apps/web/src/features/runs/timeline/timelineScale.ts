// The run timeline's horizontal scale: time to x, the zoom window and the axis ticks. Pure (no
// DOM), so the component only measures and scrolls.

/** The times the timeline covers, ms since the epoch. */
export interface Domain {
  start: number;
  end: number;
}

/** A view of the chart: its scale and how far it is scrolled sideways (px). */
export interface View {
  pxPerMs: number;
  scrollLeft: number;
}

/** The shortest span a timeline shows, so a run of a few ms is not blown up to the full width. */
export const MIN_SPAN_MS = 1_000;
/** Zoomed in at most until the chart shows this much time. */
export const MIN_VISIBLE_MS = 100;
/** Zoomed in at most until the chart is this wide: browsers cap an element's width (~17M px). */
export const MAX_CONTENT_PX = 4_000_000;

export function spanOf(domain: Domain): number {
  return Math.max(domain.end - domain.start, MIN_SPAN_MS);
}

/** The scale at which the whole domain fits `viewport` px. */
export function fitPxPerMs(domain: Domain, viewport: number): number {
  return Math.max(viewport, 1) / spanOf(domain);
}

/** The scales a user may zoom between: the whole run fitted, down to MIN_VISIBLE_MS in view. */
export function zoomLimits(domain: Domain, viewport: number): { min: number; max: number } {
  const min = fitPxPerMs(domain, viewport);
  const max = Math.max(min, Math.min(viewport / MIN_VISIBLE_MS, MAX_CONTENT_PX / spanOf(domain)));
  return { min, max };
}

/** Width of the whole chart at a scale (never narrower than the viewport). */
export function contentWidth(domain: Domain, pxPerMs: number, viewport: number): number {
  return Math.max(viewport, spanOf(domain) * pxPerMs);
}

/** x of a time, px from the chart's left edge. */
export function xOf(t: number, domain: Domain, pxPerMs: number): number {
  return (t - domain.start) * pxPerMs;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/**
 * The view after zooming by `factor` around `anchor` (px from the viewport's left edge): the time
 * under the anchor stays under it, the scale stays within the limits and the scroll within the chart.
 */
export function zoomAround(
  view: View,
  factor: number,
  anchor: number,
  domain: Domain,
  viewport: number,
): View {
  const { min, max } = zoomLimits(domain, viewport);
  const pxPerMs = clamp(view.pxPerMs * factor, min, max);
  const at = clamp(anchor, 0, viewport);
  const t = (view.scrollLeft + at) / view.pxPerMs; // ms from the domain's start
  const width = contentWidth(domain, pxPerMs, viewport);
  const scrollLeft = clamp(t * pxPerMs - at, 0, Math.max(0, width - viewport));
  return { pxPerMs, scrollLeft };
}

/** Whether a scale is (about) the fitted one: zooming out that far goes back to "fit". */
export function isFit(pxPerMs: number, domain: Domain, viewport: number): boolean {
  return pxPerMs <= fitPxPerMs(domain, viewport) * 1.001;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Tick intervals that read well, shortest first. */
export const NICE_STEPS: readonly number[] = [
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];

/** The shortest nice interval whose ticks are at least `minGapPx` apart. */
export function tickStep(pxPerMs: number, minGapPx = 80): number {
  const least = minGapPx / pxPerMs;
  for (const step of NICE_STEPS) if (step >= least) return step;
  return Math.ceil(least / (7 * DAY)) * 7 * DAY;
}

export type AxisMode = 'elapsed' | 'clock';

export interface Tick {
  /** The time, ms since the epoch. */
  t: number;
  /** px from the chart's left edge. */
  x: number;
  label: string;
}

/**
 * Ticks between `fromPx` and `toPx` of the chart (only what is near the view: a zoomed-in chart is
 * millions of px wide). Elapsed ticks fall on round offsets from the domain's start (`0s, 10s,
 * 20s`), clock ticks on round local times (`14:05:10`).
 */
export function axisTicks({
  domain,
  pxPerMs,
  fromPx,
  toPx,
  mode,
  minGapPx = 80,
  timeZoneOffsetMs,
}: {
  domain: Domain;
  pxPerMs: number;
  fromPx: number;
  toPx: number;
  mode: AxisMode;
  minGapPx?: number;
  /** Local time minus UTC, ms (tests pin it; defaults to the viewer's zone). */
  timeZoneOffsetMs?: number;
}): Tick[] {
  const step = tickStep(pxPerMs, minGapPx);
  const from = domain.start + Math.max(0, fromPx) / pxPerMs;
  const to = domain.start + Math.min(toPx, spanOf(domain) * pxPerMs) / pxPerMs;
  if (!(to >= from)) return [];
  const tz =
    mode === 'clock' ? (timeZoneOffsetMs ?? -new Date(from).getTimezoneOffset() * MINUTE) : 0;
  // The origin ticks count from: the domain's start, or local midnight of the epoch for clock ticks.
  const origin = mode === 'elapsed' ? domain.start : -tz;
  const first = origin + Math.ceil((from - origin) / step) * step;
  const out: Tick[] = [];
  for (let t = first; t <= to && out.length < 1_000; t += step) {
    out.push({
      t,
      x: xOf(t, domain, pxPerMs),
      label: mode === 'elapsed' ? formatElapsed(t - domain.start, step) : formatClock(t + tz, step),
    });
  }
  return out;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Decimals a seconds label needs at this tick interval. */
function secondDecimals(step: number): number {
  return step % SECOND === 0 ? 0 : step % 100 === 0 ? 1 : step % 10 === 0 ? 2 : 3;
}

/**
 * An offset from the run's start as the axis shows it: `0s`, `250ms`, `1.5s`, `1m 30s`, `2h 5m`,
 * `1d 2h`; precise to the tick interval.
 */
export function formatElapsed(ms: number, step = SECOND): string {
  const sign = ms < 0 ? '-' : '';
  // Rounded to the label's precision first, so 59.96s at 100ms ticks reads 1m, not 0m 60.0s.
  const decimals = step < SECOND ? secondDecimals(step) : 0;
  const unit = 10 ** (3 - decimals);
  const abs = Math.round(Math.abs(ms) / unit) * unit;
  if (abs === 0) return '0s';
  if (abs < SECOND && step < SECOND) return `${sign}${abs}ms`;
  const parts: string[] = [];
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  const seconds = (abs % MINUTE) / SECOND;
  const secondsText = decimals ? seconds.toFixed(decimals).replace(/\.?0+$/, '') : String(seconds);
  const units: [number, string][] = [
    [days, 'd'],
    [hours, 'h'],
    [minutes, 'm'],
    [Number(secondsText), 's'],
  ];
  const first = units.findIndex(([v]) => v > 0);
  let last = -1;
  for (let i = units.length - 1; i >= 0; i--)
    if (units[i]![0] > 0) {
      last = i;
      break;
    }
  for (let i = first; i <= last; i++) {
    const [v, unit] = units[i]!;
    parts.push(unit === 's' ? `${secondsText}s` : `${v}${unit}`);
  }
  return sign + (parts.length ? parts.join(' ') : '0s');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A local time (`t` already shifted into the viewer's zone, read as UTC) as the axis shows it:
 * `14:05`, `14:05:10`, `14:05:10.250`, or `3 Mar` at midnight and for day-long intervals.
 */
export function formatClock(localMs: number, step: number): string {
  const d = new Date(localMs);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const midnight = localMs % DAY === 0;
  if (step >= DAY || (midnight && step >= MINUTE))
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  if (step >= MINUTE) return hm;
  const hms = `${hm}:${pad(d.getUTCSeconds())}`;
  if (step >= SECOND) return hms;
  return `${hms}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** A duration in a bar's label or a row's totals: `850ms`, `3.2s`, `1m 05s`, `2h 10m`. */
export function shortDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < SECOND) return `${Math.round(ms)}ms`;
  if (ms < MINUTE) {
    const s = ms / SECOND;
    return `${s < 10 ? Math.round(s * 10) / 10 : Math.round(s)}s`;
  }
  const s = Math.round(ms / SECOND);
  if (s < 3_600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  const m = Math.floor(s / 60);
  if (m < 24 * 60) return `${Math.floor(m / 60)}h ${pad(m % 60)}m`;
  return `${Math.floor(m / 1_440)}d ${Math.floor((m % 1_440) / 60)}h`;
}
