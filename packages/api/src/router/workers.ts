import { listWorkers, recordAudit, setWorkerStatus } from '@dtss/db';
import { forbidden, notFound } from '../errors';
import { workersDrain, workersList } from '../schemas/fleet';
import { roleAtLeast } from '../actor';
import { auditOf, createTRPCRouter, isOperator, teamProcedure } from '../trpc';

/** Heartbeats this recent count as online (three missed beats at the default interval). */
export const WORKER_ONLINE_MS = 15_000;

// Workers serve the whole cluster, not one team: any member may look at them. Draining one slows
// every team's runs, so it takes a deployment operator (DTSS_OPERATORS) who is also an admin of the
// team in the input, whose audit trail records it. A team role alone is not enough: anyone who
// signs up owns a team.
export const workersRouter = createTRPCRouter({
  list: teamProcedure('viewer')
    .input(workersList)
    .query(({ ctx, input }) =>
      listWorkers(ctx.pool, input.onlineOnly ? { aliveWithinMs: WORKER_ONLINE_MS } : {}),
    ),

  /** What the caller may do to workers from this team's pages (the drain button shows only then). */
  permissions: teamProcedure('viewer').query(async ({ ctx }) => ({
    canDrain: roleAtLeast(ctx.team.role, 'admin') && (await isOperator(ctx)),
  })),

  /** Asks a worker to stop taking tasks; it finishes what it runs and then stops. */
  drain: teamProcedure('admin')
    .input(workersDrain)
    .mutation(async ({ ctx, input }) => {
      if (!(await isOperator(ctx))) {
        throw forbidden('draining workers affects every team: it takes a deployment operator');
      }
      const worker = (await listWorkers(ctx.pool)).find((w) => w.id === input.workerId);
      if (!worker) throw notFound('worker');
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
