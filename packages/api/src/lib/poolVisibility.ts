/**
 * What a team member may see of the cluster's pools. Figures are cluster-wide capacity (like the
 * worker list): any member sees them. A pool's name, though, is known to the team only when the
 * cluster names it (a pool row, a live worker serving it) or the team's own tasks wait in it: a
 * pool named only by another team's waiting tasks came from that team's workflow files, so its
 * figures are shown under no name, summed with the other such pools.
 */
import type { PoolStatsRow } from '@dtss/db';

export interface VisiblePools {
  pools: PoolStatsRow[];
  /** Tasks of other teams waiting in pools no worker serves and no pool row names; null: none. */
  unnamed: { pools: number; busy: number; waiting: number; oldestWaitMs: number | null } | null;
}

/** Splits pools into those the viewer may see named and the rest (summed, unnamed). */
export function visiblePools(
  rows: PoolStatsRow[],
  /** Unknown pools in which the viewer's team has waiting tasks. */
  teamWaiting: ReadonlySet<string>,
  /** Operators run the cluster: they see every pool by name. */
  operator: boolean,
): VisiblePools {
  const pools: PoolStatsRow[] = [];
  let unnamed: VisiblePools['unnamed'] = null;
  for (const row of rows) {
    if (row.known || operator || teamWaiting.has(row.name)) {
      pools.push(row);
      continue;
    }
    unnamed ??= { pools: 0, busy: 0, waiting: 0, oldestWaitMs: null };
    unnamed.pools += 1;
    unnamed.busy += row.busy;
    unnamed.waiting += row.waiting;
    if (row.oldestWaitMs !== null)
      unnamed.oldestWaitMs = Math.max(unnamed.oldestWaitMs ?? 0, row.oldestWaitMs);
  }
  return { pools, unnamed };
}

/** The pools of these rows that only waiting tasks name (their names may be a team's). */
export function unknownPoolNames(rows: PoolStatsRow[]): string[] {
  return rows.filter((r) => !r.known).map((r) => r.name);
}
