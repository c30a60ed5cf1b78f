'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDownToLine } from 'lucide-react';
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { EmptyState, ErrorState, Spinner } from '@/components/ui/states';
import { errorMessage } from '@/trpc/errors';
import { fetchAttemptLog, logFileName, logText, saveTextFile } from './downloadLog';
import { LogLine, ROW_HEIGHT } from './LogLine';
import { firstMatchFrom, occurrenceInRow } from './logLines';
import { LogToolbar, type AttemptOption } from './LogToolbar';
import { useFollowTail } from './useFollowTail';
import { useLogSearch } from './useLogSearch';
import { useLogStream, type LogStreamStatus } from './useLogStream';

export interface LogViewerProps {
  runId: string;
  /** The task's key. */
  task: string;
  /** The task's attempts so far, any order; the latest is shown unless another is picked. */
  attempts: readonly AttemptOption[];
  /** The run is active: a running attempt's lines stream in live. */
  active: boolean;
  /** Height of the whole viewer, px. */
  height?: number;
  className?: string;
  /** The team's log retention has passed for this run: an empty log was removed, not silent. */
  expiredAfterDays?: number | null;
}

const estimateSize = () => ROW_HEIGHT;

/**
 * One task's log, one attempt at a time, from the run's log stream: virtualised (only the visible
 * rows are in the DOM, so 100k lines open and scroll like 100), following the end while the task
 * runs, with ANSI colours, search, wrap, timestamps and download.
 */
