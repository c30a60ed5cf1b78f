'use client';
import { TASK_RUN_STATUSES } from '@dtss/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRouter, useSearchParams } from 'next/navigation';
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import { useTeam, useTeamHref } from '@/components/shell/team';
import { cn } from '@/components/ui/cn';
import { Card } from '@/components/ui/page';
import { ErrorState, SkeletonRows } from '@/components/ui/states';
import { statusColor } from '@/components/ui/status';
import { dateTime, durationMs } from '@/lib/format';
import { replaceSearchParams } from '@/lib/searchParams';
import { useTRPC } from '@/trpc/react';
import {
  cellDescription,
  cellHref,
  durationBars,
  gridRows,
  moveCell,
  runDurationMs,
  statusWords,
  type CellPos,
  type GridCell,
  type GridData,
  type GridRun,
} from './gridModel';

/** Run counts the card offers (`?gridRuns=`); the API allows 1–100. */
const RUN_COUNTS = [25, 50, 100] as const;
const CELL_W = 18;
const ROW_H = 22;
const LABEL_W = 200;
const HEADER_H = 104;
const BAR_H = 36;
const estimateSize = () => ROW_H;

/**
 * The workflow's recent runs × its tasks (Airflow's grid view): one coloured cell per task run,
 * runs oldest left, tasks in graph order. A cell opens its run with the task selected.
 */
