/**
 * Browser sessions (Auth.js JWTs) end when their user's session epoch moves on: every session
 * carries the epoch it was signed in at, and is only good while that is still the user's epoch
 * (packages/db operations/sessions.ts). The web app reads a session's claims from its cookie and
 * asks here who it stands for, on every request (tRPC context, SSE streams, pages).
 */
import { getSessionUser, type Pool } from '@dtss/db';
import type { Actor } from '../actor';

type Queryable = Pick<Pool, 'query'>;

/** What a browser session's token says: whose it is and the epoch it was signed in at. */
export interface SessionClaims {
  userId: string;
  /**
   * Tokens signed before epochs existed carry none: they count as epoch 0, every user's first,
   * so they keep working until the user's first bump.
   */
  epoch: number | undefined;
}

/**
 * The user actor of a browser session, or null when the session has ended: its user is gone, or
 * signed out everywhere, changed their password or was removed from a team since it was signed
 * in. One primary-key read, not cached: an ended session is refused from the next request on.
 */
export async function actorFromSession(
  db: Queryable,
  claims: SessionClaims,
): Promise<(Actor & { type: 'user' }) | null> {
  const user = await getSessionUser(db, claims.userId);
  if (!user || user.sessionEpoch !== (claims.epoch ?? 0)) return null;
  return { type: 'user', userId: user.id, email: user.email, sessionEpoch: user.sessionEpoch };
}
