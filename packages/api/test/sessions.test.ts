/**
 * Browser sessions end with their user's session epoch: a session signed in before a password
 * change, a "sign out everywhere" or a removal from a team is refused from the next request on,
 * while other users' sessions and the user's API tokens go on working. (The web app's cookie path
 * over real HTTP: apps/web/test/api/sessions.test.ts.)
 */
import {
  authenticateApiToken,
  createApiToken,
  getSessionUser,
  hashPassword,
  type TeamRole,
} from '@dtss/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../src/auth/login';
import { actorFromSession, type SessionClaims } from '../src/auth/sessions';
import { callerFor, newTeam, openWorld, addMember, newUser, type World } from './fixtures';

let w: World;
let teamId: string;

beforeAll(async () => {
  w = await openWorld('sessions');
  teamId = (await newTeam(w)).id;
});

afterAll(async () => {
  await w?.close();
});

/** A member of the team with a password, and the claims of a browser session signed in now. */
async function signedIn(role: TeamRole = 'viewer', password?: string) {
  const user = await newUser(w);
  await addMember(w, teamId, user.id, role);
  if (password) {
    await w.pool.query('UPDATE users SET password_hash = $2 WHERE id = $1', [
      user.id,
      await hashPassword(password),
    ]);
  }
  const epoch = (await getSessionUser(w.pool, user.id))!.sessionEpoch;
  return { ...user, claims: { userId: user.id, epoch } satisfies SessionClaims };
}

/** The API as the session with these claims, as the web app builds it (null actor: signed out). */
async function asSession(claims: SessionClaims) {
  return callerFor(w, await actorFromSession(w.pool, claims));
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}

describe('actorFromSession', () => {
  it('is the user while the session carries their epoch; a token without one counts as epoch 0', async () => {
    const ada = await signedIn();
    expect(await actorFromSession(w.pool, ada.claims)).toEqual({
      type: 'user',
      userId: ada.id,
      email: ada.email,
      sessionEpoch: 0,
    });
    expect(await actorFromSession(w.pool, { userId: ada.id, epoch: undefined })).toMatchObject({
      userId: ada.id,
    });
    expect(await actorFromSession(w.pool, { userId: ada.id, epoch: 1 })).toBeNull();
    await w.pool.query('DELETE FROM users WHERE id = $1', [ada.id]);
    expect(await actorFromSession(w.pool, ada.claims)).toBeNull();
  });
});

describe('account.signOutEverywhere', () => {
  it("ends every session of the caller (this one too), not another user's, not their tokens", async () => {
    const ada = await signedIn('admin');
    const bob = await signedIn('admin');
    const { token } = await createApiToken(w.pool, {
      teamId,
      name: 'ci',
      role: 'viewer',
      createdById: ada.id,
    });
    // Two browsers of Ada's, signed in at the same epoch.
    const laptop = await asSession(ada.claims);
    const phone = await asSession(ada.claims);
    expect((await phone.auth.me()).type).toBe('user');

    expect(await laptop.account.signOutEverywhere()).toEqual({ signedOut: true });

    expect(await codeOf((await asSession(ada.claims)).auth.me())).toBe('UNAUTHORIZED');
    expect(await codeOf((await asSession(ada.claims)).teams.list())).toBe('UNAUTHORIZED');
    expect(await actorFromSession(w.pool, ada.claims)).toBeNull();
    // Bob's session goes on; Ada's token too (tokens have their own revoke).
    expect(await (await asSession(bob.claims)).teams.list()).toHaveLength(1);
    expect(await authenticateApiToken(w.pool, token)).toMatchObject({ teamId, userId: ada.id });
    // A new sign-in carries the new epoch and works.
    const again = { userId: ada.id, epoch: (await getSessionUser(w.pool, ada.id))!.sessionEpoch };
    expect(again.epoch).toBe(1);
    expect((await (await asSession(again)).auth.me()).type).toBe('user');
    // Each of Ada's teams records it.
    const { rows } = await w.pool.query(
      `SELECT team_id FROM audit_logs WHERE action = 'account.sign_out_everywhere'
          AND actor_user_id = $1`,
      [ada.id],
    );
    expect(rows).toEqual([{ team_id: teamId }]);
  });

  it('cannot be called with an API token (a token never signs its creator out)', async () => {
    const ada = await signedIn('admin');
    const { info } = await createApiToken(w.pool, {
      teamId,
      name: 'ci',
      role: 'admin',
      createdById: ada.id,
    });
    const api = callerFor(w, {
      type: 'token',
      tokenId: info.id,
      teamId,
      role: 'admin',
      userId: ada.id,
    });
    expect(await codeOf(api.account.signOutEverywhere())).toBe('FORBIDDEN');
    expect(await actorFromSession(w.pool, ada.claims)).not.toBeNull();
  });
});

