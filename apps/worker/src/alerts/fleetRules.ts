// Rules about the fleet, seen from one team: a worker serving the team's pools declared lost
// (resolved when it is back), and a pool of the team whose tasks wait with no live worker serving
// it (resolved when a worker serves it or nothing waits).
import { incidentKeys } from '@dtss/core';
import {
  readLostWorkers,
  readWorkerStatuses,
  teamPoolNames,
  type Pool,
  type PoolStatsRow,
} from '@dtss/db';
import type { EvaluatedRule, IncidentWriter } from './incidents';

export async function evaluateLostWorkers(
  pool: Pool,
  writer: IncidentWriter,
  rules: EvaluatedRule[],
): Promise<void> {
  if (rules.length === 0) return;
  const teamPools = new Set(await teamPoolNames(pool, rules[0]!.teamId));
  const since = new Date(Math.min(...rules.map((r) => r.createdAt.getTime())));
  const lost = (await readLostWorkers(pool, since)).filter((w) =>
    w.pools.some((p) => teamPools.has(p)),
  );
  for (const rule of rules) {
    for (const worker of lost) {
      if (worker.lastHeartbeatAt < rule.createdAt) continue;
      await writer.openIncident(rule, {
        keys: incidentKeys({ kind: 'worker_lost', workerId: worker.id }),
        title: `worker ${worker.name} lost`,
        details: [
          `last heartbeat ${worker.lastHeartbeatAt.toISOString()}`,
          `pools: ${worker.pools.filter((p) => teamPools.has(p)).join(', ')}`,
        ],
        workflowId: null,
        workflowName: null,
        runId: null,
      });
    }
    const open = writer.openFor(rule);
    const statuses = await readWorkerStatuses(
      pool,
      open.map((i) => i.key.slice('worker:'.length)),
    );
    for (const incident of open) {
      const status = statuses.get(incident.key.slice('worker:'.length));
      if (status !== 'lost') await writer.resolve(rule, incident, `worker is ${status ?? 'gone'}`);
    }
  }
}

export async function evaluateStarvedPools(
  pool: Pool,
  writer: IncidentWriter,
  rules: EvaluatedRule[],
  stats: () => Promise<PoolStatsRow[]>,
): Promise<void> {
  if (rules.length === 0) return;
  const teamPools = new Set(await teamPoolNames(pool, rules[0]!.teamId));
  const byName = new Map((await stats()).map((s) => [s.name, s]));
  for (const rule of rules) {
    const waitMs = rule.spec.waitingMs ?? 60_000;
    const pools = rule.spec.pool ? [rule.spec.pool] : [...teamPools];
    for (const name of pools) {
      const s = byName.get(name);
      if (!s || s.workers > 0 || s.waiting === 0 || (s.oldestWaitMs ?? 0) < waitMs) continue;
      await writer.openIncident(rule, {
        keys: incidentKeys({ kind: 'pool_starved', pool: name }),
        title: `pool ${name} has queued tasks and no live worker`,
        details: [
          `${s.waiting} tasks waiting, the oldest for ${Math.round((s.oldestWaitMs ?? 0) / 1000)} s`,
        ],
        workflowId: null,
        workflowName: null,
        runId: null,
      });
    }
    for (const incident of writer.openFor(rule)) {
      const s = byName.get(incident.key.slice('pool:'.length));
      if (!s || s.workers > 0 || s.waiting === 0) {
        await writer.resolve(
          rule,
          incident,
          s && s.workers > 0
            ? `${s.workers} live workers serve the pool`
            : 'no task waits in the pool',
        );
      }
    }
  }
}
