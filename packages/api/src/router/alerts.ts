// Alerts: channels (admins change them; their credentials go in and never come out), team rules
// (admins; rules of a workflow file belong to the file), incidents with their deliveries (every
// member). The scheduler's leader evaluates the rules and sends; a test message is queued for it.
import { normalizeAlertRule } from '@dtss/core';
import {
  AlertChannelError,
  AlertRuleError,
  createAlertChannel,
  createAlertRule,
  deleteAlertChannel,
  deleteAlertRule,
  findAlertChannel,
  getTeam,
  listAlertChannels,
  listAlertRules,
  listChannelDeliveries,
  listIncidents,
  queueTestDelivery,
  recordAudit,
  teamOfRun,
  updateAlertChannel,
  type AlertChannelSettings,
} from '@dtss/db';
import { conflict, notFound } from '../errors';
import { secretsKeyOf } from '../lib/secretsKey';
import {
  alertsChannelDeliveries,
  alertsChannelRef,
  alertsChannelsCreate,
  alertsChannelsUpdate,
  alertsIncidentsForRun,
  alertsIncidentsList,
  alertsRuleRef,
  alertsRulesCreate,
  alertsRulesList,
} from '../schemas/alerts';
import { auditOf, authedProcedure, authorize, createTRPCRouter, teamProcedure } from '../trpc';

function mapError(err: unknown): never {
  if (err instanceof AlertChannelError || err instanceof AlertRuleError) {
    if (err.code === 'not_found')
      throw notFound(err instanceof AlertRuleError ? 'rule' : 'channel');
    if (err.code === 'unknown_workflow') throw notFound('workflow');
    throw conflict(err.message);
  }
  throw err;
}

/** What the audit log keeps of a channel's settings: never a URL (it may hold a token) or password. */
function settingsSummary(settings: AlertChannelSettings | undefined) {
  if (!settings) return {};
  return settings.kind === 'email'
    ? { kind: settings.kind, host: settings.host, to: settings.to }
    : { kind: settings.kind, host: new URL(settings.url).host };
}

const channels = createTRPCRouter({
  list: teamProcedure('viewer').query(({ ctx }) => listAlertChannels(ctx.pool, ctx.team.id)),

  create: teamProcedure('admin')
    .input(alertsChannelsCreate)
    .mutation(async ({ ctx, input }) => {
      const created = await createAlertChannel(ctx.pool, {
        teamId: ctx.team.id,
        name: input.name,
        settings: input.settings,
        key: secretsKeyOf(ctx),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      }).catch(mapError);
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'alert_channel.create',
          { type: 'alert_channel', id: created.channel.id },
          { name: input.name, ...settingsSummary(input.settings) },
        ),
      );
      // A generated signing secret is shown once, here.
      return created;
    }),

  update: teamProcedure('admin')
    .input(alertsChannelsUpdate)
    .mutation(async ({ ctx, input }) => {
      const channel = await updateAlertChannel(ctx.pool, {
        teamId: ctx.team.id,
        channelId: input.channelId,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.settings ? { settings: input.settings } : {}),
        key: secretsKeyOf(ctx),
      }).catch(mapError);
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'alert_channel.update',
          { type: 'alert_channel', id: channel.id },
          {
            name: channel.name,
            enabled: input.enabled,
            settingsChanged: input.settings !== undefined,
            ...settingsSummary(input.settings),
          },
        ),
      );
      return channel;
    }),

  delete: teamProcedure('admin')
    .input(alertsChannelRef)
    .mutation(async ({ ctx, input }) => {
      const channel = await findAlertChannel(ctx.pool, ctx.team.id, input.channelId);
      if (!channel || !(await deleteAlertChannel(ctx.pool, ctx.team.id, input.channelId)))
        throw notFound('channel');
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'alert_channel.delete',
          { type: 'alert_channel', id: input.channelId },
          { name: channel.name },
        ),
      );
      return { id: input.channelId, deleted: true };
    }),

  /** Queues a test message; the scheduler's leader sends it (see `deliveries`). */
  test: teamProcedure('admin')
    .input(alertsChannelRef)
    .mutation(async ({ ctx, input }) => {
      const channel = await findAlertChannel(ctx.pool, ctx.team.id, input.channelId);
      if (!channel) throw notFound('channel');
      const team = ctx.team.id;
      const slug = (await getTeam(ctx.pool, team))?.slug ?? team;
      const subject = `[test] DTSS alert channel ${channel.name}`;
      const deliveryId = await queueTestDelivery(ctx.pool, {
        teamId: team,
        channelId: channel.id,
        payload: {
          event: 'test',
          kind: null,
          team: slug,
          rule: null,
          subject,
          text: `${subject}\nThis is a test message: the channel works.`,
          incident: null,
        },
      });
      if (!deliveryId) throw notFound('channel');
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          team,
          'alert_channel.test',
          { type: 'alert_channel', id: channel.id },
          { name: channel.name },
        ),
      );
      return { deliveryId, queued: true };
    }),

  deliveries: teamProcedure('viewer')
    .input(alertsChannelDeliveries)
    .query(async ({ ctx, input }) => {
      if (!(await findAlertChannel(ctx.pool, ctx.team.id, input.channelId)))
        throw notFound('channel');
      return listChannelDeliveries(ctx.pool, ctx.team.id, input.channelId, input.limit);
    }),
});

