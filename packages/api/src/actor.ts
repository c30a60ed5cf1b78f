/**
 * Who is calling: a signed-in user or an API token. The web app resolves the actor from the
 * request (apps/web/src/server/auth/actor.ts); everything here is independent of Next.js.
 */
import { authenticateApiToken, getMemberRole, type Pool, type TeamRole } from '@dtss/db';

export type { TeamRole };

export type Actor =
  | {
      type: 'user';
      userId: string;
      email: string;
      /** The epoch of the browser session it came from (auth/sessions.ts), when it came from one. */
      sessionEpoch?: number;
    }
  | { type: 'token'; tokenId: string; teamId: string; role: TeamRole; userId: string | null };

type Queryable = Pick<Pool, 'query'>;

export { roleAtLeast, TEAM_ROLES } from './roles';

/** The actor's role in a team: a token only in its own team, with its own role. */
export async function roleInTeam(
  db: Queryable,
  actor: Actor,
  teamId: string,
): Promise<TeamRole | null> {
  if (actor.type === 'token') return actor.teamId === teamId ? actor.role : null;
  return getMemberRole(db, teamId, actor.userId);
}

/** The token actor for an `Authorization: Bearer dtss_…` header value, or null. */
export async function actorFromBearer(
  db: Queryable,
  authorization: string | null | undefined,
): Promise<Actor | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  const token = await authenticateApiToken(db, match[1]!);
  return token ? { type: 'token', ...token } : null;
}
