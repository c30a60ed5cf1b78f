import {
  acceptInvitation,
  auditedTransaction,
  changeMemberRole,
  createInvitation,
  endUserSessions,
  getMemberRole,
  InvitationError,
  LastOwnerError,
  listMembers,
  listPendingInvitations,
  removeMember,
  revokeInvitation,
  type TeamRole,
} from '@dtss/db';
import type { PoolClient } from '@dtss/db';
import { roleAtLeast } from '../actor';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import {
  membersAcceptInvitation,
  membersChangeRole,
  membersInvite,
  membersRemove,
  membersRevokeInvitation,
} from '../schemas/access';
import {
  auditOf,
  authorId,
  createTRPCRouter,
  teamProcedure,
  userProcedure,
  type TeamAccess,
} from '../trpc';

/** Admins manage editors, viewers and admins; only an owner touches an owner or makes one. */
function checkMayManage(team: TeamAccess, ...roles: TeamRole[]): void {
  if (roles.includes('owner') && team.role !== 'owner') {
    throw forbidden('only an owner can make, change or remove owners');
  }
}

async function currentRole(client: PoolClient, teamId: string, userId: string): Promise<TeamRole> {
  const role = await getMemberRole(client, teamId, userId);
  if (!role) throw notFound('member');
  return role;
}

async function ownerRule<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof LastOwnerError) throw conflict(err.message);
    throw err;
  }
}

export const membersRouter = createTRPCRouter({
  /** Members with their roles; pending invitations for admins. */
  list: teamProcedure('viewer').query(async ({ ctx }) => ({
    members: await listMembers(ctx.pool, ctx.team.id),
    invitations: roleAtLeast(ctx.team.role, 'admin')
      ? await listPendingInvitations(ctx.pool, ctx.team.id)
      : [],
  })),

  /** An invitation for an email; its token (for the link) is in this response only. */
  invite: teamProcedure('admin')
    .input(membersInvite)
    .mutation(async ({ ctx, input }) => {
      checkMayManage(ctx.team, input.role);
      const { token, invitation } = await auditedTransaction(
        ctx.pool,
        (client) =>
          createInvitation(client, {
            teamId: ctx.team.id,
            email: input.email,
            role: input.role,
            invitedById: authorId(ctx),
          }),
        ({ invitation }) =>
          auditOf(
            ctx,
            ctx.team.id,
            'member.invite',
            { type: 'invitation', id: invitation.id },
            {
              email: invitation.email,
              role: invitation.role,
            },
          ),
      );
      return { invitation, token, acceptPath: `/invite?token=${encodeURIComponent(token)}` };
    }),

  /** The signed-in user joins the team they were invited to (the invitation's email must be theirs). */
  acceptInvitation: userProcedure
    .input(membersAcceptInvitation)
    .mutation(async ({ ctx, input }) => {
      try {
        const invitation = await auditedTransaction(
          ctx.pool,
          (client) =>
            acceptInvitation(client, {
              token: input.token,
              userId: ctx.actor.userId,
              email: ctx.actor.email,
            }),
          (inv) =>
            auditOf(
              ctx,
              inv.teamId,
              'member.join',
              { type: 'user', id: ctx.actor.userId },
              {
                invitationId: inv.id,
                role: inv.role,
              },
            ),
        );
        return { teamId: invitation.teamId, role: invitation.role };
      } catch (err) {
        if (err instanceof InvitationError) {
          throw badRequest(err.message, [{ path: 'token', message: err.message }]);
        }
        throw err;
      }
    }),

  changeRole: teamProcedure('admin')
    .input(membersChangeRole)
    .mutation(({ ctx, input }) =>
      ownerRule(() =>
        auditedTransaction(
          ctx.pool,
          async (client) => {
            checkMayManage(
              ctx.team,
              await currentRole(client, ctx.team.id, input.userId),
              input.role,
            );
            const previous = await changeMemberRole(client, ctx.team.id, input.userId, input.role);
            if (!previous) throw notFound('member');
            return { userId: input.userId, previous, role: input.role };
          },
          (r) =>
            auditOf(
              ctx,
              ctx.team.id,
              'member.role_change',
              { type: 'user', id: r.userId },
              {
                from: r.previous,
                to: r.role,
              },
            ),
        ),
      ),
    ),

  remove: teamProcedure('admin')
    .input(membersRemove)
    .mutation(({ ctx, input }) =>
      ownerRule(() =>
        auditedTransaction(
          ctx.pool,
          async (client) => {
            checkMayManage(ctx.team, await currentRole(client, ctx.team.id, input.userId));
            const previous = await removeMember(client, ctx.team.id, input.userId);
            if (!previous) throw notFound('member');
            // Someone removed: every browser session of theirs ends (they sign in again for
            // their other teams). Leaving a team oneself signs nobody out.
            const leaving = ctx.actor.type === 'user' && ctx.actor.userId === input.userId;
            const signedOut = !leaving && (await endUserSessions(client, input.userId)) !== null;
            return { userId: input.userId, removed: true, role: previous, signedOut };
          },
          (r) =>
            auditOf(
              ctx,
              ctx.team.id,
              'member.remove',
              { type: 'user', id: r.userId },
              { role: r.role, signedOut: r.signedOut },
            ),
        ),
      ),
    ),

  revokeInvitation: teamProcedure('admin')
    .input(membersRevokeInvitation)
    .mutation(async ({ ctx, input }) => {
      const revoked = await auditedTransaction(
        ctx.pool,
        (client) => revokeInvitation(client, ctx.team.id, input.invitationId),
        (inv) =>
          inv &&
          auditOf(
            ctx,
            ctx.team.id,
            'member.invite_revoke',
            { type: 'invitation', id: inv.id },
            {
              email: inv.email,
            },
          ),
      );
      if (!revoked) throw notFound('invitation');
      return { id: revoked.id, revoked: true };
    }),
});
