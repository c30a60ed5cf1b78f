import {
  cancelRun,
  createRun,
  getRun,
  listRuns,
  recordAudit,
  rerunRun,
  setRunTriggeredByToken,
  teamOfRun,
} from '@dtss/db';
import { notFound } from '../errors';
import { mapRunErrors } from '../lib/runErrors';
import { runsCancel, runsGet, runsList, runsRerun, runsTrigger } from '../schemas/runs';
import { auditOf, authedProcedure, authorize, createTRPCRouter, teamProcedure } from '../trpc';
import { toWorkflowRef } from './workflows';

export const runsRouter = createTRPCRouter({
  /** Starts a run of the workflow's current version; params are validated against its schema. */
  trigger: teamProcedure('editor')
    .input(runsTrigger)
    .mutation(async ({ ctx, input }) => {
      const result = await mapRunErrors(() =>
        createRun(ctx.pool, {
          teamId: ctx.team.id,
          workflow: toWorkflowRef(input.workflow),
          params: input.params,
          idempotencyKey: input.idempotencyKey ?? null,
          triggerKind: ctx.actor.type === 'token' ? 'api' : 'manual',
          triggeredById: ctx.actor.type === 'user' ? ctx.actor.userId : null,
        }),
      );
      if (result.created && ctx.actor.type === 'token') {
        await setRunTriggeredByToken(ctx.pool, result.run.id, ctx.actor.tokenId);
      }
      // createRun owns its transaction (it also enqueues the first jobs); the record follows it.
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'run.trigger',
          { type: 'run', id: result.run.id },
          {
            workflowId: result.run.workflowId,
            number: result.run.number,
            created: result.created,
            paramNames: Object.keys(input.params),
          },
        ),
      );
      return result;
    }),

  list: teamProcedure('viewer')
    .input(runsList)
    .query(({ ctx, input }) =>
      listRuns(
        ctx.pool,
        ctx.team.id,
        {
          workflow: input.workflow ?? null,
          statuses: input.status ?? null,
          triggerKinds: input.triggerKind ?? null,
          from: input.from ?? null,
          to: input.to ?? null,
        },
        { limit: input.limit, cursor: input.cursor ?? null },
      ),
    ),

  get: authedProcedure.input(runsGet).query(async ({ ctx, input }) => {
    await authorize(ctx, await teamOfRun(ctx.pool, input.runId), 'viewer', 'run');
    const run = await getRun(ctx.pool, input.runId);
    if (!run) throw notFound('run');
    return run;
  }),

  cancel: authedProcedure.input(runsCancel).mutation(async ({ ctx, input }) => {
    const team = await authorize(ctx, await teamOfRun(ctx.pool, input.runId), 'editor', 'run');
    const result = await cancelRun(ctx.pool, input.runId);
    await recordAudit(
      ctx.pool,
      auditOf(ctx, team.id, 'run.cancel', { type: 'run', id: input.runId }, { ...result }),
    );
    return result;
  }),

  /** A new run of the same version and params: the failed part, or one task (and downstream). */
  rerun: authedProcedure.input(runsRerun).mutation(async ({ ctx, input }) => {
    const team = await authorize(ctx, await teamOfRun(ctx.pool, input.runId), 'editor', 'run');
    const scope =
      input.mode === 'failed'
        ? ({ kind: 'failed' } as const)
        : ({ kind: 'task', task: input.mode.task, downstream: input.mode.downstream } as const);
    const run = await mapRunErrors(() =>
      rerunRun(ctx.pool, input.runId, scope, {
        triggeredById: ctx.actor.type === 'user' ? ctx.actor.userId : null,
      }),
    );
    await recordAudit(
      ctx.pool,
      auditOf(
        ctx,
        team.id,
        'run.rerun',
        { type: 'run', id: run.id },
        {
          parentRunId: input.runId,
          scope,
        },
      ),
    );
    return run;
  }),
});
