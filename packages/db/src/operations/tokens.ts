/**
 * API tokens: `dtss_` + 43 base64url characters (32 random bytes). Only the sha256 (hex) of the
 * whole token is stored; the plaintext is returned once, by createApiToken.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from '../pool';

type Queryable = Pick<Pool, 'query'>;

export type TeamRole = 'owner' | 'admin' | 'editor' | 'viewer';

export const API_TOKEN_PREFIX = 'dtss_';
export const API_TOKEN_PATTERN = /^dtss_[A-Za-z0-9_-]{43}$/;
/** Characters of the token kept in clear (`prefix` column) so people can tell tokens apart. */
export const API_TOKEN_SHOWN_CHARS = 12;

export function generateApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface ApiTokenInfo {
  id: string;
  teamId: string;
  name: string;
  prefix: string;
  role: TeamRole;
  createdById: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const TOKEN_COLUMNS = `id, team_id AS "teamId", name, prefix, role, created_by_id AS "createdById",
  created_at AS "createdAt", expires_at AS "expiresAt", last_used_at AS "lastUsedAt",
  revoked_at AS "revokedAt"`;

export interface CreateApiTokenInput {
  teamId: string;
  name: string;
  role: TeamRole;
  createdById: string | null;
  expiresAt?: Date | null;
}

/** Stores a new token and returns it with its plaintext, which is never available again. */
export async function createApiToken(
  db: Queryable,
  input: CreateApiTokenInput,
): Promise<{ token: string; info: ApiTokenInfo }> {
  const token = generateApiToken();
  const { rows } = await db.query<ApiTokenInfo>(
    `INSERT INTO api_tokens (team_id, name, token_hash, prefix, role, created_by_id, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${TOKEN_COLUMNS}`,
    [
      input.teamId,
      input.name,
      hashApiToken(token),
      token.slice(0, API_TOKEN_SHOWN_CHARS),
      input.role,
      input.createdById,
      input.expiresAt ?? null,
    ],
  );
  return { token, info: rows[0]! };
}

export interface AuthenticatedToken {
  tokenId: string;
  teamId: string;
  role: TeamRole;
  /** The user who created it (null once that user is deleted). */
  userId: string | null;
}

/**
 * The token's identity when it is valid (known, not revoked, not expired), else null.
 * A token never acts above its creator: its role is the weaker of its own and the creator's
 * current role in the team, and it stops working when the creator leaves the team. (Tokens
 * without a creator, made by scripts and fixtures, keep their own role.)
 * `last_used_at` is written at most once a minute, so a busy token does not become a hot row.
 */
export async function authenticateApiToken(
  db: Queryable,
  token: string,
): Promise<AuthenticatedToken | null> {
  if (!API_TOKEN_PATTERN.test(token)) return null;
  // Roles are ordered owner < admin < editor < viewer in the enum, so GREATEST is the weaker.
  const { rows } = await db.query<AuthenticatedToken>(
    `WITH found AS (
       SELECT t.id, t.team_id, t.created_by_id,
              CASE WHEN t.created_by_id IS NULL THEN t.role ELSE GREATEST(t.role, m.role) END AS role
         FROM api_tokens t
         LEFT JOIN memberships m ON m.team_id = t.team_id AND m.user_id = t.created_by_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL
          AND (t.expires_at IS NULL OR t.expires_at > now())
          AND (t.created_by_id IS NULL OR m.role IS NOT NULL)),
     touched AS (
       UPDATE api_tokens SET last_used_at = now()
        WHERE id IN (SELECT id FROM found)
          AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))
     SELECT id AS "tokenId", team_id AS "teamId", role, created_by_id AS "userId" FROM found`,
    [hashApiToken(token)],
  );
  return rows[0] ?? null;
}

/** A team's tokens (revoked ones too, for the record), newest first. */
export async function listApiTokens(db: Queryable, teamId: string): Promise<ApiTokenInfo[]> {
  const { rows } = await db.query<ApiTokenInfo>(
    `SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE team_id = $1 ORDER BY created_at DESC, id`,
    [teamId],
  );
  return rows;
}

/** Revokes a live token of the team; false when there is none (unknown, foreign or revoked). */
export async function revokeApiToken(
  db: Queryable,
  teamId: string,
  tokenId: string,
): Promise<ApiTokenInfo | null> {
  const { rows } = await db.query<ApiTokenInfo>(
    `UPDATE api_tokens SET revoked_at = now()
      WHERE id = $1 AND team_id = $2 AND revoked_at IS NULL RETURNING ${TOKEN_COLUMNS}`,
    [tokenId, teamId],
  );
  return rows[0] ?? null;
}
