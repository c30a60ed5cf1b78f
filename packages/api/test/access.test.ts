/** Tokens, members and invitations, secrets, audit, sign-in and sign-up. */
import { authenticateApiToken, hitRateLimit } from '@dtss/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, signUp } from '../src/auth/login';
import { LOGIN_PER_EMAIL_IP } from '../src/auth/limits';
import type { Actor } from '../src/actor';
import {
  addMember,
  callerFor,
  newTeam,
  newUser,
  openWorld,
  TEST_IP,
  userActor,
  type World,
} from './fixtures';

let w: World;
let teamId: string;
let owner: Actor & { type: 'user' };
let admin: Actor & { type: 'user' };

beforeAll(async () => {
  w = await openWorld('access');
  teamId = (await newTeam(w)).id;
  owner = (await userActor(w, teamId, 'owner')) as typeof owner;
  admin = (await userActor(w, teamId, 'admin')) as typeof admin;
});

afterAll(async () => {
  await w?.close();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}

describe('API tokens', () => {
  it('shows the plaintext once, authenticates it, and stops after revoke', async () => {
    const api = callerFor(w, admin);
    const created = await api.tokens.create({ teamId, name: 'ci', role: 'editor' });
    expect(created.token).toMatch(/^dtss_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 12));
    const listed = await api.tokens.list({ teamId });
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(JSON.stringify(listed)).not.toMatch(/tokenHash|token_hash/);

    const actor = await authenticateApiToken(w.pool, created.token);
    expect(actor).toMatchObject({ teamId, role: 'editor', userId: admin.userId });
    // lastUsedAt is written at most once a minute.
    const used = async () =>
      (await w.pool.query('SELECT last_used_at FROM api_tokens WHERE id = $1', [created.id]))
        .rows[0].last_used_at as Date;
    const first = await used();
    await authenticateApiToken(w.pool, created.token);
    expect(await used()).toEqual(first);

    await api.tokens.revoke({ teamId, tokenId: created.id });
    expect(await authenticateApiToken(w.pool, created.token)).toBeNull();
    expect(await codeOf(api.tokens.revoke({ teamId, tokenId: created.id }))).toBe('NOT_FOUND');
  });

  it('refuses expired tokens and tokens stronger than their creator', async () => {
    const api = callerFor(w, admin);
    expect(await codeOf(api.tokens.create({ teamId, name: 'x', role: 'owner' }))).toBe('FORBIDDEN');
    const t = await api.tokens.create({ teamId, name: 'short', role: 'viewer', expiresInDays: 1 });
    await w.pool.query(
      `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [t.id],
    );
    expect(await authenticateApiToken(w.pool, t.token)).toBeNull();
  });
});

describe('members and invitations', () => {
  it('keeps at least one owner, and only owners touch owners', async () => {
    const api = callerFor(w, owner);
    expect(
      await codeOf(api.members.changeRole({ teamId, userId: owner.userId, role: 'admin' })),
    ).toBe('CONFLICT');
    expect(await codeOf(api.members.remove({ teamId, userId: owner.userId }))).toBe('CONFLICT');
    const adminApi = callerFor(w, admin);
    expect(await codeOf(adminApi.members.remove({ teamId, userId: owner.userId }))).toBe(
      'FORBIDDEN',
    );
    const u = await newUser(w);
    await addMember(w, teamId, u.id, 'viewer');
    expect(await codeOf(adminApi.members.changeRole({ teamId, userId: u.id, role: 'owner' }))).toBe(
      'FORBIDDEN',
    );
    expect(
      await codeOf(adminApi.members.invite({ teamId, email: 'x@example.test', role: 'owner' })),
    ).toBe('FORBIDDEN');
    // A second owner makes the first one free to step down.
    await api.members.changeRole({ teamId, userId: u.id, role: 'owner' });
    await api.members.changeRole({ teamId, userId: owner.userId, role: 'admin' });
    await callerFor(w, { type: 'user', userId: u.id, email: u.email }).members.changeRole({
      teamId,
      userId: owner.userId,
      role: 'owner',
    });
  });

  it('invites by email; only that email can accept, once', async () => {
    const { token } = await callerFor(w, admin).members.invite({
      teamId,
      email: 'New.Person@Example.test',
      role: 'editor',
    });
    const invitee = await newUser(w, 'new.person@example.test');
    const stranger = await newUser(w);
    const strangerApi = callerFor(w, { type: 'user', userId: stranger.id, email: stranger.email });
    expect(await codeOf(strangerApi.members.acceptInvitation({ token }))).toBe('BAD_REQUEST');
    const api = callerFor(w, { type: 'user', userId: invitee.id, email: invitee.email });
    expect(await api.members.acceptInvitation({ token })).toEqual({ teamId, role: 'editor' });
    expect(await codeOf(api.members.acceptInvitation({ token }))).toBe('BAD_REQUEST');
    const { members } = await callerFor(w, admin).members.list({ teamId });
    expect(members.find((m) => m.userId === invitee.id)?.role).toBe('editor');
  });
});

describe('secrets and audit', () => {
  it('never returns or audits secret values', async () => {
    const api = callerFor(w, admin);
    await api.secrets.create({ teamId, name: 'API_KEY', value: 'hunter2-very-secret' });
    expect(await codeOf(api.secrets.create({ teamId, name: 'API_KEY', value: 'again' }))).toBe(
      'CONFLICT',
    );
    await api.secrets.update({ teamId, name: 'API_KEY', value: 'hunter3-very-secret' });
    expect(await codeOf(api.secrets.update({ teamId, name: 'NOPE', value: 'x' }))).toBe(
      'NOT_FOUND',
    );
    const list = await api.secrets.list({ teamId });
    expect(list.map((s) => s.name)).toContain('API_KEY');
    const audit = await api.audit.list({ teamId, action: 'secret' });
    expect(audit.items.map((a) => a.action)).toEqual(['secret.update', 'secret.create']);
    expect(audit.items[0]).toMatchObject({
      actorUserId: admin.userId,
      actorEmail: admin.email,
      ip: TEST_IP,
    });
    const everything = JSON.stringify([
      list,
      (await w.pool.query('SELECT * FROM audit_logs')).rows,
    ]);
    expect(everything).not.toContain('hunter');
  });

  it('pages the audit trail newest first', async () => {
    const api = callerFor(w, admin);
    const seen: string[] = [];
    let cursor: { createdAt: Date; id: string } | null = null;
    do {
      const page: Awaited<ReturnType<typeof api.audit.list>> = await api.audit.list({
        teamId,
        limit: 3,
        cursor,
      });
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    const { rows } = await w.pool.query(
      'SELECT id FROM audit_logs WHERE team_id = $1 ORDER BY created_at DESC, id DESC',
      [teamId],
    );
    expect(seen).toEqual(rows.map((r) => r.id));
    expect(seen.length).toBeGreaterThan(5);
  });
});

describe('sign-in and sign-up', () => {
  it('signs up with a personal team, then signs in; wrong passwords are rate limited', async () => {
    const created = await signUp(
      w.pool,
      { email: 'Ada@Example.test', password: 'correct horse battery' },
      '198.51.100.1',
    );
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const teams = await callerFor(w, {
      type: 'user',
      userId: created.user.id,
      email: created.user.email,
    }).teams.list();
    expect(teams).toEqual([expect.objectContaining({ id: created.teamId, role: 'owner' })]);
    expect(
      await signUp(w.pool, { email: 'ada@example.test', password: 'another password' }, null),
    ).toMatchObject({
      ok: false,
      reason: 'email_taken',
    });
    expect(await signUp(w.pool, { email: 'not-an-email', password: 'short' }, null)).toMatchObject({
      ok: false,
      reason: 'invalid',
      issues: expect.arrayContaining([expect.objectContaining({ path: 'email' })]),
    });

    const ip = '198.51.100.2';
    expect(
      await login(w.pool, { email: 'ADA@example.test', password: 'correct horse battery' }, ip),
    ).toMatchObject({
      ok: true,
    });
    for (let i = 0; i < LOGIN_PER_EMAIL_IP.limit; i++) {
      expect(
        await login(w.pool, { email: 'ada@example.test', password: 'wrong' }, ip),
      ).toMatchObject({
        ok: false,
        reason: 'invalid',
      });
    }
    // Even the right password is refused until the window ends; another address still works.
    expect(
      await login(w.pool, { email: 'ada@example.test', password: 'correct horse battery' }, ip),
    ).toMatchObject({
      ok: false,
      reason: 'rate_limited',
    });
    expect(
      await login(
        w.pool,
        { email: 'ada@example.test', password: 'correct horse battery' },
        '198.51.100.3',
      ),
    ).toMatchObject({ ok: true });
  });

  it('rate limit windows start over once they end', async () => {
    const rule = { limit: 2, windowMs: 200 };
    expect((await hitRateLimit(w.pool, 'k', rule)).allowed).toBe(true);
    expect((await hitRateLimit(w.pool, 'k', rule)).allowed).toBe(true);
    const third = await hitRateLimit(w.pool, 'k', rule);
    expect(third.allowed).toBe(false);
    expect(third.retryAfterMs).toBeLessThanOrEqual(200);
    await new Promise((r) => setTimeout(r, 250));
    expect((await hitRateLimit(w.pool, 'k', rule)).allowed).toBe(true);
  });

  it('joins an invited team at sign-up', async () => {
    const { token } = await callerFor(w, admin).members.invite({
      teamId,
      email: 'grace@example.test',
    });
    const res = await signUp(
      w.pool,
      { email: 'grace@example.test', password: 'long enough pw', invite: token },
      null,
    );
    expect(res).toMatchObject({ ok: true, joinedTeamId: teamId });
    const joined = await w.pool.query(
      `SELECT actor_user_id FROM audit_logs WHERE team_id = $1 AND action = 'member.join'`,
      [teamId],
    );
    expect(joined.rows.map((r) => r.actor_user_id)).toContain(res.ok ? res.user.id : null);
  });
});