describe('account.changePassword', () => {
  it('refuses a wrong current password by field and changes nothing', async () => {
    const ada = await signedIn('viewer', 'the first password');
    const api = await asSession(ada.claims);
    await expect(
      api.account.changePassword({
        currentPassword: 'not the password',
        newPassword: 'a second password',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'the current password is wrong' });
    expect(await actorFromSession(w.pool, ada.claims)).not.toBeNull();
    const refused = await codeOf(
      api.account.changePassword({ currentPassword: 'the first password', newPassword: 'short' }),
    );
    expect(refused).toBe('BAD_REQUEST');
    expect(
      await login(w.pool, { email: ada.email, password: 'the first password' }, null),
    ).toMatchObject({
      ok: true,
    });
  });

  it("ends every session of the user once changed, not another user's; the new password signs in", async () => {
    const ada = await signedIn('viewer', 'the first password');
    const bob = await signedIn('viewer', 'bob password 1');
    const api = await asSession(ada.claims);
    expect(
      await api.account.changePassword({
        currentPassword: 'the first password',
        newPassword: 'a second password',
      }),
    ).toEqual({ changed: true, signedOut: true });

    expect(await codeOf((await asSession(ada.claims)).auth.me())).toBe('UNAUTHORIZED');
    expect((await (await asSession(bob.claims)).auth.me()).type).toBe('user');
    expect(
      await login(w.pool, { email: ada.email, password: 'the first password' }, null),
    ).toMatchObject({ ok: false, reason: 'invalid' });
    const fresh = await login(w.pool, { email: ada.email, password: 'a second password' }, null);
    expect(fresh).toMatchObject({ ok: true, user: { id: ada.id, sessionEpoch: 1 } });
    const claims = { userId: ada.id, epoch: fresh.ok ? fresh.user.sessionEpoch : -1 };
    expect((await (await asSession(claims)).auth.me()).type).toBe('user');
  });

  it('refuses an account without a password (it signs in through its provider)', async () => {
    const sso = await signedIn('viewer');
    const api = await asSession(sso.claims);
    await expect(
      api.account.changePassword({ currentPassword: 'anything', newPassword: 'a new password' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await actorFromSession(w.pool, sso.claims)).not.toBeNull();
  });
});

describe('members.remove', () => {
  it("ends the removed member's sessions and their access to the team at once; others go on", async () => {
    const admin = await signedIn('admin');
    const carol = await signedIn('viewer');
    const dave = await signedIn('viewer');
    const elsewhere = await newTeam(w);
    await addMember(w, elsewhere.id, carol.id, 'owner');

    const carolApi = await asSession(carol.claims);
    expect(await carolApi.workflows.list({ teamId })).toMatchObject({ items: [] });

    await (await asSession(admin.claims)).members.remove({ teamId, userId: carol.id });

    // The session she had is over, whatever team it asks about.
    expect(await codeOf((await asSession(carol.claims)).workflows.list({ teamId }))).toBe(
      'UNAUTHORIZED',
    );
    expect(await codeOf((await asSession(carol.claims)).teams.list())).toBe('UNAUTHORIZED');
    // Signed in again, she keeps her other team and this one is gone.
    const again = {
      userId: carol.id,
      epoch: (await getSessionUser(w.pool, carol.id))!.sessionEpoch,
    };
    const back = await asSession(again);
    expect((await back.teams.list()).map((t) => t.id)).toEqual([elsewhere.id]);
    expect(await codeOf(back.workflows.list({ teamId }))).toBe('NOT_FOUND');
    // The admin's and the other member's sessions go on.
    expect(await (await asSession(admin.claims)).members.list({ teamId })).toBeTruthy();
    expect((await (await asSession(dave.claims)).auth.me()).type).toBe('user');
    const { rows } = await w.pool.query(
      `SELECT summary FROM audit_logs WHERE action = 'member.remove' AND target_id = $1`,
      [carol.id],
    );
    expect(rows[0].summary).toMatchObject({ signedOut: true });
  });

  it('leaving a team oneself (an admin) signs nobody out', async () => {
    const owner = await signedIn('owner');
    const leaver = await signedIn('admin');
    await (await asSession(leaver.claims)).members.remove({ teamId, userId: leaver.id });
    expect(await actorFromSession(w.pool, leaver.claims)).not.toBeNull();
    expect(await actorFromSession(w.pool, owner.claims)).not.toBeNull();
  });
});
