import 'server-only';
import { actorFromBearer, roleInTeam as roleIn, type Actor, type TeamRole } from '@dtss/api';
import { getUser } from '@dtss/db';
import { auth } from '@/auth';
import { getPool } from '../db';

export type { Actor, TeamRole };

/**
 * Bearer API token (`Authorization: Bearer dtss_...`, looked up by sha256 hex in api_tokens, not
 * revoked/expired, lastUsedAt updated at most once a minute) or the Auth.js session cookie; null
 * if neither.
 */
export async function actorFromRequest(req: Request): Promise<Actor | null> {
  const authorization = req.headers.get('authorization');
  // A request that presents a token is judged by the token alone, never by a cookie beside it.
  if (authorization) return actorFromBearer(getPool(), authorization);
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  // The JWT outlives nothing: a deleted user's cookie stops working at once.
  const user = await getUser(getPool(), userId);
  return user ? { type: 'user', userId: user.id, email: user.email } : null;
}

/** The actor's role in a team (token: only its own team), or null. */
export async function roleInTeam(actor: Actor, teamId: string): Promise<TeamRole | null> {
  return roleIn(getPool(), actor, teamId);
}
