/** Team access operations on a real database: owner invariant under races, rate limit counting, tokens, invitations. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptInvitation,
  API_TOKEN_PATTERN,
  authenticateApiToken,
  changeMemberRole,
  createApiToken,
  createInvitation,
  createPool,
  hashApiToken,
  hitRateLimit,
  InvitationError,
  LastOwnerError,
  pruneRateLimits,
  withTransaction,
  type Pool,
} from '../src';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;
let teamId: string;

async function user(email: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO users (email) VALUES ($1) RETURNING id',
    [email],
  );
  return rows[0]!.id;
}

beforeAll(async () => {
  db = await createTestDatabase('access');
  pool = createPool(db.url, { applicationName: 'access-test', max: 30 });
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO teams (slug, name) VALUES ('t', 'T') RETURNING id`,
  );
  teamId = rows[0]!.id;
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('members', () => {
  it('two owners demoting each other at once leave exactly one owner', async () => {
    const a = await user('a@example.test');
    const b = await user('b@example.test');
    await pool.query(
      `INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, 'owner'), ($1, $3, 'owner')`,
      [teamId, a, b],
    );
    const results = await Promise.allSettled(
      [a, b].map((id) =>
        withTransaction(pool, (client) => changeMemberRole(client, teamId, id, 'admin')),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(LastOwnerError);
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM memberships WHERE team_id = $1 AND role = 'owner'`,
      [teamId],
    );
    expect(rows[0].n).toBe(1);
  });
});

describe('rate limits', () => {
  it('counts concurrent hits exactly', async () => {
    const rule = { limit: 10, windowMs: 60_000 };
    const hits = await Promise.all(
      Array.from({ length: 25 }, () => hitRateLimit(pool, 'burst', rule)),
    );
    expect(hits.filter((h) => h.allowed)).toHaveLength(10);
    expect(Math.max(...hits.map((h) => h.retryAfterMs))).toBeLessThanOrEqual(60_000);
  });

  it('prunes ended windows only', async () => {
    await hitRateLimit(pool, 'short', { limit: 1, windowMs: 1 });
    await new Promise((r) => setTimeout(r, 10));
    expect(await pruneRateLimits(pool)).toBeGreaterThanOrEqual(1);
    const left = await pool.query(`SELECT key FROM rate_limits`);
    expect(left.rows.map((r) => r.key)).toEqual(['burst']);
  });
});

describe('API tokens', () => {
  it('stores only the sha256 of the token', async () => {
    const { token, info } = await createApiToken(pool, {
      teamId,
      name: 'ci',
      role: 'viewer',
      createdById: null,
    });
    expect(token).toMatch(API_TOKEN_PATTERN);
    const { rows } = await pool.query('SELECT token_hash, prefix FROM api_tokens WHERE id = $1', [
      info.id,
    ]);
    expect(rows[0]).toEqual({ token_hash: hashApiToken(token), prefix: token.slice(0, 12) });
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await authenticateApiToken(pool, token)).toMatchObject({ tokenId: info.id, teamId });
    expect(await authenticateApiToken(pool, `${token.slice(0, -1)}x`)).toBeNull();
    expect(await authenticateApiToken(pool, 'dtss_')).toBeNull();
  });
});

describe('invitations', () => {
  it('refuses expired invitations', async () => {
    const id = await user('late@example.test');
    const { token, invitation } = await createInvitation(pool, {
      teamId,
      email: 'late@example.test',
      role: 'viewer',
      invitedById: null,
    });
    await pool.query(`UPDATE invitations SET expires_at = now() - interval '1 s' WHERE id = $1`, [
      invitation.id,
    ]);
    await expect(
      withTransaction(pool, (c) =>
        acceptInvitation(c, { token, userId: id, email: 'late@example.test' }),
      ),
    ).rejects.toBeInstanceOf(InvitationError);
  });
});
