import 'server-only';
import {
  actorFromBearer,
  actorFromSession,
  databaseUnavailable,
  roleInTeam as roleIn,
  type Actor,
  type TeamRole,
} from '@dtss/api';
import { isDatabaseUnavailable } from '@dtss/db';
// The one place that reads the session cookie: everything else asks sessionActor(), which also
// tells whether the session is still good (eslint.config.mjs keeps it so).
import { auth } from '@/auth';
import { getPool } from '../db';

export type { Actor, TeamRole };
export type UserActor = Extract<Actor, { type: 'user' }>;

/**
 * The user of this request's Auth.js session cookie, or null: no cookie, or a session that has
 * ended. The JWT outlives nothing: a deleted user's cookie stops working at once, and so does one
 * signed in before its user's session epoch moved on (signed out everywhere, changed password,
 * removed from a team). One primary-key read per call, not cached; a database that cannot be
 * reached throws SERVICE_UNAVAILABLE (the API answers 503, a page says so), it signs nobody out.
 */
export async function sessionActor(): Promise<UserActor | null> {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  try {
    return await actorFromSession(getPool(), { userId, epoch: session.sessionEpoch });
  } catch (err) {
    // 503 for the API; a page says the database is unavailable and tries again (fallbacks.tsx).
    throw isDatabaseUnavailable(err) ? databaseUnavailable(err) : err;
  }
}

/**
 * Bearer API token (`Authorization: Bearer dtss_...`, looked up by sha256 hex in api_tokens, not
 * revoked/expired, lastUsedAt updated at most once a minute) or the Auth.js session cookie
 * (sessionActor); null if neither.
 */
export async function actorFromRequest(req: Request): Promise<Actor | null> {
  const authorization = req.headers.get('authorization');
  // A request that presents a token is judged by the token alone, never by a cookie beside it.
  if (authorization) return actorFromBearer(getPool(), authorization);
  return sessionActor();
}

/** The actor's role in a team (token: only its own team), or null. */
export async function roleInTeam(actor: Actor, teamId: string): Promise<TeamRole | null> {
  return roleIn(getPool(), actor, teamId);
}
