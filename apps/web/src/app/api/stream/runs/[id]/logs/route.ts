import { accessRecheck, checkRunAccess, logStreamResponse, streamDeps } from '@/server/live';

export const dynamic = 'force-dynamic';

/** A run's logs as server-sent events (see src/server/live/logStream.ts for the events). */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const { id } = await params;
  const deps = streamDeps();
  const access = await checkRunAccess(deps.pool, request, id);
  if (!access.ok) return access.response;
  return logStreamResponse(request, deps, id, {
    recheck: accessRecheck(deps.pool, request, access),
  });
}
