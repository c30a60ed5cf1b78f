/**
 * The run grid's model without React: cell lookups, keyboard moves and the words a cell is read
 * with. Rows are tasks, columns runs (oldest left).
 */
import { durationMs } from '@/lib/format';

export type GridCell = [status: string, durationMs: number | null, attempts: number];

export interface GridRun {
  id: string;
  number: number;
  status: string;
  createdAt: Date | string;
  startedAt: Date | string | null;
  finishedAt: Date | string | null;
}

export interface GridData {
  runs: readonly GridRun[];
  tasks: readonly string[];
  cells: Readonly<Record<string, Readonly<Record<string, GridCell>>>>;
}

export interface CellPos {
  row: number;
  col: number;
}

/** A grid as rows of cells (undefined: the run has no such task), for cheap rendering. */
export function gridRows(data: GridData): (GridCell | undefined)[][] {
  const columns = data.runs.map((r) => data.cells[r.id] ?? {});
  return data.tasks.map((task) => columns.map((c) => c[task]));
}

/** Rows a Page Up / Page Down moves. */
export const PAGE_ROWS = 10;

/**
 * Where a key moves the active cell; null when the key is not a move. Arrows move one cell,
 * Home/End to the row's first/last run (with Ctrl: the grid's first/last cell), PageUp/PageDown
 * ten rows; never past the edges.
 */
export function moveCell(
  pos: CellPos,
  key: string,
  size: { rows: number; cols: number },
  ctrl = false,
): CellPos | null {
  if (size.rows === 0 || size.cols === 0) return null;
  const clamp = (row: number, col: number): CellPos => ({
    row: Math.max(0, Math.min(size.rows - 1, row)),
    col: Math.max(0, Math.min(size.cols - 1, col)),
  });
  switch (key) {
    case 'ArrowUp':
      return clamp(pos.row - 1, pos.col);
    case 'ArrowDown':
      return clamp(pos.row + 1, pos.col);
    case 'ArrowLeft':
      return clamp(pos.row, pos.col - 1);
    case 'ArrowRight':
      return clamp(pos.row, pos.col + 1);
    case 'Home':
      return ctrl ? clamp(0, 0) : clamp(pos.row, 0);
    case 'End':
      return ctrl ? clamp(size.rows - 1, size.cols - 1) : clamp(pos.row, size.cols - 1);
    case 'PageUp':
      return clamp(pos.row - PAGE_ROWS, pos.col);
    case 'PageDown':
      return clamp(pos.row + PAGE_ROWS, pos.col);
    default:
      return null;
  }
}

/** "retry wait" for retry_wait. */
export function statusWords(status: string): string {
  return status.replace(/_/g, ' ');
}

/** What a cell says (its accessible name and its tooltip's lines). */
export function cellDescription(
  task: string,
  run: Pick<GridRun, 'number'>,
  cell: GridCell | undefined,
): { label: string; lines: string[] } {
  if (!cell) {
    return {
      label: `${task}, run #${run.number}: not in this run`,
      lines: [task, `Run #${run.number}`, 'not in this run'],
    };
  }
  const [status, ms, attempts] = cell;
  const duration = ms === null ? 'no duration yet' : durationMs(ms);
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  return {
    label: `${task}, run #${run.number}: ${statusWords(status)}, ${duration}, ${tries}`,
    lines: [task, `Run #${run.number}`, statusWords(status), duration, tries],
  };
}

/** A run's duration (to now while it runs); null before it started. */
export function runDurationMs(run: GridRun, now: number): number | null {
  if (!run.startedAt) return null;
  const end = run.finishedAt ? new Date(run.finishedAt).getTime() : now;
  return Math.max(0, end - new Date(run.startedAt).getTime());
}

/**
 * Height of each run's duration bar in the header, 0..1 of the longest run shown (Airflow's bar
 * chart above the grid); runs that did not start get 0.
 */
export function durationBars(runs: readonly GridRun[], now: number): number[] {
  const ms = runs.map((r) => runDurationMs(r, now) ?? 0);
  const max = Math.max(0, ...ms);
  return ms.map((m) => (max > 0 ? m / max : 0));
}

/** The run page with one task selected. */
export function cellHref(runId: string, task: string): string {
  return `/runs/${encodeURIComponent(runId)}?task=${encodeURIComponent(task)}`;
}
