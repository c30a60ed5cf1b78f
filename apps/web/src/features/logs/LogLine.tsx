'use client';
import { Fragment, memo, useMemo } from 'react';
import { cn } from '@/components/ui/cn';
import { parseAnsi } from './ansi';
import { ansiCss } from './ansiStyle';
import { highlight } from './highlight';
import { matchRanges, type LogLine as Line } from './logLines';

/** Height of an unwrapped row; the virtualiser's estimate for wrapped ones. */
export const ROW_HEIGHT = 18;

const CLOCK = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hourCycle: 'h23',
});
const FULL = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hourCycle: 'h23',
});

function formatTime(format: Intl.DateTimeFormat, iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : format.format(date);
}

const GUTTER_BORDER: Record<string, string> = {
  stderr: 'border-bad/70',
  system: 'border-info/50',
};

/**
 * One log row: line number (sticky, so it stays in view while scrolling sideways), optional time,
 * and the text with its ANSI styles and search marks, all as React text. Memoised: the visible
 * rows re-render only when their own line, the query or the current match change.
 */
export const LogLine = memo(function LogLine({
  line,
  index,
  start,
  wrap,
  showTime,
  query,
  current,
  gutterCh,
  measure,
}: {
  line: Line;
  /** Row index in the virtualiser. */
  index: number;
  /** Offset from the top of the list, px. */
  start: number;
  wrap: boolean;
  showTime: boolean;
  /** The search query ('' for none). */
  query: string;
  /** Which match of this line is the current one, or -1. */
  current: number;
  /** Width of the line-number gutter in characters. */
  gutterCh: number;
  /** The virtualiser's measuring ref, when rows have dynamic heights (wrapped). */
  measure?: (node: HTMLDivElement | null) => void;
}) {
  const pieces = useMemo(
    () => highlight(parseAnsi(line.text), matchRanges(line.plain, query), current),
    [line, query, current],
  );
  const number = line.line + 1;
  const time = formatTime(FULL, line.time);
  return (
    <div
      ref={measure}
      data-index={index}
      data-testid="log-line"
      data-line={number}
      data-stream={line.stream}
      title={[time, line.stream === 'stdout' ? '' : line.stream].filter(Boolean).join(' · ')}
      className={cn(
        'absolute top-0 left-0 flex font-mono text-xs leading-[18px]',
        wrap ? 'w-full' : 'h-[18px] w-max min-w-full',
      )}
      style={{ transform: `translateY(${start}px)` }}
    >
      <span
        className={cn(
          'sticky left-0 z-[1] shrink-0 border-l-2 bg-bg pr-3 pl-1.5 text-right text-muted tabular-nums select-none',
          GUTTER_BORDER[line.stream] ?? 'border-transparent',
        )}
        style={{ width: `${gutterCh + 2}ch` }}
      >
        {number}
      </span>
      {showTime ? (
        <span className="shrink-0 pr-3 text-muted tabular-nums select-none">
          {formatTime(CLOCK, line.time)}
        </span>
      ) : null}
      <span
        className={
          wrap ? 'min-w-0 flex-1 whitespace-pre-wrap wrap-anywhere' : 'whitespace-pre pr-4'
        }
      >
        {pieces.map((p, i) => {
          const text = p.mark ? (
            <mark
              data-current={p.mark === 2 ? 'true' : undefined}
              className={
                p.mark === 2 ? 'rounded-sm bg-warn text-bg' : 'rounded-sm bg-warn/25 text-inherit'
              }
            >
              {p.text}
            </mark>
          ) : (
            p.text
          );
          const css = ansiCss(p.style);
          return css ? (
            <span key={i} style={css}>
              {text}
            </span>
          ) : (
            <Fragment key={i}>{text}</Fragment>
          );
        })}
      </span>
    </div>
  );
});
