'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Maximize2, ZoomIn, ZoomOut } from 'lucide-react';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
} from 'react';
import type { Segment } from '@dtss/core';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { statusColor, statusLabel } from '@/components/ui/status';
import {
  rowSummary,
  segmentLabel,
  timelineAt,
  timelineBase,
  type TimelineRow,
  type TimelineRunInput,
} from './timelineRows';
import {
  axisTicks,
  contentWidth,
  isFit,
  zoomAround,
  zoomLimits,
  type AxisMode,
} from './timelineScale';

export interface RunTimelineProps {
  /** The run (a RunView: runs.get's answer or @dtss/client's; dates as Date or ISO strings). */
  run: TimelineRunInput;
  /** ms; the page re-renders each second while the run is active. */
  now: number;
  /** Task keys on the critical path: their rows are marked and their bars outlined. */
  critical?: ReadonlySet<string>;
  /** The selected task's key. */
  selected?: string | null;
  onSelect?: (taskKey: string) => void;
  /** Most height of the scroll area, px (fewer rows take less). */
  height?: number;
}

const ROW_H = 28;
const AXIS_H = 28;
const BAR_H = 14;
const WAIT_H = 10;
/** A bar is never thinner than this, so a 5 ms attempt is still seen and hovered. */
const MIN_BAR_PX = 2;
/** The zoom buttons' and keys' factor. */
const ZOOM_STEP = 2;
/** Room after now on a live run's chart, as a share of its span. */
const LIVE_HEADROOM = 0.02;
/** Axis labels closer than this to the chart's end are drawn left of their tick. */
const LABEL_ROOM_PX = 56;
/** Ctrl+wheel: zoom factor per px of wheel delta. */
const WHEEL_RATE = 0.003;

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/**
 * The run's tasks over time, one row each: every attempt's time executing (in its status colour)
 * apart from the time waiting for a worker (queued, retry back-off; hatched), so a slow pool is
 * told apart from a slow task. Rows are virtualised (a 1,000-task run draws only what is in
 * view), the task names and the time axis stay in view while scrolling, and the chart zooms
 * (buttons, + / − / 0 keys, Ctrl/⌘+wheel around the pointer). Live: open segments grow to `now`.
 */
