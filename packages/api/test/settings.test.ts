/** What the team settings page adds to the API: renaming a team, filtering the audit trail. */
import { createApiToken } from '@dtss/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/actor';
import { callerFor, newTeam, openWorld, userActor, type World } from './fixtures';

let w: World;
let teamId: string;
let admin: Actor & { type: 'user' };
let editor: Actor & { type: 'user' };

beforeAll(async () => {
  w = await openWorld('settings');
  teamId = (await newTeam(w)).id;
  admin = (await userActor(w, teamId, 'admin')) as typeof admin;
  editor = (await userActor(w, teamId, 'editor')) as typeof editor;
});

afterAll(async () => {
  await w?.close();
});

async function failureOf(p: Promise<unknown>): Promise<{ code: string; issues: unknown }> {
  try {
    await p;
    return { code: 'ok', issues: null };
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    return { code: err.code, issues: (err.cause as { issues?: unknown } | undefined)?.issues };
  }
}

describe('teams.rename', () => {
  it('renames the team (slug unchanged), audited with both names', async () => {
    const api = callerFor(w, admin);
    const before = await api.teams.get({ teamId });
    const renamed = await api.teams.rename({ teamId, name: '  Data platform  ' });
    expect(renamed).toMatchObject({ id: teamId, slug: before.slug, name: 'Data platform' });
    expect((await api.teams.get({ teamId })).name).toBe('Data platform');
    const audit = await api.audit.list({ teamId, action: 'team.rename' });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      actorUserId: admin.userId,
      targetType: 'team',
      targetId: teamId,
      summary: { from: before.name, to: 'Data platform' },
    });
  });

  it('records nothing when the name does not change', async () => {
    const api = callerFor(w, admin);
    await api.teams.rename({ teamId, name: 'Data platform' });
    expect((await api.audit.list({ teamId, action: 'team.rename' })).items).toHaveLength(1);
  });

  it('refuses an empty or too long name, and anyone below admin', async () => {
    const api = callerFor(w, admin);
    expect((await failureOf(api.teams.rename({ teamId, name: '   ' }))).code).toBe('BAD_REQUEST');
    expect((await failureOf(api.teams.rename({ teamId, name: 'x'.repeat(101) }))).code).toBe(
      'BAD_REQUEST',
    );
    expect(
      (await failureOf(callerFor(w, editor).teams.rename({ teamId, name: 'Mine' }))).code,
    ).toBe('FORBIDDEN');
    expect((await callerFor(w, admin).teams.get({ teamId })).name).toBe('Data platform');
  });
});

