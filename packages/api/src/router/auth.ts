import { getUser, listTeamsOfUser } from '@dtss/db';
import { authedProcedure, createTRPCRouter } from '../trpc';

export const authRouter = createTRPCRouter({
  /** Who the caller is: a user with their teams, or a token with its team and role. */
  me: authedProcedure.query(async ({ ctx }) => {
    const actor = ctx.actor;
    if (actor.type === 'token') {
      return {
        type: 'token' as const,
        tokenId: actor.tokenId,
        teamId: actor.teamId,
        role: actor.role,
      };
    }
    const user = await getUser(ctx.pool, actor.userId);
    return {
      type: 'user' as const,
      userId: actor.userId,
      email: actor.email,
      name: user?.name ?? null,
      teams: await listTeamsOfUser(ctx.pool, actor.userId),
    };
  }),
});
