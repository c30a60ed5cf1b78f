/**
 * What a team member may see of the cluster's workers and pools: those of the team's pools (see
 * `teamPoolNames`: `default` and the pools its workflows and active runs name), the pools its
 * tasks can run in. A worker serving only other teams' pools (a team's dedicated GPU machines,
 * say) is none of its business: its name, host and pools are not shown, nor are those pools,
 * and a worker serving the team's pools and others is shown with the team's pools only.
 * Operators (DTSS_OPERATORS) run the cluster: they see every worker and every pool.
 */
import type { PoolStatsRow, WorkerRow } from '@dtss/db';

/** Who sees what: null = everything (an operator), else the pools of the caller's team. */
export type PoolScope = ReadonlySet<string> | null;

/** The worker serves at least one pool of the scope. */
export function workerVisible(worker: Pick<WorkerRow, 'pools'>, scope: PoolScope): boolean {
  return scope === null || worker.pools.some((p) => scope.has(p));
}

/** The worker's pools the scope may see (a worker serving `default` and `gpu-b`: `default`). */
export function visiblePoolNames(worker: Pick<WorkerRow, 'pools'>, scope: PoolScope): string[] {
  return scope === null ? worker.pools : worker.pools.filter((p) => scope.has(p));
}

/** The pools of the scope, with their cluster-wide figures. */
export function visiblePools(rows: PoolStatsRow[], scope: PoolScope): PoolStatsRow[] {
  return scope === null ? rows : rows.filter((row) => scope.has(row.name));
}
