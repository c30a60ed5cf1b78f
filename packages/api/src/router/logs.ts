import { findAttemptId, readAttemptLog, searchRunLogs, teamOfRun } from '@dtss/db';
import { notFound } from '../errors';
import { logsAttempt, logsSearch } from '../schemas/logs';
import { authedProcedure, authorize, createTRPCRouter } from '../trpc';

export const logsRouter = createTRPCRouter({
  /** One page of an attempt's log, by chunk sequence; pass `nextCursor` back for the next page. */
  attempt: authedProcedure.input(logsAttempt).query(async ({ ctx, input }) => {
    await authorize(ctx, await teamOfRun(ctx.pool, input.runId), 'viewer', 'run');
    const attemptId = await findAttemptId(ctx.pool, input.runId, input.task, input.attempt);
    if (!attemptId) throw notFound('attempt');
    const lines = await readAttemptLog(ctx.pool, attemptId, {
      afterSeq: input.cursor ?? -1,
      limit: input.limit,
    });
    const last = lines[lines.length - 1];
    return { attemptId, lines, nextCursor: last ? last.seq : (input.cursor ?? null) };
  }),

  /** Lines of a run's logs containing `query` (case-insensitive), in log order. */
  search: authedProcedure.input(logsSearch).query(async ({ ctx, input }) => {
    await authorize(ctx, await teamOfRun(ctx.pool, input.runId), 'viewer', 'run');
    return searchRunLogs(ctx.pool, input.runId, input.query, {
      limit: input.limit,
      afterChunkId: input.cursor ?? null,
    });
  }),
});