function RunTimelineView({
  run,
  now,
  critical,
  selected = null,
  onSelect,
  height = 420,
}: RunTimelineProps) {
  // ——— Rows: read once per run object; only the open rows follow `now` ———
  const base = useMemo(() => timelineBase(run), [run]);
  const liveNow = base.live || !base.ended ? now : 0;
  const timeline = useMemo(() => timelineAt(base, liveNow), [base, liveNow]);
  const { rows, live } = timeline;
  // A live run keeps a little room after now, so its growing ends are not flush with the edge.
  const domain = useMemo(() => {
    const d = timeline.domain;
    return live ? { start: d.start, end: d.end + (d.end - d.start) * LIVE_HEADROOM } : d;
  }, [timeline.domain, live]);

  // ——— Layout ———
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const read = () => setWidth(el.clientWidth);
    read();
    const observer = new ResizeObserver(read);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const compact = width > 0 && width < 640;
  const nameW = compact ? 120 : 200;
  const summaryW = compact ? 0 : 150;
  const viewport = Math.max(120, (width || 960) - nameW - summaryW);

  // ——— Zoom: null fits the whole run (and follows it as it grows); else px per ms ———
  const [zoom, setZoom] = useState<number | null>(null);
  const limits = zoomLimits(domain, viewport);
  const pxPerMs = zoom === null ? limits.min : clamp(zoom, limits.min, limits.max);
  const chartW = contentWidth(domain, pxPerMs, viewport);
  const totalW = nameW + chartW + summaryW;
  const fitted = zoom === null || isFit(pxPerMs, domain, viewport);

  // What the wheel handler and the buttons read between renders (two wheel events may come
  // before React draws the first).
  const viewRef = useRef({ pxPerMs, domain, viewport, nameW });
  useLayoutEffect(() => {
    viewRef.current = { pxPerMs, domain, viewport, nameW };
  });
  const pendingScroll = useRef<number | null>(null);
  const zoomBy = useCallback((factor: number, anchor?: number) => {
    const el = scrollRef.current;
    if (!el) return;
    const v = viewRef.current;
    const next = zoomAround(
      { pxPerMs: v.pxPerMs, scrollLeft: pendingScroll.current ?? el.scrollLeft },
      factor,
      anchor ?? v.viewport / 2,
      v.domain,
      v.viewport,
    );
    if (next.pxPerMs === v.pxPerMs) return;
    const fit = isFit(next.pxPerMs, v.domain, v.viewport);
    viewRef.current = { ...v, pxPerMs: next.pxPerMs };
    pendingScroll.current = fit ? 0 : next.scrollLeft;
    setZoom(fit ? null : next.pxPerMs);
  }, []);
  const fitAll = useCallback(() => {
    if (scrollRef.current) scrollRef.current.scrollLeft = 0;
    setZoom(null);
  }, []);

  // Ctrl/⌘+wheel (and a trackpad's pinch) zooms around the pointer. Not React's onWheel: it is
  // passive, and the page must not zoom too.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? el.clientHeight : 1;
      const delta = clamp(e.deltaY * unit, -250, 250);
      const anchor = e.clientX - el.getBoundingClientRect().left - viewRef.current.nameW;
      zoomBy(Math.exp(-delta * WHEEL_RATE), anchor);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoomBy]);

  // ——— Sideways scroll: the zoom's anchor, following the live end, and the axis's window ———
  const [chunk, setChunk] = useState(0);
  const followEnd = useRef(false);
  const lastChartW = useRef(chartW);
  // The scroll offset as last seen (scroll events, our own moves): reading el.scrollLeft after
  // every live update forced a layout of the whole page, the costliest part of an update.
  const scrollLeft = useRef(0);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (pendingScroll.current !== null) {
      el.scrollLeft = pendingScroll.current;
      pendingScroll.current = null;
      scrollLeft.current = el.scrollLeft;
    } else if (live && chartW > lastChartW.current && followEnd.current) {
      el.scrollLeft = el.scrollWidth;
      scrollLeft.current = el.scrollLeft;
    }
    lastChartW.current = chartW;
    setChunk(Math.floor(scrollLeft.current / viewport));
    // pxPerMs: a zoom moves the scroll even when the chart keeps its width.
  }, [live, chartW, pxPerMs, viewport]);
  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    scrollLeft.current = el.scrollLeft;
    followEnd.current = el.scrollLeft > 0 && el.scrollLeft + el.clientWidth >= el.scrollWidth - 4;
    setChunk(Math.floor(el.scrollLeft / viewport));
  };

  // ——— Axis: ticks near the view only (a zoomed chart is millions of px wide) ———
  const [axisMode, setAxisMode] = useState<AxisMode>('elapsed');
  const ticks = useMemo(
    () =>
      axisTicks({
        domain,
        pxPerMs,
        fromPx: (chunk - 1) * viewport,
        toPx: (chunk + 2) * viewport,
        mode: axisMode,
      }),
    [domain, pxPerMs, chunk, viewport, axisMode],
  );

  // ——— Rows ———
  const getItemKey = useCallback((index: number) => rows[index]?.key ?? index, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    getItemKey,
    overscan: 12,
    scrollMargin: AXIS_H,
    scrollPaddingStart: AXIS_H,
    // The first rows are drawn before the scroll area is measured (and when rendered on the server).
    initialRect: { width: 0, height },
  });
  const selectedIndex = selected ? rows.findIndex((r) => r.key === selected) : -1;
  // A task selected elsewhere (the graph, the table) is scrolled into view, once per selection.
  const shownSelection = useRef<string | null>(null);
  useEffect(() => {
    if (selected === shownSelection.current) return;
    shownSelection.current = selected;
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selected, selectedIndex, virtualizer]);

  // A stable callback, so the memoised rows do not re-render for a new arrow function.
  const onSelectRef = useRef(onSelect);
  useLayoutEffect(() => {
    onSelectRef.current = onSelect;
  });
  const select = useCallback((key: string) => onSelectRef.current?.(key), []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return; // the browser's own zoom
    if (e.key === '+' || e.key === '=') zoomBy(ZOOM_STEP);
    else if (e.key === '-' || e.key === '_') zoomBy(1 / ZOOM_STEP);
    else if (e.key === '0') fitAll();
    else return;
    e.preventDefault();
  };

  const nowX = (now - domain.start) * pxPerMs;
  const totalH = virtualizer.getTotalSize();

  return (
    <section
      data-testid="run-timeline"
      aria-label="Run timeline"
      className="flex min-w-0 flex-col overflow-hidden rounded-lg border border-border bg-panel"
    >
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-border px-3 py-2 text-xs">
        <Legend showCritical={Boolean(critical?.size)} />
        <div className="ml-auto flex items-center gap-1">
          <div role="group" aria-label="Time axis" className="mr-2 flex">
            {(['elapsed', 'clock'] as const).map((m) => (
              <button
                key={m}
                type="button"
                aria-pressed={axisMode === m}
                onClick={() => setAxisMode(m)}
                className={cn(
                  'h-7 border border-border px-2 first:rounded-l-md last:rounded-r-md',
                  axisMode === m ? 'bg-panel-2 font-medium text-fg' : 'text-muted hover:bg-panel-2',
                )}
              >
                {m === 'elapsed' ? 'Elapsed' : 'Clock'}
              </button>
            ))}
          </div>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => zoomBy(1 / ZOOM_STEP)}
            disabled={fitted}
            aria-label="Zoom out"
            title="Zoom out (−)"
            data-testid="timeline-zoom-out"
          >
            <ZoomOut aria-hidden size={14} />
          </Button>
          <span className="w-10 text-center text-muted tabular-nums" aria-live="polite">
            {fitted ? 'fit' : `×${formatZoom(pxPerMs / limits.min)}`}
          </span>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => zoomBy(ZOOM_STEP)}
            disabled={pxPerMs >= limits.max}
            aria-label="Zoom in"
            title="Zoom in (+)"
            data-testid="timeline-zoom-in"
          >
            <ZoomIn aria-hidden size={14} />
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={fitAll}
            disabled={fitted}
            title="Fit the whole run (0)"
            data-testid="timeline-fit"
          >
            <Maximize2 aria-hidden size={14} />
            Fit
          </Button>
        </div>
      </div>

      {rows.length === 0 ? (
        <p className="px-3 py-6 text-center text-sm text-muted">This run has no tasks.</p>
      ) : null}
      <div
        ref={scrollRef}
        // Focusable: arrow keys scroll it, + − 0 zoom it.
        tabIndex={0}
        role="group"
        aria-label={`Timeline of ${rows.length} task${rows.length === 1 ? '' : 's'}; + and − zoom, 0 fits, Ctrl or ⌘ with the wheel zooms around the pointer`}
        onKeyDown={onKeyDown}
        onScroll={onScroll}
        className={cn(
          'relative overflow-auto overscroll-x-contain [contain:content] focus-visible:outline-offset-[-2px]',
          rows.length === 0 && 'hidden',
        )}
        // A short run takes the room its rows need; a long one scrolls inside `height`.
        style={{ maxHeight: height }}
      >
        <div style={{ width: totalW, minWidth: '100%' }}>
          <div
            className="sticky top-0 z-20 flex border-b border-border bg-panel text-xs text-muted"
            style={{ height: AXIS_H, width: totalW }}
          >
            <div
              className="sticky left-0 z-10 flex shrink-0 items-center border-r border-border bg-panel px-3 font-medium"
              style={{ width: nameW }}
            >
              Task
            </div>
            <div
              className="relative shrink-0 overflow-hidden"
              style={{ width: chartW }}
              aria-hidden
            >
              {ticks.map((t) => (
                <div
                  key={t.t}
                  className="absolute inset-y-0 w-0 border-l border-border"
                  style={{ left: t.x }}
                >
                  <span
                    className={cn(
                      'absolute top-1.5 whitespace-nowrap tabular-nums',
                      t.x > chartW - LABEL_ROOM_PX ? 'right-1' : 'left-1',
                    )}
                  >
                    {t.label}
                  </span>
                </div>
              ))}
              {live ? (
                <div
                  className="absolute bottom-0 h-2 w-0.5 -translate-x-1/2 bg-info"
                  style={{ left: nowX }}
                  title="now"
                />
              ) : null}
            </div>
            {summaryW ? (
              <div
                className="sticky right-0 z-10 flex shrink-0 items-center border-l border-border bg-panel px-3 font-medium"
                style={{ width: summaryW }}
              >
                Waited · ran
              </div>
            ) : null}
          </div>

          <div role="list" className="relative" style={{ height: totalH, width: totalW }}>
            {/* Grid: the axis's ticks through the rows, and where now is. */}
            <div
              aria-hidden
              className="pointer-events-none absolute top-0 overflow-hidden"
              style={{ left: nameW, width: chartW, height: totalH }}
            >
              {ticks.map((t) => (
                <div
                  key={t.t}
                  className="absolute inset-y-0 border-l border-border/60"
                  style={{ left: t.x }}
                />
              ))}
              {live ? (
                <div
                  className="absolute inset-y-0 border-l border-dashed border-info/70"
                  style={{ left: nowX }}
                />
              ) : null}
            </div>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              return (
                <RowView
                  key={item.key}
                  row={row}
                  top={item.start - AXIS_H}
                  position={item.index + 1}
                  count={rows.length}
                  domainStart={domain.start}
                  pxPerMs={pxPerMs}
                  nameW={nameW}
                  chartW={chartW}
                  summaryW={summaryW}
                  critical={critical?.has(row.key) ?? false}
                  selected={row.key === selected}
                  onSelect={select}
                />
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}

