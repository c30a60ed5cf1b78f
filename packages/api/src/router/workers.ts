import {
  findWorker,
  listWorkerAttempts,
  listWorkers,
  readPoolStats,
  recordAudit,
  setWorkerStatus,
  teamPoolNames,
  WORKER_ATTEMPTS_SCAN_LIMIT,
  type ListWorkersOptions,
} from '@dtss/db';
import { conflict, forbidden, notFound } from '../errors';
import {
  visiblePoolNames,
  visiblePools,
  workerVisible,
  type PoolScope,
} from '../lib/poolVisibility';
import { workersAttempts, workersDrain, workersList } from '../schemas/fleet';
import { roleAtLeast } from '../actor';
import { auditOf, createTRPCRouter, isOperator, teamProcedure, type AuthedContext } from '../trpc';

/** Heartbeats this recent count as online (three missed beats at the default interval). */
export const WORKER_ONLINE_MS = 15_000;
/** How long a stopped or lost worker (or a silent one) stays in the `recent` list. */
export const WORKER_RECENT_MS = 15 * 60_000;

const SCOPES: Record<'online' | 'recent' | 'all', ListWorkersOptions> = {
  online: { aliveWithinMs: WORKER_ONLINE_MS },
  recent: { recentWithinMs: WORKER_RECENT_MS },
  all: {},
};

/** What the caller may see: everything for an operator, else the pools of the team. */
async function poolScope(ctx: AuthedContext, teamId: string): Promise<PoolScope> {
  if (await isOperator(ctx)) return null;
  return new Set(await teamPoolNames(ctx.pool, teamId));
}

// Workers serve the whole cluster, not one team. A member sees the workers that serve the team's
// pools (the ones its tasks can run on) and those pools' figures; a deployment operator
// (DTSS_OPERATORS) sees them all (lib/poolVisibility.ts). What a worker ran is per team: its
// attempts are those of the caller's team's runs. Draining one slows every team's runs, so it
// takes an operator who is also an admin of the team in the input, whose audit trail records it.
// A team role alone is not enough: anyone who signs up owns a team.
export const workersRouter = createTRPCRouter({
  list: teamProcedure('viewer')
    .input(workersList)
    .query(async ({ ctx, input }) => {
      const scope = await poolScope(ctx, ctx.team.id);
      const workers = await listWorkers(ctx.pool, {
        ...SCOPES[input.scope ?? (input.onlineOnly ? 'online' : 'all')],
        ...(scope ? { servingAnyOf: [...scope] } : {}),
      });
      // A worker that also serves other teams' pools is shown with the team's pools only.
      return scope ? workers.map((w) => ({ ...w, pools: visiblePoolNames(w, scope) })) : workers;
    }),

  /** A worker's recent attempts, newest first (running ones first): only the team's runs'. */
  attempts: teamProcedure('viewer')
    .input(workersAttempts)
    .query(async ({ ctx, input }) => {
      const worker = await findWorker(ctx.pool, input.workerId);
      // A worker the caller may not see is one that does not exist.
      if (!worker || !workerVisible(worker, await poolScope(ctx, ctx.team.id))) {
        throw notFound('worker');
      }
      const found = await listWorkerAttempts(ctx.pool, {
        workerId: worker.id,
        teamId: ctx.team.id,
        limit: input.limit,
      });
      return {
        worker: { id: worker.id, name: worker.name, status: worker.status },
        ...found,
        scanLimit: WORKER_ATTEMPTS_SCAN_LIMIT,
      };
    }),

  /** The team's pools (every pool for operators) with slots, workers, busy and waiting tasks. */
  pools: teamProcedure('viewer').query(async ({ ctx }) => {
    const rows = await readPoolStats(ctx.pool, { aliveWithinMs: WORKER_ONLINE_MS });
    return { pools: visiblePools(rows, await poolScope(ctx, ctx.team.id)) };
  }),

  /** What the caller may do to workers from this team's pages (the drain button shows only then). */
  permissions: teamProcedure('viewer').query(async ({ ctx }) => {
    const operator = await isOperator(ctx);
    return {
      canDrain: roleAtLeast(ctx.team.role, 'admin') && operator,
      /** An operator: the page lists every worker and pool, not only the team's. */
      seesEveryWorker: operator,
    };
  }),

  /** Asks a worker to stop taking tasks; it finishes what it runs and then stops. */
  drain: teamProcedure('admin')
    .input(workersDrain)
    .mutation(async ({ ctx, input }) => {
      if (!(await isOperator(ctx))) {
        throw forbidden('draining workers affects every team: it takes a deployment operator');
      }
      const worker = await findWorker(ctx.pool, input.workerId);
      if (!worker) throw notFound('worker');
      // A stopped or lost worker has no process to drain (and its row must not look alive again).
      if (worker.status === 'stopped' || worker.status === 'lost') {
        throw conflict(`the worker is ${worker.status}: there is nothing to drain`);
      }
      await setWorkerStatus(ctx.pool, input.workerId, 'draining');
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'worker.drain',
          { type: 'worker', id: worker.id },
          {
            name: worker.name,
            hostname: worker.hostname,
            previousStatus: worker.status,
          },
        ),
      );
      return { id: worker.id, status: 'draining' as const };
    }),
});