describe('teams.retention', () => {
  it('starts at 30 days of logs and 90 of runs; an admin changes it, audited', async () => {
    const api = callerFor(w, admin);
    expect(await callerFor(w, editor).teams.retention({ teamId })).toEqual({
      logRetentionDays: 30,
      runRetentionDays: 90,
    });
    expect(
      await api.teams.setRetention({ teamId, logRetentionDays: 14, runRetentionDays: null }),
    ).toEqual({ logRetentionDays: 14, runRetentionDays: null });
    expect(await api.teams.retention({ teamId })).toEqual({
      logRetentionDays: 14,
      runRetentionDays: null,
    });
    const audit = await api.audit.list({ teamId, action: 'team.retention' });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]!.summary).toEqual({
      from: { logRetentionDays: 30, runRetentionDays: 90 },
      to: { logRetentionDays: 14, runRetentionDays: null },
    });
  });

  it('refuses logs kept longer than their runs, odd numbers of days, and non-admins', async () => {
    const api = callerFor(w, admin);
    const refused = await failureOf(
      api.teams.setRetention({ teamId, logRetentionDays: 120, runRetentionDays: 90 }),
    );
    expect(refused.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(refused.issues)).toContain('logs go with their runs');
    for (const days of [0, -1, 1.5, 100_000]) {
      expect(
        (
          await failureOf(
            api.teams.setRetention({ teamId, logRetentionDays: days, runRetentionDays: null }),
          )
        ).code,
      ).toBe('BAD_REQUEST');
    }
    expect(
      (
        await failureOf(
          callerFor(w, editor).teams.setRetention({
            teamId,
            logRetentionDays: 1,
            runRetentionDays: 1,
          }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    // Nothing refused was stored.
    expect(await api.teams.retention({ teamId })).toEqual({
      logRetentionDays: 14,
      runRetentionDays: null,
    });
  });
});

describe('audit.list filters', () => {
  it('filters by actor (part of an email or a token name), action and time', async () => {
    const api = callerFor(w, admin);
    const other = await newTeam(w);
    // Entries at known times: two by the admin, one by the editor, one by a token; one elsewhere.
    const { info: token } = await createApiToken(w.pool, {
      teamId,
      name: 'nightly_ci%',
      role: 'editor',
      createdById: admin.userId,
    });
    const insert = (
      team: string,
      actor: { user?: string; token?: string },
      action: string,
      at: string,
    ) =>
      w.pool.query(
        `INSERT INTO audit_logs (team_id, actor_user_id, actor_token_id, action, created_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [team, actor.user ?? null, actor.token ?? null, action, at],
      );
    await insert(teamId, { user: admin.userId }, 'secret.create', '2020-01-01T10:00:00Z');
    await insert(teamId, { user: admin.userId }, 'workflow.apply', '2020-01-02T10:00:00Z');
    await insert(teamId, { user: editor.userId }, 'workflow.apply', '2020-01-03T10:00:00Z');
    await insert(teamId, { token: token.id }, 'run.create', '2020-01-04T10:00:00Z');
    await insert(other.id, { user: admin.userId }, 'workflow.apply', '2020-01-02T11:00:00Z');

    const actions = async (filters: Record<string, unknown>) =>
      (
        await api.audit.list({
          teamId,
          from: new Date('2020-01-01T00:00:00Z'),
          to: new Date('2020-01-31T00:00:00Z'),
          ...filters,
        })
      ).items.map((a) => `${a.action}@${a.createdAt.toISOString().slice(0, 10)}`);

    expect(await actions({})).toEqual([
      'run.create@2020-01-04',
      'workflow.apply@2020-01-03',
      'workflow.apply@2020-01-02',
      'secret.create@2020-01-01',
    ]);
    // Part of the email, in any case.
    expect(await actions({ actor: admin.email.slice(0, 6).toUpperCase() })).toEqual([
      'workflow.apply@2020-01-02',
      'secret.create@2020-01-01',
    ]);
    // A token's name; LIKE's wildcards are taken literally.
    expect(await actions({ actor: 'ci%' })).toEqual(['run.create@2020-01-04']);
    expect(await actions({ actor: '%' })).toEqual(['run.create@2020-01-04']);
    expect(await actions({ actor: '_' })).toEqual(['run.create@2020-01-04']);
    expect(await actions({ action: 'workflow', actor: editor.email })).toEqual([
      'workflow.apply@2020-01-03',
    ]);
    // Both ends of the range are included.
    expect(
      await actions({
        from: new Date('2020-01-02T10:00:00Z'),
        to: new Date('2020-01-03T10:00:00Z'),
      }),
    ).toEqual(['workflow.apply@2020-01-03', 'workflow.apply@2020-01-02']);
    // Pages keep the filters.
    const first = await api.audit.list({
      teamId,
      action: 'workflow',
      limit: 1,
      to: new Date('2020-02-01'),
    });
    expect(first.items).toHaveLength(1);
    const second = await api.audit.list({
      teamId,
      action: 'workflow',
      limit: 1,
      to: new Date('2020-02-01'),
      cursor: first.nextCursor,
    });
    expect(second.items.map((a) => a.createdAt.toISOString().slice(0, 10))).toEqual(['2020-01-02']);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a range that ends before it starts, on the `to` field', async () => {
    const api = callerFor(w, admin);
    const failure = await failureOf(
      api.audit.list({ teamId, from: new Date('2020-02-01'), to: new Date('2020-01-01') }),
    );
    expect(failure.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(failure.issues)).toContain('to');
  });
});

describe('AUDIT_ACTIONS', () => {
  it('lists every action a procedure records (the audit log offers them as filters)', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { AUDIT_ACTIONS } = await import('../src/schemas/forms');
    const dir = join(import.meta.dirname, '../src/router');
    const recorded = new Set<string>();
    for (const file of await readdir(dir)) {
      const text = await readFile(join(dir, file), 'utf8');
      for (const m of text.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) recorded.add(m[1]!);
    }
    const listed = new Set<string>(Object.values(AUDIT_ACTIONS).flat());
    expect([...recorded].filter((a) => !listed.has(a)).sort()).toEqual([]);
    for (const [area, actions] of Object.entries(AUDIT_ACTIONS)) {
      for (const a of actions) expect(a.startsWith(`${area}.`)).toBe(true);
    }
  });
});
