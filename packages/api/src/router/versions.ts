import { getVersion, listVersions, teamOfVersion, teamOfWorkflow } from '@dtss/db';
import { notFound } from '../errors';
import { definitionDiff, definitionToYaml } from '../lib/definitionText';
import { versionsDiff, versionsGet, versionsList } from '../schemas/versions';
import { authedProcedure, authorize, createTRPCRouter } from '../trpc';

export const versionsRouter = createTRPCRouter({
  list: authedProcedure.input(versionsList).query(async ({ ctx, input }) => {
    const team = await authorize(
      ctx,
      await teamOfWorkflow(ctx.pool, input.workflowId),
      'viewer',
      'workflow',
    );
    const versions = await listVersions(ctx.pool, team.id, input.workflowId);
    if (!versions) throw notFound('workflow');
    return versions;
  }),

  get: authedProcedure.input(versionsGet).query(async ({ ctx, input }) => {
    const team = await authorize(
      ctx,
      await teamOfVersion(ctx.pool, input.versionId),
      'viewer',
      'version',
    );
    const version = await getVersion(ctx.pool, team.id, input.versionId);
    if (!version) throw notFound('version');
    // One shape for both answers: `definitionText` is absent only when it was not asked for.
    if (!input.withText) return version as typeof version & { definitionText?: string };
    return { ...version, definitionText: definitionToYaml(version.definition) };
  }),

  /** A unified diff of two versions' definition texts (any two versions of the team's workflows). */
  diff: authedProcedure.input(versionsDiff).query(async ({ ctx, input }) => {
    const team = await authorize(
      ctx,
      await teamOfVersion(ctx.pool, input.fromVersionId),
      'viewer',
      'version',
    );
    const [from, to] = await Promise.all([
      getVersion(ctx.pool, team.id, input.fromVersionId),
      // Looked up within the first version's team: another team's version is not found.
      getVersion(ctx.pool, team.id, input.toVersionId),
    ]);
    if (!from || !to) throw notFound('version');
    const label = (v: typeof from) => `${v.definition.name}@v${v.version}`;
    const diff = definitionDiff(
      { label: label(from), definition: from.definition },
      { label: label(to), definition: to.definition },
      input.context,
    );
    return {
      from: { id: from.id, version: from.version },
      to: { id: to.id, version: to.version },
      identical: from.contentHash === to.contentHash,
      diff,
    };
  }),
});
