import {
  archiveWorkflow,
  findWorkflow,
  getVersionByNumber,
  listWorkflows,
  readRunGrid,
  recordAudit,
  RUN_GRID_MAX_RUNS,
  saveWorkflowVersion,
  teamOfWorkflow,
  type WorkflowRef,
} from '@dtss/db';
import { parseWorkflowText } from '@dtss/core';
import { z } from 'zod';
import { badRequest, notFound } from '../errors';
import { definitionToYaml } from '../lib/definitionText';
import {
  workflowsApply,
  workflowsArchive,
  workflowsExportYaml,
  workflowsGet,
  workflowsList,
  workflowsValidate,
} from '../schemas/workflows';
import {
  auditOf,
  authedProcedure,
  authorize,
  authorId,
  createTRPCRouter,
  teamProcedure,
} from '../trpc';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** workflows.runGrid: a workflow (id or name) and how many of its latest runs. */
export const workflowsRunGrid = z.object({
  workflow: z
    .string({ error: "must be the workflow's name or id" })
    .trim()
    .min(1, "must be the workflow's name or id")
    .max(200, 'must be at most 200 characters'),
  limit: z
    .number({ error: `must be a whole number from 1 to ${RUN_GRID_MAX_RUNS}` })
    .int(`must be a whole number from 1 to ${RUN_GRID_MAX_RUNS}`)
    .min(1, `must be a whole number from 1 to ${RUN_GRID_MAX_RUNS}`)
    .max(RUN_GRID_MAX_RUNS, `must be a whole number from 1 to ${RUN_GRID_MAX_RUNS}`)
    .default(25),
});

/** A workflow named by id or by name. */
export function toWorkflowRef(ref: string): WorkflowRef {
  return UUID.test(ref) ? { id: ref } : { name: ref };
}

export const workflowsRouter = createTRPCRouter({
  list: teamProcedure('viewer')
    .input(workflowsList)
    .query(({ ctx, input }) =>
      listWorkflows(ctx.pool, ctx.team.id, {
        search: input.search || null,
        tag: input.tag ?? null,
        includeArchived: input.includeArchived,
        limit: input.limit,
        afterName: input.cursor ?? null,
      }),
    ),

  get: teamProcedure('viewer')
    .input(workflowsGet)
    .query(async ({ ctx, input }) => {
      const workflow = await findWorkflow(ctx.pool, ctx.team.id, toWorkflowRef(input.workflow));
      if (!workflow) throw notFound('workflow');
      const v = workflow.currentVersion;
      return {
        ...workflow,
        currentVersion: v && { ...v, definitionText: definitionToYaml(v.definition) },
      };
    }),

  /**
   * The grid of the workflow's last `limit` runs × its tasks: runs oldest first, rows in graph
   * order (tasks only older versions had last), one [status, durationMs, attempts] per task run.
   */
  runGrid: teamProcedure('viewer')
    .input(workflowsRunGrid)
    .query(async ({ ctx, input }) => {
      const grid = await readRunGrid(ctx.pool, ctx.team.id, toWorkflowRef(input.workflow), {
        limit: input.limit,
      });
      if (!grid) throw notFound('workflow');
      return grid;
    }),

  /** Creates or updates a workflow from a file's text: a new version only when content changed.
   * The editor's `layout` rides along: stored with a new version, or written over the current
   * version's when only nodes moved. (Named applyDefinition: tRPC reserves `apply`.) */
  applyDefinition: teamProcedure('editor')
    .input(workflowsApply)
    .mutation(async ({ ctx, input }) => {
      const parsed = parseWorkflowText(input.text, { format: input.format });
      if (!parsed.ok) throw badRequest('the workflow does not validate', parsed.errors);
      const result = await saveWorkflowVersion(ctx.prisma, {
        teamId: ctx.team.id,
        definition: parsed.workflow,
        createdById: authorId(ctx),
        layout: input.layout ?? null,
      });
      // saveWorkflowVersion owns its (Prisma) transaction; the record follows it.
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'workflow.apply',
          { type: 'workflow', id: result.workflowId },
          {
            name: parsed.workflow.name,
            change: result.change,
            version: result.version,
            layoutSaved: result.layoutSaved,
          },
        ),
      );
      return { ...result, name: parsed.workflow.name };
    }),

  archive: authedProcedure.input(workflowsArchive).mutation(async ({ ctx, input }) => {
    const team = await authorize(
      ctx,
      await teamOfWorkflow(ctx.pool, input.workflowId),
      'editor',
      'workflow',
    );
    const archived = await archiveWorkflow(ctx.pool, team.id, input.workflowId);
    if (!archived) throw notFound('workflow');
    await recordAudit(
      ctx.pool,
      auditOf(
        ctx,
        team.id,
        'workflow.archive',
        { type: 'workflow', id: archived.id },
        {
          name: archived.name,
          alreadyArchived: archived.wasArchived,
        },
      ),
    );
    return { id: archived.id, archived: true };
  }),

  /** Offline validation: problems with their paths (and lines), nothing stored. */
  validate: authedProcedure.input(workflowsValidate).query(({ input }) => {
    const parsed = parseWorkflowText(input.text, { format: input.format });
    return parsed.ok
      ? {
          ok: true as const,
          name: parsed.workflow.name,
          taskCount: Object.keys(parsed.workflow.tasks).length,
          errors: [],
        }
      : { ok: false as const, errors: parsed.errors };
  }),

  exportYaml: teamProcedure('viewer')
    .input(workflowsExportYaml)
    .query(async ({ ctx, input }) => {
      const workflow = await findWorkflow(ctx.pool, ctx.team.id, toWorkflowRef(input.workflow));
      if (!workflow?.currentVersion) throw notFound('workflow');
      const version =
        input.version === undefined
          ? workflow.currentVersion
          : await getVersionByNumber(ctx.pool, ctx.team.id, workflow.id, input.version);
      if (!version) throw notFound('version');
      return {
        name: workflow.name,
        version: version.version,
        yaml: definitionToYaml(version.definition),
      };
    }),
});
