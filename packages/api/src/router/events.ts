import { hitRateLimit, listEvents, publishEvent, recordAudit } from '@dtss/db';
import { TRPCError } from '@trpc/server';
import { DEFAULT_EVENTS_PER_MINUTE } from '../auth/limits';
import { mapDomainErrors } from '../lib/domainErrors';
import { eventsList, eventsPublish } from '../schemas/schedules';
import { auditOf, createTRPCRouter, teamProcedure } from '../trpc';

export const eventsRouter = createTRPCRouter({
  /** Records an event and starts the runs of the triggers it matches. Rate limited per team. */
  publish: teamProcedure('editor')
    .input(eventsPublish)
    .mutation(async ({ ctx, input }) => {
      const limit = await hitRateLimit(ctx.pool, `events:${ctx.team.id}`, {
        limit: ctx.eventsPerMinute ?? DEFAULT_EVENTS_PER_MINUTE,
        windowMs: 60_000,
      });
      if (!limit.allowed) {
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `this team publishes too many events: retry in ${Math.ceil(limit.retryAfterMs / 1000)} s`,
        });
      }
      const result = await mapDomainErrors(() =>
        publishEvent(ctx.pool, {
          ...input,
          teamId: ctx.team.id,
          source: ctx.actor.type === 'token' ? 'api' : 'ui',
        }),
      );
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'event.publish',
          { type: 'event', id: result.event.id },
          {
            name: result.event.name,
            created: result.created,
            runs: result.runs.length,
            refused: result.refused.length,
          },
        ),
      );
      return result;
    }),

  list: teamProcedure('viewer')
    .input(eventsList)
    .query(({ ctx, input }) =>
      mapDomainErrors(() => listEvents(ctx.pool, { ...input, teamId: ctx.team.id })),
    ),
});
