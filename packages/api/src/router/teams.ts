import {
  auditedTransaction,
  createTeam,
  deleteTeam,
  getTeam,
  listTeamsOfUser,
  readTeamRetention,
  renameTeam,
  setTeamRetention,
  TeamSlugTakenError,
} from '@dtss/db';
import { conflict, notFound } from '../errors';
import { teamsCreate, teamsRename, teamsSetRetention } from '../schemas/access';
import { auditOf, authedProcedure, createTRPCRouter, teamProcedure, userProcedure } from '../trpc';

export const teamsRouter = createTRPCRouter({
  /** The caller's teams with their role (a token: its own team only). */
  list: authedProcedure.query(async ({ ctx }) => {
    if (ctx.actor.type === 'user') return listTeamsOfUser(ctx.pool, ctx.actor.userId);
    const team = await getTeam(ctx.pool, ctx.actor.teamId);
    return team ? [{ ...team, role: ctx.actor.role }] : [];
  }),

  /** A new team owned by the signed-in user. */
  create: userProcedure.input(teamsCreate).mutation(async ({ ctx, input }) => {
    try {
      return await auditedTransaction(
        ctx.pool,
        (client) => createTeam(client, { ...input, ownerUserId: ctx.actor.userId }),
        (team) =>
          auditOf(
            ctx,
            team.id,
            'team.create',
            { type: 'team', id: team.id },
            {
              slug: team.slug,
              name: team.name,
            },
          ),
      );
    } catch (err) {
      if (err instanceof TeamSlugTakenError) throw conflict(err.message);
      throw err;
    }
  }),

  get: teamProcedure('viewer').query(async ({ ctx }) => {
    const team = await getTeam(ctx.pool, ctx.team.id);
    if (!team) throw notFound('team');
    return { ...team, role: ctx.team.role };
  }),

  /** A new display name; the slug (the team's URLs) stays. Admins. */
  rename: teamProcedure('admin')
    .input(teamsRename)
    .mutation(async ({ ctx, input }) => {
      const renamed = await auditedTransaction(
        ctx.pool,
        (client) => renameTeam(client, ctx.team.id, input.name),
        // Renaming to the same name changes nothing and records nothing.
        (r) =>
          r && r.before.name !== r.after.name
            ? auditOf(
                ctx,
                ctx.team.id,
                'team.rename',
                { type: 'team', id: ctx.team.id },
                { from: r.before.name, to: r.after.name },
              )
            : null,
      );
      if (!renamed) throw notFound('team');
      return { ...renamed.after, role: ctx.team.role };
    }),

  /** How long the team keeps log lines and finished runs (days; null: forever). */
  retention: teamProcedure('viewer').query(async ({ ctx }) => {
    const retention = await readTeamRetention(ctx.pool, ctx.team.id);
    if (!retention) throw notFound('team');
    return retention;
  }),

  /** Changes the team's retention; the scheduler's leader applies it within a minute. Admins. */
  setRetention: teamProcedure('admin')
    .input(teamsSetRetention)
    .mutation(async ({ ctx, input }) => {
      const changed = await auditedTransaction(
        ctx.pool,
        (client) => setTeamRetention(client, ctx.team.id, input),
        (r) =>
          r &&
          (r.before.logRetentionDays !== r.after.logRetentionDays ||
            r.before.runRetentionDays !== r.after.runRetentionDays)
            ? auditOf(
                ctx,
                ctx.team.id,
                'team.retention',
                { type: 'team', id: ctx.team.id },
                {
                  from: r.before,
                  to: r.after,
                },
              )
            : null,
      );
      if (!changed) throw notFound('team');
      return changed.after;
    }),

  /** Deletes the team and everything it owns. Owners only. */
  delete: teamProcedure('owner').mutation(async ({ ctx }) => {
    const team = await getTeam(ctx.pool, ctx.team.id);
    if (!team) throw notFound('team');
    // The team's audit rows go with it (cascade), so this one record goes to the server log.
    const record = auditOf(
      ctx,
      team.id,
      'team.delete',
      { type: 'team', id: team.id },
      { slug: team.slug },
    );
    await deleteTeam(ctx.pool, team.id);
    console.info(`[audit] ${JSON.stringify({ ...record, at: new Date().toISOString() })}`);
    return { id: team.id, deleted: true };
  }),
});
