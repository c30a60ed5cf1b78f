/**
 * Invitations to join a team. The link carries a random token; only its sha256 is stored. An
 * invitation is accepted once, before it expires, by a signed-in user with the invited email.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from '../pool';
import { addMember } from './members';
import type { TeamRole } from './tokens';

type Queryable = Pick<Pool, 'query'>;

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export interface InvitationInfo {
  id: string;
  teamId: string;
  email: string;
  role: TeamRole;
  expiresAt: Date;
  createdAt: Date;
  invitedById: string | null;
}

const COLUMNS = `id, team_id AS "teamId", email, role, expires_at AS "expiresAt",
  created_at AS "createdAt", invited_by_id AS "invitedById"`;

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates an invitation; the token (for the link) is returned once and never stored. */
export async function createInvitation(
  db: Queryable,
  input: { teamId: string; email: string; role: TeamRole; invitedById: string | null },
): Promise<{ token: string; invitation: InvitationInfo }> {
  const token = `inv_${randomBytes(32).toString('base64url')}`;
  const { rows } = await db.query<InvitationInfo>(
    `INSERT INTO invitations (team_id, email, role, token_hash, expires_at, invited_by_id)
     VALUES ($1, lower($2), $3, $4, now() + $5::bigint * interval '1 millisecond', $6)
     RETURNING ${COLUMNS}`,
    [
      input.teamId,
      input.email,
      input.role,
      hashInvitationToken(token),
      INVITATION_TTL_MS,
      input.invitedById,
    ],
  );
  return { token, invitation: rows[0]! };
}

/** Pending (not accepted, revoked or expired) invitations of a team. */
export async function listPendingInvitations(
  db: Queryable,
  teamId: string,
): Promise<InvitationInfo[]> {
  const { rows } = await db.query<InvitationInfo>(
    `SELECT ${COLUMNS} FROM invitations
      WHERE team_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
      ORDER BY created_at DESC`,
    [teamId],
  );
  return rows;
}

export async function revokeInvitation(
  db: Queryable,
  teamId: string,
  invitationId: string,
): Promise<InvitationInfo | null> {
  const { rows } = await db.query<InvitationInfo>(
    `UPDATE invitations SET revoked_at = now()
      WHERE id = $1 AND team_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL
      RETURNING ${COLUMNS}`,
    [invitationId, teamId],
  );
  return rows[0] ?? null;
}

export class InvitationError extends Error {
  override name = 'InvitationError';
  constructor(
    readonly code: 'invalid' | 'wrong_email',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Accepts an invitation for a signed-in user: marks it accepted and adds the membership. Call
 * inside a transaction. Unknown, used, revoked and expired tokens are all "invalid" (one message,
 * so a caller cannot probe which).
 */
export async function acceptInvitation(
  db: Queryable,
  input: { token: string; userId: string; email: string },
): Promise<InvitationInfo> {
  // An invitation grants no more than its inviter holds now (an admin removed from the team cannot
  // come back through invitations they sent to other addresses of theirs): its role is the weaker
  // of the two (GREATEST: roles are ordered owner < ... < viewer), and it is invalid once the
  // inviter has left. Invitations without an inviter (scripts) keep their role.
  const { rows } = await db.query<InvitationInfo>(
    `SELECT i.id, i.team_id AS "teamId", i.email,
            CASE WHEN i.invited_by_id IS NULL THEN i.role ELSE GREATEST(i.role, m.role) END AS role,
            i.expires_at AS "expiresAt", i.created_at AS "createdAt",
            i.invited_by_id AS "invitedById"
       FROM invitations i
       LEFT JOIN memberships m ON m.team_id = i.team_id AND m.user_id = i.invited_by_id
      WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL
        AND i.expires_at > now() AND (i.invited_by_id IS NULL OR m.role IS NOT NULL)
        FOR UPDATE OF i`,
    [hashInvitationToken(input.token)],
  );
  const invitation = rows[0];
  if (!invitation) {
    throw new InvitationError('invalid', 'this invitation is invalid, used or expired');
  }
  if (invitation.email !== input.email.toLowerCase()) {
    throw new InvitationError('wrong_email', 'this invitation was sent to another email address');
  }
  await db.query('UPDATE invitations SET accepted_at = now(), accepted_by_id = $2 WHERE id = $1', [
    invitation.id,
    input.userId,
  ]);
  await addMember(db, invitation.teamId, input.userId, invitation.role);
  return invitation;
}
