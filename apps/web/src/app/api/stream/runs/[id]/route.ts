import { accessRecheck, checkRunAccess, runStreamResponse, streamDeps } from '@/server/live';

export const dynamic = 'force-dynamic';

/** A run's status as server-sent events (see src/server/live/runStream.ts for the events). */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const { id } = await params;
  const deps = streamDeps();
  const access = await checkRunAccess(deps.pool, request, id);
  if (!access.ok) return access.response;
  return runStreamResponse(request, deps, id, {
    recheck: accessRecheck(deps.pool, request, access),
  });
}
