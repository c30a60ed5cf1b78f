// Bulk cancel / rerun on the runs list: which selected runs each action applies to, the selection
// itself, and the server's result in words. Pure.
import type { RunStatus } from '@dtss/core';

/** runs.cancelMany / rerunMany take at most this many runs by filter (packages/api schemas). */
export const BULK_MAX_RUNS = 1_000;

export interface BulkRow {
  id: string;
  number: number;
  workflowName: string;
  status: RunStatus;
}

/** Ended without every task succeeding: a failed part to rerun. */
export function isRerunnable(status: RunStatus): boolean {
  return status === 'failed' || status === 'cancelled' || status === 'timed_out';
}

/** "1 run", "3 runs". */
export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
}

export type HeaderCheck = 'none' | 'some' | 'all';

/** The select-all checkbox's state for the rows shown. */
export function headerCheck(rowIds: readonly string[], selected: ReadonlySet<string>): HeaderCheck {
  const n = rowIds.filter((id) => selected.has(id)).length;
  return n === 0 ? 'none' : n === rowIds.length ? 'all' : 'some';
}

/** Select-all toggles: every row shown when not all are selected, none otherwise. */
export function toggleAll(rowIds: readonly string[], selected: ReadonlySet<string>): Set<string> {
  return headerCheck(rowIds, selected) === 'all' ? new Set() : new Set(rowIds);
}

export function toggleOne(selected: ReadonlySet<string>, id: string, on: boolean): Set<string> {
  const next = new Set(selected);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}

/** The server's result as a sentence and one line per skipped run ("#12 of etl: already failed"). */
export function bulkOutcome(
  action: 'cancel' | 'rerun',
  done: number,
  skipped: readonly { runId: string; message: string }[],
  rows: readonly BulkRow[],
): { summary: string; skipped: { runId: string; label: string; message: string }[] } {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const did =
    action === 'cancel'
      ? `${plural(done, 'run')} cancelled`
      : `${plural(done, 'run')} rerun as new runs`;
  const summary = skipped.length ? `${did}; ${skipped.length} skipped:` : `${did}.`;
  return {
    summary: summary.charAt(0).toUpperCase() + summary.slice(1),
    skipped: skipped.map((s) => {
      const row = byId.get(s.runId);
      return {
        runId: s.runId,
        label: row ? `#${row.number} of ${row.workflowName}` : `Run ${s.runId.slice(0, 8)}`,
        message: s.message,
      };
    }),
  };
}