function formatZoom(factor: number): string {
  return factor < 10 ? factor.toFixed(1) : String(Math.round(factor));
}

/** How a wait bar looks: pale and hatched, in the colour of what it waits on (queue or back-off). */
function waitStyle(status: string): CSSProperties {
  const c = statusColor(status);
  return {
    backgroundColor: `color-mix(in srgb, ${c} 14%, transparent)`,
    backgroundImage: `repeating-linear-gradient(-45deg, color-mix(in srgb, ${c} 55%, transparent) 0 1.5px, transparent 1.5px 5px)`,
    border: `1px solid color-mix(in srgb, ${c} 45%, transparent)`,
  };
}

/** The status a wait bar stands for: queued before the first attempt, back-off after one. */
function waitStatus(row: TimelineRow, seg: Segment, afterAttempt: boolean): string {
  if (seg.open && (row.status === 'queued' || row.status === 'retry_wait')) return row.status;
  return afterAttempt ? 'retry_wait' : 'queued';
}

/** One task's row: its name (sticky left), its bars, its totals (sticky right). */
const RowView = memo(function RowView({
  row,
  top,
  position,
  count,
  domainStart,
  pxPerMs,
  nameW,
  chartW,
  summaryW,
  critical,
  selected,
  onSelect,
}: {
  row: TimelineRow;
  top: number;
  position: number;
  count: number;
  domainStart: number;
  pxPerMs: number;
  nameW: number;
  chartW: number;
  summaryW: number;
  critical: boolean;
  selected: boolean;
  onSelect: (key: string) => void;
}) {
  const summary = rowSummary(row);
  const cellBg = selected ? 'bg-panel-2' : 'bg-panel';
  return (
    <div
      role="listitem"
      aria-posinset={position}
      aria-setsize={count}
      data-testid="timeline-row"
      data-task={row.key}
      data-critical={critical || undefined}
      data-selected={selected || undefined}
      className={cn('group absolute left-0 flex', selected && 'bg-panel-2/70')}
      style={{ top, height: ROW_H, width: nameW + chartW + summaryW }}
    >
      <div
        className={cn(
          'sticky left-0 z-10 flex shrink-0 items-center gap-2 border-r border-border pr-2 pl-3',
          cellBg,
        )}
        style={{ width: nameW }}
      >
        {critical ? (
          <span
            aria-hidden
            title="On the critical path"
            className="absolute inset-y-1 left-0 w-[3px] rounded-r bg-accent"
          />
        ) : null}
        <span
          aria-hidden
          className="h-2 w-2 shrink-0 rounded-full"
          style={{ background: statusColor(row.status) }}
        />
        <button
          type="button"
          onClick={() => onSelect(row.key)}
          aria-pressed={selected}
          aria-label={`${row.key}, ${statusLabel(row.status)}${critical ? ', on the critical path' : ''}. ${summary.long}`}
          title={summary.long}
          className={cn(
            'min-w-0 truncate text-left font-mono text-xs underline-offset-2 hover:underline',
            selected && 'font-semibold',
          )}
        >
          {row.key}
        </button>
      </div>
      {/* A click anywhere on the bars selects the row, as its name's button does: a pointer
          shortcut only (keyboard and screen readers use that button), hence no role here. */}
      <div
        className="relative shrink-0 cursor-pointer overflow-hidden"
        style={{ width: chartW }}
        onClick={() => onSelect(row.key)}
      >
        {row.segments.length === 0 ? (
          <span
            className="sticky left-0 inline-flex h-full items-center px-2 text-xs text-muted italic"
            data-testid="timeline-not-started"
          >
            not started{row.status !== 'pending' ? ` · ${statusLabel(row.status)}` : ''}
          </span>
        ) : (
          row.segments.map((seg, i) => (
            <Bar
              key={i}
              taskKey={row.key}
              seg={seg}
              row={row}
              afterAttempt={i > 0}
              left={(seg.start - domainStart) * pxPerMs}
              width={(seg.end - seg.start) * pxPerMs}
              critical={critical}
            />
          ))
        )}
      </div>
      {summaryW ? (
        <div
          className={cn(
            'sticky right-0 z-10 flex shrink-0 items-center border-l border-border px-3 text-xs whitespace-nowrap text-muted tabular-nums',
            cellBg,
          )}
          style={{ width: summaryW }}
          title={summary.long}
        >
          {summary.short}
        </div>
      ) : null}
    </div>
  );
});