export function LogViewer({
  runId,
  task,
  attempts,
  active,
  height = 420,
  className,
  expiredAfterDays,
}: LogViewerProps) {
  // ——— Which attempt ———
  const sorted = useMemo(() => [...attempts].sort((a, b) => a.number - b.number), [attempts]);
  const [picked, setPicked] = useState<{ task: string; number: number } | null>(null);
  const selected =
    (picked?.task === task ? sorted.find((a) => a.number === picked.number) : undefined) ??
    sorted[sorted.length - 1];
  const attempt = selected?.number ?? null;
  const running = active && selected?.status === 'running';

  // ——— Lines ———
  const stream = useLogStream({ runId, task, attempt, follow: running });
  const { lines } = stream;
  const count = lines.length;
  const streamKey = `${runId}\n${task}\n${attempt ?? ''}`;

  // ——— View ———
  const [wrap, setWrap] = useState(false);
  const [showTime, setShowTime] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const getScrollElement = useCallback(() => scrollRef.current, []);
  // Keys are line numbers: a measured height stays with its line if one is inserted before it.
  const getItemKey = useCallback((index: number) => lines.at(index)?.line ?? -1 - index, [lines]);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement,
    estimateSize,
    getItemKey,
    overscan: 20,
  });
  // Unwrapped rows have one fixed height; wrapped ones are measured. Either way the old sizes go.
  useEffect(() => {
    virtualizer.measure();
  }, [wrap, virtualizer]);
  const totalSize = virtualizer.getTotalSize();
  const { following, newLines, pause, resume } = useFollowTail({
    scrollRef,
    count,
    totalSize,
    resetKey: streamKey,
  });

  // ——— Search ———
  const [query, setQuery] = useState('');
  const { result, stale } = useLogSearch(lines, query);
  const [matchIndex, setMatchIndexState] = useState(-1);
  // Read by next/previous: two key presses before a render still move two matches.
  const matchRef = useRef(-1);
  const setMatchIndex = useCallback((index: number) => {
    matchRef.current = index;
    setMatchIndexState(index);
  }, []);
  const current = matchIndex < result.rows.length ? matchIndex : -1;
  const currentRow = current >= 0 ? result.rows[current]! : -1;
  const currentOccurrence = current >= 0 ? occurrenceInRow(result.rows, current) : -1;

  const reveal = useCallback(
    (row: number) => {
      pause();
      virtualizer.scrollToIndex(row, { align: 'center' });
      // Sideways too, for a match far along an unwrapped line, once its row is drawn.
      requestAnimationFrame(() => requestAnimationFrame(() => revealSideways(scrollRef.current)));
    },
    [pause, virtualizer],
  );

  // A new query (or another attempt's lines) goes to the first match from the top of the view.
  const resultRef = useRef(result);
  useEffect(() => {
    resultRef.current = result;
  }, [result]);
  useEffect(() => {
    const rows = resultRef.current.rows;
    if (!result.query || rows.length === 0) {
      setMatchIndex(-1);
      return;
    }
    const first = firstMatchFrom(rows, virtualizer.range?.startIndex ?? 0);
    setMatchIndex(first);
    reveal(rows[first]!);
  }, [result.query, result.source, reveal, virtualizer, setMatchIndex]);

  const step = (delta: 1 | -1) => {
    const rows = result.rows;
    if (rows.length === 0) return;
    const at = matchRef.current < rows.length ? matchRef.current : -1;
    const from =
      at >= 0
        ? at + delta
        : firstMatchFrom(rows, virtualizer.range?.startIndex ?? 0) - (delta < 0 ? 1 : 0);
    const next = (from + rows.length) % rows.length;
    setMatchIndex(next);
    reveal(rows[next]!);
  };

  // ——— Download ———
  const [download, setDownload] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  const downloadAbort = useRef<AbortController | null>(null);
  useEffect(() => () => downloadAbort.current?.abort(), []);
  const onDownload = async () => {
    if (attempt === null) return;
    const name = logFileName(task, attempt);
    // Complete: every line is here already.
    if (stream.status === 'complete') {
      saveTextFile(name, logText(lines.all()));
      return;
    }
    downloadAbort.current?.abort();
    const abort = new AbortController();
    downloadAbort.current = abort;
    setDownload({ busy: true, error: null });
    try {
      const whole = await fetchAttemptLog(runId, task, attempt, { signal: abort.signal });
      saveTextFile(name, logText(whole.all()));
      setDownload({ busy: false, error: null });
    } catch (error) {
      if (abort.signal.aborted) return;
      setDownload({ busy: false, error: `Download failed: ${errorMessage(error)}` });
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Ctrl/Cmd+F inside the viewer searches the log (all of it, not just the rendered rows).
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f') {
      e.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    }
  };

  const lastLine = count > 0 ? lines.at(count - 1)!.line + 1 : 1;
  const gutterCh = Math.max(3, String(lastLine).length);
  const label = attempt === null ? `Log of ${task}` : `Log of ${task}, attempt ${attempt}`;

  return (
    <div
      data-testid="log-viewer"
      className={cn(
        'flex flex-col overflow-hidden rounded-lg border border-border bg-panel',
        className,
      )}
      style={{ height }}
      onKeyDown={onKeyDown}
    >
      <LogToolbar
        attempts={sorted}
        attempt={attempt}
        onAttempt={(number) => setPicked({ task, number })}
        lineCount={count}
        status={stream.status}
        live={running}
        following={following}
        onFollow={(on) => (on ? resume() : pause())}
        wrap={wrap}
        onWrap={setWrap}
        showTime={showTime}
        onShowTime={setShowTime}
        onDownload={() => void onDownload()}
        downloading={download.busy}
        searchRef={searchRef}
        query={query}
        onQuery={setQuery}
        matches={result.rows.length}
        capped={result.capped}
        matchIndex={current}
        searching={stale}
        onNext={() => step(1)}
        onPrevious={() => step(-1)}
      />
      {count > 0 && stream.status === 'error' ? (
        <Notice action={{ label: 'Retry', onClick: stream.retry }}>
          The log stopped: {stream.error}
        </Notice>
      ) : null}
      {download.error ? (
        <Notice
          action={{ label: 'Dismiss', onClick: () => setDownload({ busy: false, error: null }) }}
        >
          {download.error}
        </Notice>
      ) : null}
      <div className="relative min-h-0 flex-1">
        <div
          ref={scrollRef}
          role="log"
          // Not announced line by line: a busy task would flood a screen reader.
          aria-live="off"
          aria-label={label}
          tabIndex={0}
          data-wrap={wrap ? 'true' : 'false'}
          className={cn(
            'absolute inset-0 overflow-y-auto bg-bg focus-visible:outline-offset-[-2px]',
            wrap ? 'overflow-x-hidden' : 'overflow-x-auto',
          )}
        >
          <div className="relative w-full" style={{ height: totalSize }}>
            {virtualizer.getVirtualItems().map((item) => {
              const line = lines.at(item.index);
              if (!line) return null;
              return (
                <LogLine
                  key={item.key}
                  line={line}
                  index={item.index}
                  start={item.start}
                  wrap={wrap}
                  showTime={showTime}
                  query={result.query}
                  current={item.index === currentRow ? currentOccurrence : -1}
                  gutterCh={gutterCh}
                  measure={wrap ? virtualizer.measureElement : undefined}
                />
              );
            })}
          </div>
        </div>
        {count === 0 ? (
          <div className="absolute inset-0 overflow-auto p-4">
            <EmptyBody
              hasAttempt={attempt !== null}
              active={active}
              running={running}
              status={stream.status}
              follows={stream.follows}
              error={stream.error}
              retry={stream.retry}
              expiredAfterDays={expiredAfterDays ?? null}
            />
          </div>
        ) : null}
        {!following && count > 0 ? (
          <Button
            size="sm"
            className="absolute right-4 bottom-3 shadow-md"
            onClick={resume}
            data-testid="log-jump"
          >
            <ArrowDownToLine aria-hidden size={14} />
            Jump to end
            {newLines > 0 ? ` · ${newLines.toLocaleString('en')} new` : ''}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

/** What the log area says while it has no lines. */
function EmptyBody({
  hasAttempt,
  active,
  running,
  status,
  follows,
  error,
  retry,
  expiredAfterDays,
}: {
  hasAttempt: boolean;
  active: boolean;
  running: boolean;
  status: LogStreamStatus;
  follows: boolean;
  error: string | null;
  retry: () => void;
  expiredAfterDays: number | null;
}) {
  if (!hasAttempt) {
    return (
      <EmptyState title={active ? 'Not started yet' : 'No attempts'}>
        {active
          ? 'The log appears here once the task starts.'
          : 'This task did not run in this run.'}
      </EmptyState>
    );
  }
  if (status === 'error') return <ErrorState error={{ message: error }} retry={retry} />;
  // Complete, or a live connection to an attempt that has since ended: its lines were all sent.
  if (status === 'complete' || (!running && follows && status === 'open')) {
    if (expiredAfterDays !== null) {
      return (
        <EmptyState title="Log lines removed">
          This team keeps the log lines of finished runs for {expiredAfterDays} days (Settings,
          Retention).
        </EmptyState>
      );
    }
    return <EmptyState title="This attempt wrote no output" />;
  }
  if (running && (status === 'open' || status === 'reconnecting')) {
    return (
      <EmptyState title="No output yet">Lines appear here as the task writes them.</EmptyState>
    );
  }
  return (
    <div className="flex h-full items-center justify-center">
      <Spinner label={status === 'reconnecting' ? 'Reconnecting…' : 'Loading log…'} />
    </div>
  );
}

/** A one-line message above the log with one action. */
function Notice({
  children,
  action,
}: {
  children: ReactNode;
  action: { label: string; onClick: () => void };
}) {
  return (
    <div
      role="alert"
      className="flex items-center gap-2 border-b border-border bg-panel px-3 py-1.5 text-xs text-bad"
    >
      <span className="min-w-0 flex-1 truncate">{children}</span>
      <Button size="sm" variant="ghost" onClick={action.onClick}>
        {action.label}
      </Button>
    </div>
  );
}

/** Room kept for the sticky line-number gutter, which covers the left edge of the text. */
const GUTTER_ALLOWANCE_PX = 96;

/** Scrolls the log sideways to the current match when it is out of view (unwrapped lines). */
function revealSideways(scroller: HTMLElement | null): void {
  const mark = scroller?.querySelector('mark[data-current]');
  if (!scroller || !mark) return;
  const m = mark.getBoundingClientRect();
  const s = scroller.getBoundingClientRect();
  if (m.left >= s.left + GUTTER_ALLOWANCE_PX && m.right <= s.right) return;
  scroller.scrollLeft += m.left + m.width / 2 - (s.left + s.width / 2);
}