const rules = createTRPCRouter({
  list: teamProcedure('viewer')
    .input(alertsRulesList)
    .query(({ ctx, input }) =>
      listAlertRules(
        ctx.pool,
        ctx.team.id,
        input.workflowId ? { workflowId: input.workflowId } : {},
      ),
    ),

  create: teamProcedure('admin')
    .input(alertsRulesCreate)
    .mutation(async ({ ctx, input }) => {
      const spec = normalizeAlertRule(input.rule);
      const rule = await createAlertRule(ctx.pool, {
        teamId: ctx.team.id,
        workflowId: input.workflowId ?? null,
        spec,
      }).catch(mapError);
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'alert_rule.create',
          { type: 'alert_rule', id: rule.id },
          {
            name: rule.name,
            kind: rule.kind,
            workflowId: rule.workflowId,
            channels: rule.channelNames,
          },
        ),
      );
      return rule;
    }),

  delete: teamProcedure('admin')
    .input(alertsRuleRef)
    .mutation(async ({ ctx, input }) => {
      await deleteAlertRule(ctx.pool, ctx.team.id, input.ruleId).catch(mapError);
      await recordAudit(
        ctx.pool,
        auditOf(ctx, ctx.team.id, 'alert_rule.delete', { type: 'alert_rule', id: input.ruleId }),
      );
      return { id: input.ruleId, deleted: true };
    }),
});

const incidents = createTRPCRouter({
  list: teamProcedure('viewer')
    .input(alertsIncidentsList)
    .query(async ({ ctx, input }) => {
      const items = await listIncidents(ctx.pool, ctx.team.id, {
        ...(input.status ? { status: input.status } : {}),
        limit: input.limit,
        cursor: input.cursor ?? null,
      });
      const last = items.at(-1);
      return {
        items,
        nextCursor:
          items.length === input.limit && last ? { openedAt: last.openedAt, id: last.id } : null,
      };
    }),

  /** The incidents a run caused (its page's alerts section). */
  forRun: authedProcedure.input(alertsIncidentsForRun).query(async ({ ctx, input }) => {
    const team = await authorize(ctx, await teamOfRun(ctx.pool, input.runId), 'viewer', 'run');
    return listIncidents(ctx.pool, team.id, { runId: input.runId, limit: 100 });
  }),
});

export const alertsRouter = createTRPCRouter({ channels, rules, incidents });