function Bar({
  taskKey,
  seg,
  row,
  afterAttempt,
  left,
  width,
  critical,
}: {
  taskKey: string;
  seg: Segment;
  row: TimelineRow;
  afterAttempt: boolean;
  left: number;
  width: number;
  critical: boolean;
}) {
  const run = seg.kind === 'run';
  const status = run ? seg.status : waitStatus(row, seg, afterAttempt);
  const label = segmentLabel(taskKey, seg, {
    afterAttempt,
    worker: run ? row.workers.get(seg.attempt) : null,
  });
  return (
    <div
      role="img"
      aria-label={label}
      title={label}
      data-testid="timeline-seg"
      data-kind={seg.kind}
      data-status={status}
      data-open={seg.open || undefined}
      className={cn(
        'absolute top-1/2 -translate-y-1/2 rounded-[3px]',
        run && critical && 'ring-1 ring-accent ring-offset-1 ring-offset-panel',
      )}
      style={{
        left,
        width: Math.max(width, MIN_BAR_PX),
        height: run ? BAR_H : WAIT_H,
        ...(run ? { background: statusColor(status) } : waitStyle(status)),
      }}
    >
      {seg.open ? (
        // Still going: a dashed, pulsing end where it meets now.
        <span
          aria-hidden
          className="absolute inset-y-[-3px] right-[-1px] border-r-2 border-dashed border-fg/70 motion-safe:animate-pulse"
        />
      ) : null}
    </div>
  );
}

