import { CLIENT_VERSION_HEADER, clientVersionProblem } from '@dtss/api';
import { actorFromRequest, roleInTeam } from '@/server/auth/actor';
import { accessRecheck, problem, streamDeps } from '@/server/live';
import type { SseOptions } from '@/server/live/sse';
import {
  authorizeRuns,
  parseRunIds,
  runsStreamDeps,
  runsStreamResponse,
} from '@/server/live/runsStream';

export const dynamic = 'force-dynamic';

/**
 * Many runs' statuses as ONE server-sent event stream: `?ids=<id>,<id>…` (at most 200). Each run
 * is authorised like /api/stream/runs/:id: 401 without an actor, 404 for a run that does not exist
 * or belongs to a team the caller is not in. Events: src/server/live/runsStream.ts.
 */
export async function GET(request: Request): Promise<Response> {
  const incompatible = clientVersionProblem(request.headers.get(CLIENT_VERSION_HEADER));
  if (incompatible) return problem(412, incompatible);
  const actor = await actorFromRequest(request);
  if (!actor) return problem(401, 'sign in or send a Bearer API token');
  const parsed = parseRunIds(new URL(request.url).searchParams.get('ids'));
  if (!parsed.ok) return problem(400, parsed.message);
  const deps = streamDeps();
  const access = await authorizeRuns(deps.pool, parsed.runIds, (teamId) =>
    roleInTeam(actor, teamId),
  );
  if (!access.ok) return problem(access.status, access.message);
  // The stream stays open while the caller may still see every team of its runs.
  const checks = access.teamIds.flatMap((teamId) => {
    const check = accessRecheck(deps.pool, request, { actor, teamId });
    return check ? [check] : [];
  });
  const recheck: SseOptions['recheck'] = checks[0]
    ? {
        everyMs: checks[0].everyMs,
        allowed: async () => (await Promise.all(checks.map((c) => c.allowed()))).every(Boolean),
      }
    : undefined;
  return runsStreamResponse(request, runsStreamDeps(deps), parsed.runIds, { recheck });
}
