import {
  cancelBackfill,
  createBackfill,
  createSchedule,
  deleteSchedule,
  getBackfill,
  getSchedule,
  lastRunsOfSchedules,
  listBackfills,
  listSchedules,
  previewScheduleFires,
  recordAudit,
  setScheduleEnabled,
  updateSchedule,
} from '@dtss/db';
import { notFound } from '../errors';
import { mapDomainErrors } from '../lib/domainErrors';
import {
  backfillRef,
  backfillsCreate,
  backfillsList,
  scheduleRef,
  schedulesCreate,
  schedulesList,
  schedulesPreview,
  schedulesUpdate,
} from '../schemas/schedules';
import { auditOf, authorId, createTRPCRouter, teamProcedure } from '../trpc';

// Thin: the operations (packages/db/src/operations/{schedules,backfills}) scope every lookup to
// the team and validate with their own schemas; this layer authorizes, audits and maps errors.
const backfillsRouter = createTRPCRouter({
  create: teamProcedure('editor')
    .input(backfillsCreate)
    .mutation(async ({ ctx, input }) => {
      const backfill = await mapDomainErrors(() =>
        createBackfill(ctx.pool, { ...input, teamId: ctx.team.id, createdById: authorId(ctx) }),
      );
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'backfill.create',
          { type: 'backfill', id: backfill.id },
          {
            workflowId: backfill.workflowId,
            rangeStart: backfill.rangeStart,
            rangeEnd: backfill.rangeEnd,
            totalRuns: backfill.totalRuns,
          },
        ),
      );
      return backfill;
    }),

  list: teamProcedure('viewer')
    .input(backfillsList)
    .query(({ ctx, input }) =>
      mapDomainErrors(() => listBackfills(ctx.pool, { ...input, teamId: ctx.team.id })),
    ),

  get: teamProcedure('viewer')
    .input(backfillRef)
    .query(async ({ ctx, input }) => {
      const b = await mapDomainErrors(() =>
        getBackfill(ctx.pool, { ...input, teamId: ctx.team.id }),
      );
      if (!b) throw notFound('backfill');
      return b;
    }),

  cancel: teamProcedure('editor')
    .input(backfillRef)
    .mutation(async ({ ctx, input }) => {
      // cancelBackfill answers "not accepted" for another team's backfill; that is NOT_FOUND here,
      // and nothing is audited.
      const ref = { ...input, teamId: ctx.team.id };
      if (!(await mapDomainErrors(() => getBackfill(ctx.pool, ref)))) throw notFound('backfill');
      const result = await mapDomainErrors(() => cancelBackfill(ctx.pool, ref));
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'backfill.cancel',
          { type: 'backfill', id: input.backfillId },
          { ...result },
        ),
      );
      return result;
    }),
});

export const schedulesRouter = createTRPCRouter({
  /** The team's schedules, each with the run of its latest fired instant (`lastRun`, or null). */
  list: teamProcedure('viewer')
    .input(schedulesList)
    .query(async ({ ctx, input }) => {
      const schedules = await mapDomainErrors(() =>
        listSchedules(ctx.pool, { ...input, teamId: ctx.team.id }),
      );
      const lastRuns = await lastRunsOfSchedules(
        ctx.pool,
        ctx.team.id,
        schedules.map((s) => s.id),
      );
      return schedules.map((s) => ({ ...s, lastRun: lastRuns.get(s.id) ?? null }));
    }),

  get: teamProcedure('viewer')
    .input(scheduleRef)
    .query(async ({ ctx, input }) => {
      const s = await mapDomainErrors(() =>
        getSchedule(ctx.pool, { ...input, teamId: ctx.team.id }),
      );
      if (!s) throw notFound('schedule');
      return s;
    }),

  create: teamProcedure('editor')
    .input(schedulesCreate)
    .mutation(async ({ ctx, input }) => {
      const s = await mapDomainErrors(() =>
        createSchedule(ctx.pool, { ...input, teamId: ctx.team.id, createdById: authorId(ctx) }),
      );
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'schedule.create',
          { type: 'schedule', id: s.id },
          {
            name: s.name,
            workflowId: s.workflowId,
            cron: s.cron,
            timezone: s.timezone,
          },
        ),
      );
      return s;
    }),

  update: teamProcedure('editor')
    .input(schedulesUpdate)
    .mutation(async ({ ctx, input }) => {
      const s = await mapDomainErrors(() =>
        updateSchedule(ctx.pool, { ...input, teamId: ctx.team.id }),
      );
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'schedule.update',
          { type: 'schedule', id: s.id },
          {
            name: s.name,
            changed: Object.keys(input.changes),
          },
        ),
      );
      return s;
    }),

  delete: teamProcedure('editor')
    .input(scheduleRef)
    .mutation(async ({ ctx, input }) => {
      const deleted = await mapDomainErrors(() =>
        deleteSchedule(ctx.pool, { ...input, teamId: ctx.team.id }),
      );
      if (!deleted) throw notFound('schedule');
      await recordAudit(
        ctx.pool,
        auditOf(ctx, ctx.team.id, 'schedule.delete', { type: 'schedule', id: input.scheduleId }),
      );
      return { id: input.scheduleId, deleted: true };
    }),

  pause: teamProcedure('editor')
    .input(scheduleRef)
    .mutation(async ({ ctx, input }) => {
      const s = await mapDomainErrors(() =>
        setScheduleEnabled(ctx.pool, { ...input, teamId: ctx.team.id, enabled: false }),
      );
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'schedule.pause',
          { type: 'schedule', id: s.id },
          { name: s.name },
        ),
      );
      return s;
    }),

  resume: teamProcedure('editor')
    .input(scheduleRef)
    .mutation(async ({ ctx, input }) => {
      const s = await mapDomainErrors(() =>
        setScheduleEnabled(ctx.pool, { ...input, teamId: ctx.team.id, enabled: true }),
      );
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'schedule.resume',
          { type: 'schedule', id: s.id },
          { name: s.name },
        ),
      );
      return s;
    }),

  /** The next fire instants of a schedule, or of a cron expression in a zone. */
  preview: teamProcedure('viewer')
    .input(schedulesPreview)
    .query(({ ctx, input }) =>
      mapDomainErrors(() =>
        previewScheduleFires(
          ctx.pool,
          'scheduleId' in input ? { ...input, teamId: ctx.team.id } : input,
        ),
      ),
    ),

  backfills: backfillsRouter,
});