/** What the bars mean. */
function Legend({ showCritical }: { showCritical: boolean }) {
  return (
    <ul className="flex flex-wrap items-center gap-x-4 gap-y-1 text-muted" aria-label="Legend">
      <li className="flex items-center gap-1.5">
        <span
          aria-hidden
          className="inline-block h-2.5 w-5 rounded-[3px]"
          style={waitStyle('queued')}
        />
        <span
          aria-hidden
          className="-ml-1 inline-block h-2.5 w-5 rounded-[3px]"
          style={waitStyle('retry_wait')}
        />
        waiting for a worker / back-off
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden className="inline-flex h-3 w-5 overflow-hidden rounded-[3px]">
          <span className="flex-1" style={{ background: statusColor('succeeded') }} />
          <span className="flex-1" style={{ background: statusColor('failed') }} />
          <span className="flex-1" style={{ background: statusColor('running') }} />
        </span>
        executing (attempt status)
      </li>
      <li className="flex items-center gap-1.5">
        <span
          aria-hidden
          className="relative inline-block h-3 w-5 rounded-[3px]"
          style={{ background: statusColor('running') }}
        >
          <span className="absolute inset-y-[-2px] right-[-1px] border-r-2 border-dashed border-fg/70 motion-safe:animate-pulse" />
        </span>
        live
      </li>
      {showCritical ? (
        <li className="flex items-center gap-1.5">
          <span aria-hidden className="inline-block h-3 w-[3px] rounded bg-accent" />
          critical path
        </li>
      ) : null}
      <li className="hidden text-muted sm:block">Ctrl/⌘ + wheel zooms</li>
    </ul>
  );
}

/** Memoised: the run page renders it again only when its run, clock or selection changed. */
export const RunTimeline = memo(RunTimelineView);
