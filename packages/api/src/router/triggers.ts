import {
  createWebhookTrigger,
  deleteTrigger,
  listTriggers,
  readTrigger,
  recordAudit,
  rotateWebhookSecret,
  setTriggerEnabled,
} from '@dtss/db';
import { notFound } from '../errors';
import { mapDomainErrors } from '../lib/domainErrors';
import { secretsKeyOf } from '../lib/secretsKey';
import {
  triggerRef,
  triggersCreateWebhook,
  triggersList,
  triggersSetEnabled,
} from '../schemas/schedules';
import { auditOf, createTRPCRouter, teamProcedure } from '../trpc';

// Event triggers come from workflow files (workflows.applyDefinition); webhooks are made here.
// A webhook's signing secret is returned once, by createWebhook or rotateSecret, never audited.
export const triggersRouter = createTRPCRouter({
  list: teamProcedure('viewer')
    .input(triggersList)
    .query(({ ctx, input }) =>
      mapDomainErrors(() => listTriggers(ctx.pool, { ...input, teamId: ctx.team.id })),
    ),

  get: teamProcedure('viewer')
    .input(triggerRef)
    .query(async ({ ctx, input }) => {
      const trigger = await readTrigger(ctx.pool, ctx.team.id, input.triggerId);
      if (!trigger) throw notFound('trigger');
      return trigger;
    }),

  createWebhook: teamProcedure('editor')
    .input(triggersCreateWebhook)
    .mutation(async ({ ctx, input }) => {
      const created = await mapDomainErrors(() =>
        createWebhookTrigger(ctx.pool, { ...input, teamId: ctx.team.id }, secretsKeyOf(ctx)),
      );
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'trigger.create',
          { type: 'trigger', id: created.trigger.id },
          {
            name: created.trigger.name,
            kind: 'webhook',
            workflowId: created.trigger.workflowId,
          },
        ),
      );
      return created;
    }),

  setEnabled: teamProcedure('editor')
    .input(triggersSetEnabled)
    .mutation(async ({ ctx, input }) => {
      const trigger = await mapDomainErrors(() =>
        setTriggerEnabled(ctx.pool, { ...input, teamId: ctx.team.id }),
      );
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          input.enabled ? 'trigger.enable' : 'trigger.disable',
          { type: 'trigger', id: trigger.id },
          { name: trigger.name },
        ),
      );
      return trigger;
    }),

  rotateSecret: teamProcedure('editor')
    .input(triggerRef)
    .mutation(async ({ ctx, input }) => {
      const result = await mapDomainErrors(() =>
        rotateWebhookSecret(ctx.pool, { ...input, teamId: ctx.team.id }, secretsKeyOf(ctx)),
      );
      await recordAudit(
        ctx.pool,
        auditOf(ctx, ctx.team.id, 'trigger.rotate_secret', {
          type: 'trigger',
          id: input.triggerId,
        }),
      );
      return result;
    }),

  delete: teamProcedure('editor')
    .input(triggerRef)
    .mutation(async ({ ctx, input }) => {
      const deleted = await mapDomainErrors(() =>
        deleteTrigger(ctx.pool, { ...input, teamId: ctx.team.id }),
      );
      if (!deleted) throw notFound('trigger');
      await recordAudit(
        ctx.pool,
        auditOf(ctx, ctx.team.id, 'trigger.delete', { type: 'trigger', id: input.triggerId }),
      );
      return { id: input.triggerId, deleted: true };
    }),
});
