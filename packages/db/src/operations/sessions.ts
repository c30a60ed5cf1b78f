/**
 * Browser sessions are Auth.js JWTs: nothing of them is stored, so one cannot be deleted. Each
 * carries instead the `session_epoch` its user had when it was signed in, and a session whose
 * epoch is no longer the user's is signed out. Bumping the epoch ends every browser session of
 * the user at once (password change, "sign out everywhere", removal from a team). API tokens are
 * rows of their own with their own revocation: the epoch does not touch them.
 */
import { hashPassword, verifyPassword } from '../auth/password';
import type { Pool } from '../pool';

type Queryable = Pick<Pool, 'query'>;

export interface SessionUser {
  id: string;
  email: string;
  /** The epoch a browser session must carry to be valid. */
  sessionEpoch: number;
}

/** The user a session names, with the epoch its session must carry; null when there is none. */
export async function getSessionUser(db: Queryable, userId: string): Promise<SessionUser | null> {
  const { rows } = await db.query<SessionUser>({
    name: 'dtss_session_user',
    text: 'SELECT id, email, session_epoch AS "sessionEpoch" FROM users WHERE id = $1',
    values: [userId],
  });
  return rows[0] ?? null;
}

/** Ends every browser session of the user; the new epoch, or null when there is no such user. */
export async function endUserSessions(db: Queryable, userId: string): Promise<number | null> {
  const { rows } = await db.query<{ sessionEpoch: number }>(
    `UPDATE users SET session_epoch = session_epoch + 1, updated_at = now()
      WHERE id = $1 RETURNING session_epoch AS "sessionEpoch"`,
    [userId],
  );
  return rows[0]?.sessionEpoch ?? null;
}

export type PasswordCheck = 'ok' | 'wrong' | 'no_password';

/** Whether the password is the user's (`no_password`: an account that signs in elsewhere only). */
export async function checkUserPassword(
  db: Queryable,
  userId: string,
  password: string,
): Promise<PasswordCheck> {
  const { rows } = await db.query<{ passwordHash: string | null }>(
    'SELECT password_hash AS "passwordHash" FROM users WHERE id = $1',
    [userId],
  );
  const hash = rows[0]?.passwordHash;
  if (!hash) return 'no_password';
  return (await verifyPassword(password, hash)) ? 'ok' : 'wrong';
}

/**
 * Stores a new password (scrypt hash) and ends every browser session of the user in the same
 * statement; the new epoch, or null when there is no such user.
 */
export async function setUserPassword(
  db: Queryable,
  userId: string,
  password: string,
): Promise<number | null> {
  const hash = await hashPassword(password);
  const { rows } = await db.query<{ sessionEpoch: number }>(
    `UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1, updated_at = now()
      WHERE id = $1 RETURNING session_epoch AS "sessionEpoch"`,
    [userId, hash],
  );
  return rows[0]?.sessionEpoch ?? null;
}
