/**
 * Team members and their roles. Every change keeps at least one owner: the team's membership rows
 * are locked first, so two concurrent demotions cannot both pass the "another owner" check.
 */
import type { Pool } from '../pool';
import type { TeamRole } from './tokens';

type Queryable = Pick<Pool, 'query'>;

export interface MemberInfo {
  userId: string;
  email: string;
  name: string | null;
  role: TeamRole;
  joinedAt: Date;
}

export class LastOwnerError extends Error {
  override name = 'LastOwnerError';
  constructor() {
    super('a team needs at least one owner: make someone else owner first');
  }
}

export async function getMemberRole(
  db: Queryable,
  teamId: string,
  userId: string,
): Promise<TeamRole | null> {
  const { rows } = await db.query<{ role: TeamRole }>(
    'SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2',
    [teamId, userId],
  );
  return rows[0]?.role ?? null;
}

export async function listMembers(db: Queryable, teamId: string): Promise<MemberInfo[]> {
  const { rows } = await db.query<MemberInfo>(
    `SELECT u.id AS "userId", u.email, u.name, m.role, m.created_at AS "joinedAt"
       FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.team_id = $1 ORDER BY u.email`,
    [teamId],
  );
  return rows;
}

/** Adds or updates a membership (used when an invitation is accepted). */
export async function addMember(
  db: Queryable,
  teamId: string,
  userId: string,
  role: TeamRole,
): Promise<void> {
  // An existing member keeps the stronger of the two roles.
  await db.query(
    `INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (team_id, user_id) DO UPDATE
        SET role = LEAST(memberships.role, EXCLUDED.role), updated_at = now()`,
    [teamId, userId, role],
  );
}

/**
 * Sets a member's role; returns the previous role, or null when the user is not a member.
 * Call inside a transaction (the lock lasts until it ends).
 */
export async function changeMemberRole(
  db: Queryable,
  teamId: string,
  userId: string,
  role: TeamRole,
): Promise<TeamRole | null> {
  const roles = await lockRoles(db, teamId);
  const previous = roles.get(userId);
  if (!previous) return null;
  if (previous === 'owner' && role !== 'owner' && ownerCount(roles) <= 1) {
    throw new LastOwnerError();
  }
  await db.query(
    'UPDATE memberships SET role = $3, updated_at = now() WHERE team_id = $1 AND user_id = $2',
    [teamId, userId, role],
  );
  return previous;
}

/** Removes a member; returns their role, or null when they were not a member. In a transaction. */
export async function removeMember(
  db: Queryable,
  teamId: string,
  userId: string,
): Promise<TeamRole | null> {
  const roles = await lockRoles(db, teamId);
  const previous = roles.get(userId);
  if (!previous) return null;
  if (previous === 'owner' && ownerCount(roles) <= 1) throw new LastOwnerError();
  await db.query('DELETE FROM memberships WHERE team_id = $1 AND user_id = $2', [teamId, userId]);
  return previous;
}

async function lockRoles(db: Queryable, teamId: string): Promise<Map<string, TeamRole>> {
  const { rows } = await db.query<{ user_id: string; role: TeamRole }>(
    'SELECT user_id, role FROM memberships WHERE team_id = $1 FOR UPDATE',
    [teamId],
  );
  return new Map(rows.map((r) => [r.user_id, r.role]));
}

function ownerCount(roles: Map<string, TeamRole>): number {
  return [...roles.values()].filter((r) => r === 'owner').length;
}
