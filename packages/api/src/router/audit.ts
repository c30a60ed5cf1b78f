import { listAudit } from '@dtss/db';
import { auditList } from '../schemas/access';
import { createTRPCRouter, teamProcedure } from '../trpc';

export const auditRouter = createTRPCRouter({
  /** The team's audit trail, newest first; admins only. */
  list: teamProcedure('admin')
    .input(auditList)
    .query(({ ctx, input }) =>
      listAudit(ctx.pool, ctx.team.id, {
        limit: input.limit,
        cursor: input.cursor ?? null,
        action: input.action ?? null,
        actor: input.actor ?? null,
        from: input.from ?? null,
        to: input.to ?? null,
      }),
    ),
});
