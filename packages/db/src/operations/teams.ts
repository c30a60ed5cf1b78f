/**
 * Teams: the unit of ownership. A team is created with its first owner in one transaction, so a
 * team never exists without an owner.
 */
import { randomBytes } from 'node:crypto';
import type { Pool } from '../pool';
import type { TeamRole } from './tokens';

type Queryable = Pick<Pool, 'query'>;

export const TEAM_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

export interface TeamInfo {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
}

export interface TeamWithRole extends TeamInfo {
  role: TeamRole;
}

export class TeamSlugTakenError extends Error {
  override name = 'TeamSlugTakenError';
  constructor(readonly slug: string) {
    super(`the team slug "${slug}" is taken`);
  }
}

/** Creates a team and makes `ownerUserId` its owner. Call inside a transaction. */
export async function createTeam(
  db: Queryable,
  input: { slug: string; name: string; ownerUserId: string },
): Promise<TeamInfo> {
  try {
    const { rows } = await db.query<TeamInfo>(
      `INSERT INTO teams (slug, name) VALUES ($1, $2)
       RETURNING id, slug, name, created_at AS "createdAt"`,
      [input.slug, input.name],
    );
    const team = rows[0]!;
    await db.query(`INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, 'owner')`, [
      team.id,
      input.ownerUserId,
    ]);
    return team;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new TeamSlugTakenError(input.slug);
    throw err;
  }
}

/** A slug derived from a name or email that is free right now (a random suffix when taken). */
export async function freeTeamSlug(db: Queryable, base: string): Promise<string> {
  const clean =
    base
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'team';
  const { rowCount } = await db.query('SELECT 1 FROM teams WHERE slug = $1', [clean]);
  return rowCount ? `${clean}-${randomBytes(3).toString('hex')}` : clean;
}

export async function listTeamsOfUser(db: Queryable, userId: string): Promise<TeamWithRole[]> {
  const { rows } = await db.query<TeamWithRole>(
    `SELECT t.id, t.slug, t.name, t.created_at AS "createdAt", m.role
       FROM memberships m JOIN teams t ON t.id = m.team_id
      WHERE m.user_id = $1 ORDER BY t.name, t.id`,
    [userId],
  );
  return rows;
}

export async function getTeam(db: Queryable, teamId: string): Promise<TeamInfo | null> {
  const { rows } = await db.query<TeamInfo>(
    `SELECT id, slug, name, created_at AS "createdAt" FROM teams WHERE id = $1`,
    [teamId],
  );
  return rows[0] ?? null;
}

export async function findTeamBySlug(db: Queryable, slug: string): Promise<TeamInfo | null> {
  const { rows } = await db.query<TeamInfo>(
    `SELECT id, slug, name, created_at AS "createdAt" FROM teams WHERE slug = $1`,
    [slug],
  );
  return rows[0] ?? null;
}

/** Renames a team (its slug, in every URL, stays); the team as it was before, or null if none. */
export async function renameTeam(
  db: Queryable,
  teamId: string,
  name: string,
): Promise<{ before: TeamInfo; after: TeamInfo } | null> {
  const { rows } = await db.query<TeamInfo & { previousName: string }>(
    `UPDATE teams t SET name = $2
       FROM (SELECT id, name FROM teams WHERE id = $1 FOR UPDATE) old
      WHERE t.id = old.id
      RETURNING t.id, t.slug, t.name, t.created_at AS "createdAt", old.name AS "previousName"`,
    [teamId, name],
  );
  const row = rows[0];
  if (!row) return null;
  const { previousName, ...after } = row;
  return { before: { ...after, name: previousName }, after };
}

/** Deletes a team and (by cascade) everything it owns. */
export async function deleteTeam(db: Queryable, teamId: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM teams WHERE id = $1', [teamId]);
  return rowCount === 1;
}
