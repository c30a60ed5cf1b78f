import { readTeamMetrics } from '@dtss/db';
import { metricsSummary } from '../schemas/fleet';
import { createTRPCRouter, teamProcedure } from '../trpc';
import { WORKER_ONLINE_MS } from './workers';

const DEFAULT_WINDOW_MS = 24 * 3600 * 1000;

export const metricsRouter = createTRPCRouter({
  /** Dashboard numbers over [from, to) (default: the last 24 hours), bucketed by minute/hour/day. */
  summary: teamProcedure('viewer')
    .input(metricsSummary)
    .query(({ ctx, input }) => {
      const to = input.to ?? new Date();
      const from = input.from ?? new Date(to.getTime() - DEFAULT_WINDOW_MS);
      return readTeamMetrics(ctx.pool, ctx.team.id, {
        from,
        to,
        bucket: input.bucket,
        aliveWithinMs: WORKER_ONLINE_MS,
      });
    }),
});
