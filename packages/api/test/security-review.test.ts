/**
 * Regressions of the security review: each test failed before its fix.
 */
import { authenticateApiToken, hitRateLimit } from '@dtss/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/actor';
import { LOGIN_PER_IP } from '../src/auth/limits';
import { login } from '../src/auth/login';
import {
  callerFor,
  contextFor,
  newWorker,
  openWorld,
  teamFixture,
  userActor,
  type TeamFixture,
  type World,
} from './fixtures';
import { createCaller } from '../src/root';

let w: World;
let home: TeamFixture;
let foreign: TeamFixture;

beforeAll(async () => {
  w = await openWorld('security');
  home = await teamFixture(w);
  foreign = await teamFixture(w);
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

async function auditCount(teamId: string): Promise<number> {
  const { rows } = await w.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM audit_logs WHERE team_id = $1',
    [teamId],
  );
  return rows[0]!.n;
}

describe('API tokens never act above their creator', () => {
  it('follow the creator: weaker after a demotion, dead after a removal', async () => {
    const admin = (await userActor(w, home.id, 'admin')) as Actor & { type: 'user' };
    const owner = await userActor(w, home.id, 'owner');
    const { token } = await callerFor(w, admin).tokens.create({
      teamId: home.id,
      name: 'ci',
      role: 'admin',
    });
    expect(await authenticateApiToken(w.pool, token)).toMatchObject({ role: 'admin' });

    await callerFor(w, owner).members.changeRole({
      teamId: home.id,
      userId: admin.userId,
      role: 'viewer',
    });
    expect(await authenticateApiToken(w.pool, token)).toMatchObject({ role: 'viewer' });

    await callerFor(w, owner).members.remove({ teamId: home.id, userId: admin.userId });
    expect(await authenticateApiToken(w.pool, token)).toBeNull();
  });
});

describe('workers are cluster-wide', () => {
  it('cannot be drained by the owner of just any team (everyone who signs up owns one)', async () => {
    const stranger = await userActor(w, foreign.id, 'owner');
    const workerId = await newWorker(w);
    expect(
      await codeOf(callerFor(w, stranger).workers.drain({ teamId: foreign.id, workerId })),
    ).toBe('FORBIDDEN');
    const { rows } = await w.pool.query('SELECT status FROM workers WHERE id = $1', [workerId]);
    expect(rows[0].status).toBe('active');
  });

  it('can be drained by a deployment operator who is an admin of the team', async () => {
    const operator = (await userActor(w, home.id, 'admin')) as Actor & { type: 'user' };
    const workerId = await newWorker(w);
    const api = createCaller({
      ...contextFor(w, operator),
      operators: [operator.email.toUpperCase()],
    });
    expect(await api.workers.drain({ teamId: home.id, workerId })).toEqual({
      id: workerId,
      status: 'draining',
    });
  });

  it('tells the pages who may drain: an operator who is an admin of the team, nobody else', async () => {
    const admin = (await userActor(w, home.id, 'admin')) as Actor & { type: 'user' };
    const viewer = (await userActor(w, home.id, 'viewer')) as Actor & { type: 'user' };
    const as = (actor: Actor & { type: 'user' }, operator: boolean) =>
      createCaller({
        ...contextFor(w, actor),
        operators: operator ? [actor.email] : [],
      }).workers.permissions({ teamId: home.id });
    expect(await as(admin, true)).toEqual({ canDrain: true, seesEveryWorker: true });
    expect(await as(admin, false)).toEqual({ canDrain: false, seesEveryWorker: false });
    expect(await as(viewer, true)).toEqual({ canDrain: false, seesEveryWorker: true });
  });
});

describe('backfills.cancel', () => {
  it("is NOT_FOUND for another team's backfill named under one's own team, and audits nothing", async () => {
    const owner = await userActor(w, home.id, 'owner');
    const before = await auditCount(home.id);
    expect(
      await codeOf(
        callerFor(w, owner).schedules.backfills.cancel({
          teamId: home.id,
          backfillId: foreign.backfillId,
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(await auditCount(home.id)).toBe(before);
    const { rows } = await w.pool.query('SELECT status FROM backfills WHERE id = $1', [
      foreign.backfillId,
    ]);
    expect(rows[0].status).toBe('running');
  });
});

describe('tokens made by tokens', () => {
  it('expire no later than the token that made them', async () => {
    const owner = await userActor(w, home.id, 'owner');
    const parent = await callerFor(w, owner).tokens.create({
      teamId: home.id,
      name: 'short-lived',
      role: 'admin',
      expiresInDays: 1,
    });
    const actor = await authenticateApiToken(w.pool, parent.token);
    const child = await callerFor(w, { type: 'token', ...actor! }).tokens.create({
      name: 'forever',
      role: 'admin',
    });
    expect(child.expiresAt).toEqual(parent.expiresAt);
  });
});

describe('metrics.summary', () => {
  it('refuses windows with too many buckets', async () => {
    const viewer = await userActor(w, home.id, 'viewer');
    const call = (from: string, bucket: 'minute' | 'day') =>
      codeOf(
        callerFor(w, viewer).metrics.summary({ teamId: home.id, from: new Date(from), bucket }),
      );
    expect(await call('2000-01-01T00:00:00Z', 'minute')).toBe('BAD_REQUEST');
    expect(await call('2020-01-01T00:00:00Z', 'day')).toBe('ok');
  });
});

describe('sign-in rate limits', () => {
  it('also count per client IP across emails (one address trying many accounts)', async () => {
    const ip = '198.51.100.77';
    // The address has used up its attempts on other emails.
    for (let i = 0; i < LOGIN_PER_IP.limit; i++) {
      await hitRateLimit(w.pool, `login-ip:${ip}`, LOGIN_PER_IP);
    }
    const result = await login(w.pool, { email: 'fresh@example.test', password: 'whatever' }, ip);
    expect(result).toMatchObject({ ok: false, reason: 'rate_limited' });
    // Another address is not affected.
    expect(
      await login(w.pool, { email: 'fresh@example.test', password: 'whatever' }, '198.51.100.78'),
    ).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('integer inputs', () => {
  it('beyond int4 are input errors with a path, not SQL errors', async () => {
    const viewer = await userActor(w, home.id, 'viewer');
    const api = callerFor(w, viewer);
    const err = await api.logs
      .attempt({ runId: home.failedRunId, task: 'a', attempt: 2 ** 40 })
      .catch((e: TRPCError) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe('BAD_REQUEST');
    expect(
      await codeOf(
        api.workflows.exportYaml({ teamId: home.id, workflow: home.workflowId, version: 2 ** 40 }),
      ),
    ).toBe('BAD_REQUEST');
  });
});

describe('invitations never grant more than their inviter holds', () => {
  it('shrink with a demoted inviter and die with a removed one', async () => {
    const owner = await userActor(w, home.id, 'owner');
    const admin = (await userActor(w, home.id, 'admin')) as Actor & { type: 'user' };
    const invite = async () => {
      const invitee = (await userActor(w, foreign.id, 'viewer')) as Actor & { type: 'user' };
      const { token } = await callerFor(w, admin).members.invite({
        teamId: home.id,
        email: invitee.email,
        role: 'admin',
      });
      return { invitee, token };
    };
    const early = await invite();
    const late = await invite();

    await callerFor(w, owner).members.changeRole({
      teamId: home.id,
      userId: admin.userId,
      role: 'editor',
    });
    expect(
      await callerFor(w, early.invitee).members.acceptInvitation({ token: early.token }),
    ).toMatchObject({ role: 'editor' });

    await callerFor(w, owner).members.remove({ teamId: home.id, userId: admin.userId });
    expect(
      await codeOf(callerFor(w, late.invitee).members.acceptInvitation({ token: late.token })),
    ).toBe('BAD_REQUEST');
    const { rowCount } = await w.pool.query(
      'SELECT 1 FROM memberships WHERE team_id = $1 AND user_id = $2',
      [home.id, late.invitee.userId],
    );
    expect(rowCount).toBe(0);
  });
});