export function RunGridCard({ workflowId }: { workflowId: string }) {
  const trpc = useTRPC();
  const team = useTeam();
  const asked = Number(useSearchParams().get('gridRuns'));
  const limit = (RUN_COUNTS as readonly number[]).includes(asked) ? asked : RUN_COUNTS[0];
  const grid = useQuery({
    ...trpc.workflows.runGrid.queryOptions({ teamSlug: team.slug, workflow: workflowId, limit }),
    placeholderData: keepPreviousData,
    // Not live: re-read when the window gets focus again.
    refetchOnWindowFocus: true,
  });
  return (
    <Card
      title="Run grid"
      actions={
        <label className="flex items-center gap-1.5 text-xs text-muted">
          Last
          <select
            className="rounded border border-border bg-bg px-1 py-0.5 text-fg"
            value={limit}
            onChange={(e) =>
              replaceSearchParams({
                gridRuns: e.target.value === String(RUN_COUNTS[0]) ? null : e.target.value,
              })
            }
            data-testid="run-grid-limit"
          >
            {RUN_COUNTS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          runs
        </label>
      }
    >
      {grid.isPending ? (
        <SkeletonRows rows={4} />
      ) : grid.isError ? (
        <ErrorState error={grid.error} retry={() => void grid.refetch()} />
      ) : grid.data.runs.length === 0 ? (
        <p className="text-sm text-muted">No runs yet: each run adds a column here.</p>
      ) : (
        <RunGrid data={grid.data} label={`Runs and tasks of ${grid.data.workflow.name}`} />
      )}
    </Card>
  );
}

type Tip = { row: number; col: number; rect: DOMRect; source: 'hover' | 'focus' };

/** The grid itself: rows virtualised, one element per cell, keyboard as in the ARIA grid pattern. */
export function RunGrid({ data, label }: { data: GridData; label: string }) {
  const router = useRouter();
  const href = useTeamHref();
  const prefix = useId();
  const rows = useMemo(() => gridRows(data), [data]);
  const bars = useMemo(() => durationBars(data.runs, Date.now()), [data.runs]);
  const cols = data.runs.length;
  const width = LABEL_W + cols * CELL_W;
  const scrollRef = useRef<HTMLDivElement>(null);
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const virtualizer = useVirtualizer({
    count: data.tasks.length,
    getScrollElement,
    estimateSize,
    overscan: 8,
    // The sticky header sits above the rows, inside the scrolling element.
    scrollMargin: HEADER_H,
    scrollPaddingStart: HEADER_H,
  });
  const items = virtualizer.getVirtualItems();

  // The active cell (row -1 = the runs' header), kept inside the grid as the data changes.
  const [picked, setPicked] = useState<CellPos | null>(null);
  const active: CellPos = {
    row: Math.min(picked?.row ?? 0, data.tasks.length - 1),
    col: Math.min(picked?.col ?? cols - 1, cols - 1),
  };
  const [focused, setFocused] = useState(false);
  const [tip, setTip] = useState<Tip | null>(null);
  const cellId = (row: number, col: number) => `${prefix}-${row}-${col}`;

  // Newest runs are on the right: start scrolled there (again when the number of runs changes).
  useEffect(() => {
    const el = scrollRef.current;
    if (el) el.scrollLeft = el.scrollWidth;
  }, [cols]);

  // While the grid has the focus, the tooltip follows the active cell (once it is drawn).
  const activeRendered = active.row < 0 || items.some((i) => i.index === active.row);
  const { row: activeRow, col: activeCol } = active;
  useLayoutEffect(() => {
    if (!focused) {
      setTip((t) => (t?.source === 'focus' ? null : t));
      return;
    }
    const el = document.getElementById(`${prefix}-${activeRow}-${activeCol}`);
    setTip(
      el
        ? { row: activeRow, col: activeCol, rect: el.getBoundingClientRect(), source: 'focus' }
        : null,
    );
  }, [focused, activeRow, activeCol, activeRendered, prefix]);

  const open = (pos: CellPos, newTab: boolean) => {
    const run = data.runs[pos.col];
    if (!run) return;
    const task = pos.row >= 0 ? data.tasks[pos.row] : undefined;
    if (task !== undefined && !rows[pos.row]?.[pos.col]) return; // not in this run
    const url = href(
      task === undefined ? `/runs/${encodeURIComponent(run.id)}` : cellHref(run.id, task),
    );
    if (newTab) window.open(url, '_blank', 'noopener');
    else router.push(url);
  };

  const reveal = (pos: CellPos) => {
    const el = scrollRef.current;
    if (!el) return;
    if (pos.row >= 0) virtualizer.scrollToIndex(pos.row, { align: 'auto' });
    const x = LABEL_W + pos.col * CELL_W;
    if (x < el.scrollLeft + LABEL_W) el.scrollLeft = x - LABEL_W;
    else if (x + CELL_W > el.scrollLeft + el.clientWidth)
      el.scrollLeft = x + CELL_W - el.clientWidth;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open(active, e.ctrlKey || e.metaKey);
      return;
    }
    // Row -1 is the header: moves run over rows + 1 and shift back.
    const next = moveCell(
      { row: active.row + 1, col: active.col },
      e.key,
      {
        rows: data.tasks.length + 1,
        cols,
      },
      e.ctrlKey || e.metaKey,
    );
    if (!next) return;
    e.preventDefault();
    const pos = { row: next.row - 1, col: next.col };
    setPicked(pos);
    reveal(pos);
  };

  const cellAt = (target: EventTarget): CellPos | null => {
    const el = (target as HTMLElement).closest<HTMLElement>('[data-col]');
    return el ? { row: Number(el.dataset.row), col: Number(el.dataset.col) } : null;
  };
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const pos = cellAt(e.target);
    if (!pos) return;
    setPicked(pos);
    open(pos, e.ctrlKey || e.metaKey);
  };
  const onMouseOver = (e: MouseEvent<HTMLDivElement>) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-col]');
    if (!el) return setTip((t) => (t?.source === 'hover' ? null : t));
    const row = Number(el.dataset.row);
    const col = Number(el.dataset.col);
    setTip((t) =>
      t?.source === 'hover' && t.row === row && t.col === col
        ? t
        : { row, col, rect: el.getBoundingClientRect(), source: 'hover' },
    );
  };

  const showActive = focused && activeRendered;
  return (
    <div className="flex flex-col gap-2">
      <div
        ref={scrollRef}
        role="grid"
        tabIndex={0}
        aria-label={label}
        aria-rowcount={data.tasks.length + 1}
        aria-colcount={cols + 1}
        aria-activedescendant={showActive ? cellId(active.row, active.col) : undefined}
        data-testid="run-grid"
        className="relative max-h-[560px] overflow-auto rounded-md border border-border"
        onKeyDown={onKeyDown}
        onClick={onClick}
        onMouseOver={onMouseOver}
        onMouseLeave={() => setTip((t) => (t?.source === 'hover' ? null : t))}
        onScroll={() => setTip((t) => (t?.source === 'hover' ? null : t))}
        onFocus={(e) => {
          if (e.target === e.currentTarget) setFocused(true);
        }}
        onBlur={() => setFocused(false)}
      >
        <div role="rowgroup" className="sticky top-0 z-20 bg-panel" style={{ width }}>
          <div
            role="row"
            aria-rowindex={1}
            className="flex border-b border-border"
            style={{ height: HEADER_H }}
          >
            <div
              role="columnheader"
              aria-colindex={1}
              className="sticky left-0 z-10 flex items-end bg-panel px-2 pb-1 text-xs font-medium text-muted"
              style={{ width: LABEL_W, minWidth: LABEL_W }}
            >
              Task
            </div>
            {data.runs.map((run, c) => (
              <RunHeader
                key={run.id}
                id={cellId(-1, c)}
                run={run}
                col={c}
                bar={bars[c] ?? 0}
                active={showActive && active.row === -1 && active.col === c}
              />
            ))}
          </div>
        </div>
        <div
          role="rowgroup"
          className="relative"
          style={{ width, height: virtualizer.getTotalSize() }}
        >
          {items.map((item) => (
            <GridRow
              key={item.key}
              task={data.tasks[item.index]!}
              cells={rows[item.index]!}
              runs={data.runs}
              row={item.index}
              top={item.start - HEADER_H}
              width={width}
              prefix={prefix}
              activeCol={showActive && active.row === item.index ? active.col : -1}
            />
          ))}
        </div>
      </div>
      <Legend />
      {tip ? (
        <GridTip tip={tip} data={data} cell={tip.row >= 0 ? rows[tip.row]?.[tip.col] : undefined} />
      ) : null}
    </div>
  );
}

