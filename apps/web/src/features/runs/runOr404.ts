import 'server-only';
import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { requireUser } from '@/server/session';
import { serverApi } from '@/trpc/server';

/**
 * A run of the team in the URL, or the 404 page: unknown ids, malformed ids and runs of other
 * teams (also of another team the user belongs to) look the same. Cached per request, so the
 * metadata and the page share one read.
 */
export const runOr404 = cache(async (teamSlug: string, runId: string) => {
  // The page checks the session itself: the team layout renders in parallel with it.
  await requireUser();
  const api = await serverApi();
  let run;
  try {
    run = await api.runs.get({ runId });
  } catch (err) {
    if (err instanceof TRPCError && (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST')) {
      notFound();
    }
    throw err;
  }
  const team = (await api.teams.list()).find((t) => t.slug === teamSlug);
  if (!team || team.id !== run.teamId) notFound();
  return run;
});
