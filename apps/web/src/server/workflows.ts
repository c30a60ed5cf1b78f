import 'server-only';
import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';
import { serverApi } from '@/trpc/server';

/** A workflow of the team in the URL, or the 404 page (unknown, or another team's). */
export async function workflowOr404(teamSlug: string, name: string) {
  try {
    return await (await serverApi()).workflows.get({ teamSlug, workflow: name });
  } catch (err) {
    if (err instanceof TRPCError && (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST'))
      notFound();
    throw err;
  }
}
