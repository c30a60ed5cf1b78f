import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { preload } from 'react-dom';
import { logStreamUrl } from '@/features/logs/logEvents';
import { RunPage } from '@/features/runs/RunPage';
import { runOr404 } from '@/features/runs/runOr404';
import { prefetchedState, serverQueryClient, serverTrpc } from '@/trpc/server';

export const dynamic = 'force-dynamic';

type Params = Promise<{ team: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { team, id } = await params;
  const run = await runOr404(team, id);
  return { title: `Run #${run.number} · ${run.workflowName}` };
}

export default async function Page({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { team, id } = await params;
  const { task: taskParam } = await searchParams;
  // Checked on the server so an unknown or foreign run answers with a real 404.
  const run = await runOr404(team, id);
  // The run (already read for the check), its version and its history reach the browser with the
  // page: it draws them as soon as its code runs, instead of asking for them after.
  const trpc = serverTrpc();
  const queryClient = serverQueryClient();
  queryClient.setQueryData(trpc.runs.get.queryKey({ runId: run.id }), run);
  await Promise.all([
    queryClient.prefetchQuery(
      trpc.versions.get.queryOptions({ versionId: run.versionId, withText: false }),
    ),
    queryClient.prefetchQuery(trpc.runs.history.queryOptions({ runId: run.id })),
  ]);
  // A task's log open in the URL (`?task=`) whose last attempt has ended: the browser starts
  // reading it with the page, instead of after the page's code has run (the log viewer's fetch of
  // the same URL takes the preloaded response).
  const task = run.tasks.find((t) => t.key === taskParam);
  const last = task?.attemptHistory.reduce<(typeof task.attemptHistory)[number] | undefined>(
    (a, b) => (!a || b.number > a.number ? b : a),
    undefined,
  );
  if (task && last && last.status !== 'running') {
    preload(logStreamUrl(run.id, task.key, last.number, { follow: false, compact: true }), {
      as: 'fetch',
      crossOrigin: 'anonymous',
    });
  }
  return (
    <HydrationBoundary state={prefetchedState()}>
      <RunPage key={run.id} runId={run.id} />
    </HydrationBoundary>
  );
}
