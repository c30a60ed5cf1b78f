import { auditedTransaction, createApiToken, listApiTokens, revokeApiToken } from '@dtss/db';
import { roleAtLeast } from '../actor';
import { forbidden, notFound } from '../errors';
import { tokensCreate, tokensRevoke } from '../schemas/access';
import { auditOf, authorId, createTRPCRouter, teamProcedure, type AuthedContext } from '../trpc';

const DAY_MS = 24 * 3600 * 1000;

/** When the calling token expires (null: never). */
async function expiryOf(ctx: AuthedContext): Promise<Date | null> {
  if (ctx.actor.type !== 'token') return null;
  const tokenId = ctx.actor.tokenId;
  const self = (await listApiTokens(ctx.pool, ctx.actor.teamId)).find((t) => t.id === tokenId);
  return self?.expiresAt ?? null;
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a || !b) return a ?? b;
  return a < b ? a : b;
}

export const tokensRouter = createTRPCRouter({
  /**
   * A new token; its plaintext is in this response only. Its role cannot exceed the creator's, and
   * a token made by a token expires no later than its maker (no escaping an expiry by re-minting).
   */
  create: teamProcedure('admin')
    .input(tokensCreate)
    .mutation(async ({ ctx, input }) => {
      if (!roleAtLeast(ctx.team.role, input.role)) {
        throw forbidden(`you cannot create a token stronger than your own role (${ctx.team.role})`);
      }
      const asked = input.expiresInDays
        ? new Date(Date.now() + input.expiresInDays * DAY_MS)
        : null;
      const expiresAt = ctx.actor.type === 'token' ? earliest(asked, await expiryOf(ctx)) : asked;
      const { token, info } = await auditedTransaction(
        ctx.pool,
        (client) =>
          createApiToken(client, {
            teamId: ctx.team.id,
            name: input.name,
            role: input.role,
            createdById: authorId(ctx),
            expiresAt,
          }),
        ({ info }) =>
          auditOf(
            ctx,
            ctx.team.id,
            'token.create',
            { type: 'api_token', id: info.id },
            {
              name: info.name,
              role: info.role,
              prefix: info.prefix,
              expiresAt: info.expiresAt,
            },
          ),
      );
      return { token, ...info };
    }),

  list: teamProcedure('admin').query(({ ctx }) => listApiTokens(ctx.pool, ctx.team.id)),

  revoke: teamProcedure('admin')
    .input(tokensRevoke)
    .mutation(async ({ ctx, input }) => {
      const revoked = await auditedTransaction(
        ctx.pool,
        (client) => revokeApiToken(client, ctx.team.id, input.tokenId),
        (info) =>
          info &&
          auditOf(
            ctx,
            ctx.team.id,
            'token.revoke',
            { type: 'api_token', id: info.id },
            {
              name: info.name,
              prefix: info.prefix,
            },
          ),
      );
      if (!revoked) throw notFound('token');
      return { id: revoked.id, revokedAt: revoked.revokedAt };
    }),
});