const ACTIVE =
  'data-[active=true]:outline-2 data-[active=true]:outline-offset-[-1px] data-[active=true]:outline-fg';

const RunHeader = memo(function RunHeader({
  id,
  run,
  col,
  bar,
  active,
}: {
  id: string;
  run: GridRun;
  col: number;
  bar: number;
  active: boolean;
}) {
  const day = new Date(run.createdAt).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
  });
  const ms = runDurationMs(run, Date.now());
  return (
    <div
      role="columnheader"
      id={id}
      aria-colindex={col + 2}
      aria-label={`Run #${run.number}, ${statusWords(run.status)}, ${dateTime(run.createdAt)}${ms === null ? '' : `, ${durationMs(ms)}`}`}
      data-row={-1}
      data-col={col}
      data-run={run.id}
      data-status={run.status}
      data-active={active}
      data-testid="run-grid-run"
      className={cn(
        'flex cursor-pointer flex-col items-center justify-end gap-1 pb-1 hover:bg-panel-2',
        ACTIVE,
      )}
      style={{ width: CELL_W, minWidth: CELL_W }}
    >
      <span
        aria-hidden
        className="text-[10px] leading-none whitespace-nowrap text-muted [writing-mode:vertical-rl] rotate-180"
      >
        #{run.number} · {day}
      </span>
      <span
        aria-hidden
        className="w-3 rounded-sm"
        style={{
          height: Math.max(3, Math.round(bar * BAR_H)),
          background: statusColor(run.status),
        }}
      />
    </div>
  );
});

const GridRow = memo(function GridRow({
  task,
  cells,
  runs,
  row,
  top,
  width,
  prefix,
  activeCol,
}: {
  task: string;
  cells: (GridCell | undefined)[];
  runs: readonly GridRun[];
  row: number;
  top: number;
  width: number;
  prefix: string;
  activeCol: number;
}) {
  return (
    <div
      role="row"
      aria-rowindex={row + 2}
      data-task={task}
      className="absolute left-0 flex hover:bg-panel-2"
      style={{ transform: `translateY(${top}px)`, height: ROW_H, width }}
    >
      <div
        role="rowheader"
        aria-colindex={1}
        title={task}
        className={cn(
          'sticky left-0 z-10 truncate border-r border-border bg-panel px-2 font-mono text-xs leading-[22px]',
          activeCol >= 0 && 'font-semibold',
        )}
        style={{ width: LABEL_W, minWidth: LABEL_W }}
      >
        {task}
      </div>
      {cells.map((cell, c) => (
        <div
          key={c}
          role="gridcell"
          id={`${prefix}-${row}-${c}`}
          aria-colindex={c + 2}
          aria-label={cellDescription(task, runs[c]!, cell).label}
          data-row={row}
          data-col={c}
          data-status={cell ? cell[0] : 'none'}
          data-active={activeCol === c}
          className={cn('bg-clip-content p-[3px]', cell && 'cursor-pointer hover:p-[2px]', ACTIVE)}
          // backgroundColor, not the background shorthand: that would reset the clip to the border.
          style={{
            width: CELL_W,
            minWidth: CELL_W,
            backgroundColor: cell ? statusColor(cell[0]) : undefined,
          }}
        />
      ))}
    </div>
  );
});

/** Hover or focus: the cell in words (the cells' own labels say the same to screen readers). */
function GridTip({ tip, data, cell }: { tip: Tip; data: GridData; cell: GridCell | undefined }) {
  const run = data.runs[tip.col];
  const task = data.tasks[tip.row];
  if (!run) return null;
  let lines: string[];
  if (tip.row < 0) {
    const ms = runDurationMs(run, Date.now());
    lines = [
      `Run #${run.number}`,
      statusWords(run.status),
      dateTime(run.createdAt),
      ms === null ? 'not started' : durationMs(ms),
    ];
  } else if (task !== undefined) {
    lines = cellDescription(task, run, cell).lines;
  } else return null;
  const below = tip.rect.bottom + 110 < window.innerHeight;
  return (
    <div
      aria-hidden
      data-testid="run-grid-tip"
      className="pointer-events-none fixed z-50 max-w-64 rounded-md border border-border bg-panel px-2.5 py-1.5 text-xs shadow-lg"
      style={{
        left: Math.max(8, Math.min(tip.rect.left - 8, window.innerWidth - 264)),
        top: below ? tip.rect.bottom + 6 : tip.rect.top - 6,
        transform: below ? undefined : 'translateY(-100%)',
      }}
    >
      <div className="truncate font-mono font-medium">{lines[0]}</div>
      {lines.slice(1).map((l, i) => (
        <div key={i} className="text-muted">
          {l}
        </div>
      ))}
    </div>
  );
}

function Legend() {
  return (
    <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-muted" aria-label="Colours">
      {TASK_RUN_STATUSES.map((s) => (
        <li key={s} className="flex items-center gap-1">
          <span
            aria-hidden
            className="h-2.5 w-2.5 rounded-sm"
            style={{ background: statusColor(s) }}
          />
          {statusWords(s)}
        </li>
      ))}
    </ul>
  );
}
