import {
  checkUserPassword,
  endUserSessions,
  hitRateLimit,
  listTeamsOfUser,
  recordAudit,
  setUserPassword,
  withTransaction,
  type PoolClient,
} from '@dtss/db';
import { TRPCError } from '@trpc/server';
import type { Actor } from '../actor';
import { LOGIN_PER_EMAIL_IP } from '../auth/limits';
import { badRequest, notFound } from '../errors';
import { accountChangePassword } from '../schemas/access';
import { auditOf, createTRPCRouter, userProcedure, type AuthedContext } from '../trpc';

/**
 * The caller's own account. Both procedures end every browser session of the user, this one's
 * too (its session epoch moves on, see auth/sessions.ts): the page signs out and sends the user
 * to sign in again. API tokens are not touched (they have their own revoke), and tokens cannot
 * call these at all.
 */
export const accountRouter = createTRPCRouter({
  /** Sets a new password once the current one is given; ends every browser session of the user. */
  changePassword: userProcedure.input(accountChangePassword).mutation(async ({ ctx, input }) => {
    const userId = ctx.actor.userId;
    // The current password is a guess like any sign-in: counted the same way.
    const limit = await hitRateLimit(ctx.pool, `password-change:${userId}`, LOGIN_PER_EMAIL_IP);
    if (!limit.allowed) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `too many attempts: retry in ${Math.ceil(limit.retryAfterMs / 60_000)} min`,
      });
    }
    const check = await checkUserPassword(ctx.pool, userId, input.currentPassword);
    if (check === 'no_password') {
      const message = 'this account has no password: it signs in through its provider';
      throw badRequest(message, [{ path: 'currentPassword', message }]);
    }
    if (check === 'wrong') {
      throw badRequest('the current password is wrong', [
        { path: 'currentPassword', message: 'wrong password' },
      ]);
    }
    await withTransaction(ctx.pool, async (client) => {
      if ((await setUserPassword(client, userId, input.newPassword)) === null) {
        throw notFound('user');
      }
      await auditInEveryTeam(client, ctx, 'account.password_change');
    });
    return { changed: true as const, signedOut: true as const };
  }),

  /** Ends every browser session of the caller, on every device, this one included. */
  signOutEverywhere: userProcedure.mutation(async ({ ctx }) => {
    await withTransaction(ctx.pool, async (client) => {
      if ((await endUserSessions(client, ctx.actor.userId)) === null) throw notFound('user');
      await auditInEveryTeam(client, ctx, 'account.sign_out_everywhere');
    });
    return { signedOut: true as const };
  }),
});

/** An account's change concerns every team it is in: each team's audit log records it. */
async function auditInEveryTeam(
  client: PoolClient,
  ctx: AuthedContext & { actor: Extract<Actor, { type: 'user' }> },
  action: string,
): Promise<void> {
  const userId = ctx.actor.userId;
  for (const team of await listTeamsOfUser(client, userId)) {
    await recordAudit(client, auditOf(ctx, team.id, action, { type: 'user', id: userId }));
  }
}
