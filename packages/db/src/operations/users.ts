/**
 * Accounts for email + password sign-in. Emails are stored lower-case, so lookups are exact.
 */
import { hashPassword, verifyPassword } from '../auth/password';
import type { Pool } from '../pool';
import { createTeam, freeTeamSlug, type TeamInfo } from './teams';

type Queryable = Pick<Pool, 'query'>;

export interface UserInfo {
  id: string;
  email: string;
  name: string | null;
}

export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
  constructor() {
    super('an account with this email already exists');
  }
}

// Verifying against a fixed hash when the email is unknown takes as long as a real check, so the
// response time does not tell which emails have accounts.
let dummyHash: Promise<string> | undefined;

/**
 * The user when the email and password match, else null; with the session epoch read in the same
 * row, so a session signed in now cannot outlive a password change that raced with it.
 */
export async function verifyUserPassword(
  db: Queryable,
  email: string,
  password: string,
): Promise<(UserInfo & { sessionEpoch: number }) | null> {
  const { rows } = await db.query<UserInfo & { passwordHash: string | null; sessionEpoch: number }>(
    `SELECT id, email, name, password_hash AS "passwordHash", session_epoch AS "sessionEpoch"
       FROM users WHERE email = lower($1)`,
    [email],
  );
  const user = rows[0];
  if (!user?.passwordHash) {
    dummyHash ??= hashPassword('dtss-timing-equaliser');
    await verifyPassword(password, await dummyHash);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  return { id: user.id, email: user.email, name: user.name, sessionEpoch: user.sessionEpoch };
}

export async function getUser(db: Queryable, userId: string): Promise<UserInfo | null> {
  const { rows } = await db.query<UserInfo>('SELECT id, email, name FROM users WHERE id = $1', [
    userId,
  ]);
  return rows[0] ?? null;
}

/**
 * Signs a person up: the user (password stored as a scrypt hash) and a personal team they own.
 * Call inside a transaction.
 */
export async function createUserWithTeam(
  db: Queryable,
  input: { email: string; password: string; name?: string | null },
): Promise<{ user: UserInfo; team: TeamInfo }> {
  const passwordHash = await hashPassword(input.password);
  let user: UserInfo;
  try {
    const { rows } = await db.query<UserInfo>(
      `INSERT INTO users (email, name, password_hash) VALUES (lower($1), $2, $3)
       RETURNING id, email, name`,
      [input.email, input.name ?? null, passwordHash],
    );
    user = rows[0]!;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new EmailTakenError();
    throw err;
  }
  const base = input.name?.trim() || user.email.split('@')[0]!;
  const team = await createTeam(db, {
    slug: await freeTeamSlug(db, base),
    name: `${base}'s team`,
    ownerUserId: user.id,
  });
  return { user, team };
}

/**
 * An external sign-in may not take over an account made with a password whose email was never
 * verified: whoever made it may not own the address (they could sign up as someone, then wait for
 * the real owner's first SSO sign-in to share the account with them).
 */
export class ExternalSignInRefusedError extends Error {
  override name = 'ExternalSignInRefusedError';
  constructor() {
    super('an account with this email exists: sign in with its password');
  }
}

/**
 * The user signing in through an OAuth/OIDC provider, by verified email: an existing account is
 * reused (unless it has a password and an unverified email: ExternalSignInRefusedError); a new one
 * gets a personal team (no password). Call inside a transaction.
 */
export async function findOrCreateExternalUser(
  db: Queryable,
  input: { email: string; name?: string | null },
): Promise<UserInfo> {
  const { rows } = await db.query<UserInfo & { unverifiedPassword: boolean }>(
    `SELECT id, email, name, (password_hash IS NOT NULL AND email_verified IS NULL)
            AS "unverifiedPassword"
       FROM users WHERE email = lower($1)`,
    [input.email],
  );
  const existing = rows[0];
  if (existing?.unverifiedPassword) throw new ExternalSignInRefusedError();
  if (existing) return { id: existing.id, email: existing.email, name: existing.name };
  const inserted = await db.query<UserInfo>(
    `INSERT INTO users (email, name, email_verified) VALUES (lower($1), $2, now())
     RETURNING id, email, name`,
    [input.email, input.name ?? null],
  );
  const user = inserted.rows[0]!;
  const base = input.name?.trim() || user.email.split('@')[0]!;
  await createTeam(db, {
    slug: await freeTeamSlug(db, base),
    name: `${base}'s team`,
    ownerUserId: user.id,
  });
  return user;
}
