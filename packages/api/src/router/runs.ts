import {
  cancelRun,
  cancelRuns,
  countRuns,
  createRun,
  getRun,
  listRuns,
  matchingRunIds,
  readTaskDurationHistory,
  recordAudit,
  rerunFailedRuns,
  rerunRun,
  setRunTriggeredByToken,
  teamOfRun,
  type Pool,
  type RunListFilters,
  type RunStatus,
  type TriggerKind,
} from '@dtss/db';
import { badRequest, conflict, notFound } from '../errors';
import { mapRunErrors } from '../lib/runErrors';
import {
  BULK_MAX_RUNS,
  runsBulk,
  runsCancel,
  runsCount,
  runsGet,
  runsHistory,
  runsList,
  runsRerun,
  runsTrigger,
} from '../schemas/runs';
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

  /**
   * What a forecast of this run is built from: medians of its workflow's last successful runs
   * (this run excluded), per task. The browser projects the ETA and critical path with @dtss/core.
   */
  history: authedProcedure.input(runsHistory).query(async ({ ctx, input }) => {
    await authorize(ctx, await teamOfRun(ctx.pool, input.runId), 'viewer', 'run');
    const run = await getRun(ctx.pool, input.runId);
    if (!run) throw notFound('run');
    return readTaskDurationHistory(ctx.pool, run.workflowId, {
      limit: input.limit,
      excludeRunId: run.id,
    });
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

  /** How many of the team's runs match the runs.list filter: what a bulk action confirms. */
  count: teamProcedure('viewer')
    .input(runsCount)
    .query(async ({ ctx, input }) => ({
      count: await countRuns(ctx.pool, ctx.team.id, toRunFilters(input)),
    })),

  /** Cancels many runs (by id, or every run matching a filter); ended runs are skipped. */
  cancelMany: teamProcedure('editor')
    .input(runsBulk)
    .mutation(async ({ ctx, input }) => {
      const runIds = await bulkTargets(ctx.pool, ctx.team.id, input);
      const result = await cancelRuns(ctx.pool, ctx.team.id, runIds, {
        // Each cancelled run is recorded like a single runs.cancel, as soon as it is done.
        onDone: ({ runId, accepted, stopping }) =>
          recordAudit(
            ctx.pool,
            auditOf(
              ctx,
              ctx.team.id,
              'run.cancel',
              { type: 'run', id: runId },
              { accepted, stopping, bulk: true },
            ),
          ),
      });
      return {
        done: result.done.length,
        runs: result.done.map(({ runId, stopping }) => ({ runId, stopping })),
        skipped: result.skipped,
      };
    }),

  /** Reruns the failed part of many runs; active runs and runs where nothing failed are skipped. */
  rerunMany: teamProcedure('editor')
    .input(runsBulk)
    .mutation(async ({ ctx, input }) => {
      const runIds = await bulkTargets(ctx.pool, ctx.team.id, input);
      const scope = { kind: 'failed' } as const;
      const result = await rerunFailedRuns(ctx.pool, ctx.team.id, runIds, {
        triggeredById: ctx.actor.type === 'user' ? ctx.actor.userId : null,
        onDone: ({ runId, run }) =>
          recordAudit(
            ctx.pool,
            auditOf(
              ctx,
              ctx.team.id,
              'run.rerun',
              { type: 'run', id: run.id },
              { parentRunId: runId, scope, bulk: true },
            ),
          ),
      });
      return {
        done: result.done.length,
        runs: result.done.map(({ runId, run }) => ({ runId, newRun: run })),
        skipped: result.skipped,
      };
    }),
});

type RunsFilterInput = {
  workflow?: string;
  status?: RunStatus[];
  triggerKind?: TriggerKind[];
  from?: Date;
  to?: Date;
};

function toRunFilters(input: RunsFilterInput): RunListFilters {
  return {
    workflow: input.workflow ?? null,
    statuses: input.status ?? null,
    triggerKinds: input.triggerKind ?? null,
    from: input.from ?? null,
    to: input.to ?? null,
  };
}

/**
 * The ids a bulk action applies to. With a filter the runs are chosen again here, by the same SQL
 * as runs.count, and nothing is done unless they are exactly as many as the caller confirmed.
 */
async function bulkTargets(
  pool: Pool,
  teamId: string,
  input: { runIds?: string[]; filter?: RunsFilterInput; expectedCount?: number },
): Promise<string[]> {
  if (input.runIds) return [...new Set(input.runIds)];
  const filters = toRunFilters(input.filter ?? {});
  const ids = await matchingRunIds(pool, teamId, filters, BULK_MAX_RUNS + 1);
  if (ids.length > BULK_MAX_RUNS) {
    const n = await countRuns(pool, teamId, filters);
    const message = `the filter matches ${n.toLocaleString('en')} runs; a bulk action takes at most ${BULK_MAX_RUNS.toLocaleString('en')}: narrow the filter`;
    throw badRequest(message, [{ path: 'filter', message }]);
  }
  if (ids.length !== input.expectedCount) {
    throw conflict(
      `the filter now matches ${ids.length} run${ids.length === 1 ? '' : 's'}, not the ${input.expectedCount} you confirmed: nothing was done; count again and confirm`,
    );
  }
  return ids;
}
