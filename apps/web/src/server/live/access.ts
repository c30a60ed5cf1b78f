// Who may watch a run: any member (or token) of the run's team. A run of another team answers
// exactly like a run that does not exist, so ids cannot be probed across teams.
import {
  actorFromBearer,
  actorFromSession,
  CLIENT_VERSION_HEADER,
  clientVersionProblem,
} from '@dtss/api';
import type { Pool } from '@dtss/db';
import { actorFromRequest, roleInTeam, type Actor } from '@/server/auth/actor';
import type { SseOptions } from './sse';

export type RunAccess =
  { ok: true; actor: Actor; teamId: string } | { ok: false; response: Response };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function checkRunAccess(
  pool: Pool,
  request: Request,
  runId: string,
): Promise<RunAccess> {
  const incompatible = clientVersionProblem(request.headers.get(CLIENT_VERSION_HEADER));
  if (incompatible) return { ok: false, response: problem(412, incompatible) };
  const actor = await actorFromRequest(request);
  if (!actor) return { ok: false, response: problem(401, 'sign in or send a Bearer API token') };
  const notFound = { ok: false, response: problem(404, `no run ${runId}`) } as const;
  if (!UUID.test(runId)) return notFound;
  const { rows } = await pool.query<{ team_id: string }>(
    'SELECT team_id FROM workflow_runs WHERE id = $1',
    [runId],
  );
  const teamId = rows[0]?.team_id;
  if (!teamId || (await roleInTeam(actor, teamId)) === null) return notFound;
  return { ok: true, actor, teamId };
}

/**
 * Re-checks an open stream's access (DTSS_STREAM_RECHECK_MS, default a minute): a token is looked
 * up again (revoked, expired, or its creator demoted); a user's session is checked again (ended by
 * "sign out everywhere", a password change or a removal: its epoch moved on) and their membership
 * read again.
 */
export function accessRecheck(
  pool: Pool,
  request: Request,
  access: { actor: Actor; teamId: string },
): SseOptions['recheck'] {
  const everyMs = Number(process.env.DTSS_STREAM_RECHECK_MS ?? 60_000);
  return {
    everyMs: Number.isFinite(everyMs) && everyMs >= 100 ? everyMs : 60_000,
    allowed: async () => {
      const was = access.actor;
      const actor =
        was.type === 'token'
          ? await actorFromBearer(pool, request.headers.get('authorization') ?? '')
          : await actorFromSession(pool, { userId: was.userId, epoch: was.sessionEpoch });
      return actor !== null && (await roleInTeam(actor, access.teamId)) !== null;
    },
  };
}

export function problem(status: number, message: string): Response {
  return Response.json(
    { error: message },
    {
      status,
      headers: {
        'Cache-Control': 'no-store',
        ...(status === 401 ? { 'WWW-Authenticate': 'Bearer realm="dtss"' } : {}),
      },
    },
  );
}
