/**
 * The authorization matrix: EVERY procedure of the appRouter × every actor (a member of each role,
 * an API token of each role, anonymous) × an object of the actor's own team and one of a foreign
 * team, through `createCaller` on a real database. A procedure without an entry fails the test.
 *
 * Each allowed mutation must also leave a new audit record (§6): checked on the same calls.
 */
import {
  createAlertChannel,
  createAlertRule,
  createInvitation,
  createApiToken,
  hashPassword,
  type TeamRole,
} from '@dtss/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleAtLeast, TEAM_ROLES, type Actor } from '../src/actor';
import { appRouter } from '../src/root';
import {
  addMember,
  applyWorkflow,
  callerFor,
  failedRun,
  newTeam,
  newUser,
  newBackfill,
  newSchedule,
  newWebhook,
  newWorker,
  openWorld,
  queuedRun,
  teamFixture,
  tokenActor,
  userActor,
  workflowYaml,
  type TeamFixture,
  type World,
  SECRETS_KEY,
} from './fixtures';

type Access =
  /** Anyone, signed in or not (none today). */
  | { kind: 'public' }
  | { kind: 'team'; min: TeamRole }
  /** Any signed-in user or token; no team object involved. */
  | { kind: 'authed' }
  /** Signed-in users only (tokens get FORBIDDEN). */
  | { kind: 'user' };

type Scope = 'own' | 'foreign';

interface CaseEnv {
  w: World;
  /** The team whose object the call addresses: the actor's own team, or a foreign one. */
  target: TeamFixture;
  actor: Actor | null;
  scope: Scope;
}

interface Entry {
  access: Access;
  /** The call's input, addressing objects of `env.target` (fresh ones where the call consumes them). */
  input(env: CaseEnv): Promise<unknown> | unknown;
  /** What a foreign-scope call returns. Default: NOT_FOUND for team access; no foreign case otherwise. */
  foreign?: Outcome;
  /** Each case gets a team of its own (the call destroys it). */
  freshTeam?: boolean;
  /**
   * Cluster-wide: the role is necessary but not enough, the actor must also be a deployment
   * operator. No matrix actor is one, so every call the role allows is FORBIDDEN here
   * (security-review.test.ts covers operators).
   */
  operatorOnly?: boolean;
}

type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_REQUEST';

const t = (min: TeamRole): Access => ({ kind: 'team', min });
const uniq = () => Math.random().toString(36).slice(2, 10);
let retentionCalls = 0;

async function newChannel(w: World, teamId: string): Promise<string> {
  const { channel } = await createAlertChannel(w.pool, {
    teamId,
    name: `c-${uniq()}`,
    settings: { kind: 'slack', url: 'https://hooks.example.com/slack' },
    key: SECRETS_KEY,
  });
  return channel.id;
}

// ── One entry per procedure ───────────────────────────────────────────────────────────────────
const MATRIX: Record<string, Entry> = {
  'auth.me': { access: { kind: 'authed' }, input: () => undefined },
  'account.changePassword': {
    access: { kind: 'user' },
    // The matrix's users have no password until they get one here.
    input: async ({ w, actor }) => {
      if (actor?.type === 'user') {
        await w.pool.query('UPDATE users SET password_hash = $2 WHERE id = $1', [
          actor.userId,
          await hashPassword('the old password'),
        ]);
      }
      return { currentPassword: 'the old password', newPassword: `new password ${uniq()}` };
    },
  },
  'account.signOutEverywhere': { access: { kind: 'user' }, input: () => undefined },

  'workflows.list': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },
  'workflows.get': {
    access: t('viewer'),
    input: ({ target }) => ({ teamId: target.id, workflow: target.workflowName }),
  },
  'workflows.applyDefinition': {
    access: t('editor'),
    input: ({ target }) => ({ teamId: target.id, text: workflowYaml(`wf-${uniq()}`) }),
  },
  'workflows.archive': {
    access: t('editor'),
    input: async ({ w, target }) => ({
      workflowId: (await applyWorkflow(w, target.id, `wf-${uniq()}`)).workflowId,
    }),
  },
  'workflows.validate': {
    access: { kind: 'authed' },
    input: () => ({ text: workflowYaml('x') }),
  },
  'workflows.exportYaml': {
    access: t('viewer'),
    input: ({ target }) => ({ teamId: target.id, workflow: target.workflowId, version: 1 }),
  },
  'workflows.runGrid': {
    access: t('viewer'),
    input: ({ target }) => ({ teamId: target.id, workflow: target.workflowName, limit: 10 }),
  },

  'versions.list': {
    access: t('viewer'),
    input: ({ target }) => ({ workflowId: target.workflowId }),
  },
  'versions.get': {
    access: t('viewer'),
    input: ({ target }) => ({ versionId: target.versionIds[0] }),
  },
  'versions.diff': {
    access: t('viewer'),
    input: ({ target }) => ({
      fromVersionId: target.versionIds[0],
      toVersionId: target.versionIds[1],
    }),
  },

  'runs.trigger': {
    access: t('editor'),
    input: ({ target }) => ({ teamId: target.id, workflow: target.workflowName, params: { n: 2 } }),
  },
  'runs.list': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },
  'runs.get': { access: t('viewer'), input: ({ target }) => ({ runId: target.failedRunId }) },
  'runs.history': {
    access: t('viewer'),
    input: ({ target }) => ({ runId: target.failedRunId }),
  },
  'runs.cancel': {
    access: t('editor'),
    input: async ({ w, target }) => ({
      runId: (await queuedRun(w, target.id, target.workflowName)).id,
    }),
  },
  'runs.rerun': {
    access: t('editor'),
    input: ({ target }) => ({ runId: target.failedRunId, mode: 'failed' }),
  },
  'runs.count': {
    access: t('viewer'),
    input: ({ target }) => ({ teamId: target.id, status: ['failed'] }),
  },
  'runs.cancelMany': {
    access: t('editor'),
    input: async ({ w, target }) => ({
      teamId: target.id,
      runIds: [(await queuedRun(w, target.id, target.workflowName)).id],
    }),
  },
  'runs.rerunMany': {
    access: t('editor'),
    input: ({ target }) => ({ teamId: target.id, runIds: [target.failedRunId] }),
  },

  'logs.attempt': {
    access: t('viewer'),
    input: ({ target }) => ({ runId: target.failedRunId, task: 'a', attempt: 1 }),
  },
  'logs.search': {
    access: t('viewer'),
    input: ({ target }) => ({ runId: target.failedRunId, query: 'error' }),
  },

  'workers.list': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },
  'workers.permissions': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },
  'workers.attempts': {
    access: t('viewer'),
    input: async ({ w, target }) => ({ teamId: target.id, workerId: await newWorker(w) }),
  },
  'workers.pools': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },
  'workers.drain': {
    access: t('admin'),
    operatorOnly: true,
    input: async ({ w, target }) => ({ teamId: target.id, workerId: await newWorker(w) }),
  },
  'metrics.summary': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },

  'secrets.list': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },
  'secrets.create': {
    access: t('admin'),
    input: ({ target }) => ({ teamId: target.id, name: `S_${uniq()}`, value: 'v' }),
  },
  'secrets.update': {
    access: t('admin'),
    input: ({ target }) => ({ teamId: target.id, name: target.secretName, value: 'new value' }),
  },
  'secrets.delete': {
    access: t('admin'),
    input: async ({ w, target }) => {
      const name = `S_${uniq()}`;
      await callerFor(w, await tokenActor(w, target.id, 'owner')).secrets.create({
        teamId: target.id,
        name,
        value: 'x',
      });
      return { teamId: target.id, name };
    },
  },

  'tokens.create': {
    access: t('admin'),
    input: ({ target }) => ({ teamId: target.id, name: 'ci', role: 'viewer' }),
  },
  'tokens.list': { access: t('admin'), input: ({ target }) => ({ teamId: target.id }) },
  'tokens.revoke': {
    access: t('admin'),
    input: async ({ w, target }) => {
      const { info } = await createApiToken(w.pool, {
        teamId: target.id,
        name: 'old',
        role: 'viewer',
        createdById: null,
      });
      return { teamId: target.id, tokenId: info.id };
    },
  },

  'teams.list': { access: { kind: 'authed' }, input: () => undefined },
  'teams.create': {
    access: { kind: 'user' },
    input: () => ({ slug: `team-${uniq()}`, name: 'New team' }),
  },
  'teams.get': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },
  'teams.rename': {
    access: t('admin'),
    input: ({ target }) => ({ teamId: target.id, name: `Renamed ${uniq()}` }),
  },
  'teams.retention': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },
  'teams.setRetention': {
    access: t('admin'),
    // A new value each call: an unchanged setting records no audit entry.
    input: ({ target }) => ({
      teamId: target.id,
      logRetentionDays: 1 + (retentionCalls++ % 1000),
      runRetentionDays: null,
    }),
  },
  'teams.delete': {
    access: t('owner'),
    freshTeam: true,
    input: ({ target }) => ({ teamId: target.id }),
  },

  'members.list': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },
  'members.invite': {
    access: t('admin'),
    input: ({ target }) => ({
      teamId: target.id,
      email: `inv-${uniq()}@example.test`,
      role: 'editor',
    }),
  },
  'members.acceptInvitation': {
    access: { kind: 'user' },
    // Own: an invitation to the caller's email. Foreign: one sent to somebody else.
    input: async ({ w, target, actor, scope }) => {
      const email =
        scope === 'own' && actor?.type === 'user' ? actor.email : `other-${uniq()}@example.test`;
      const { token } = await createInvitation(w.pool, {
        teamId: target.id,
        email,
        role: 'viewer',
        invitedById: null,
      });
      return { token };
    },
    foreign: 'BAD_REQUEST',
  },
  'members.changeRole': {
    access: t('admin'),
    input: async ({ w, target }) => {
      const user = await newUser(w);
      await addMember(w, target.id, user.id, 'viewer');
      return { teamId: target.id, userId: user.id, role: 'editor' };
    },
  },
  'members.remove': {
    access: t('admin'),
    input: async ({ w, target }) => {
      const user = await newUser(w);
      await addMember(w, target.id, user.id, 'viewer');
      return { teamId: target.id, userId: user.id };
    },
  },
  'members.revokeInvitation': {
    access: t('admin'),
    input: async ({ w, target }) => {
      const { invitation } = await createInvitation(w.pool, {
        teamId: target.id,
        email: `x-${uniq()}@example.test`,
        role: 'viewer',
        invitedById: null,
      });
      return { teamId: target.id, invitationId: invitation.id };
    },
  },

  'audit.list': { access: t('admin'), input: ({ target }) => ({ teamId: target.id }) },

  'schedules.list': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },
  'schedules.get': {
    access: t('viewer'),
    input: ({ target }) => ({ teamId: target.id, scheduleId: target.scheduleId }),
  },
  'schedules.create': {
    access: t('editor'),
    input: ({ target }) => ({
      teamId: target.id,
      workflowId: target.workflowId,
      name: `s-${uniq()}`,
      cron: '*/5 * * * *',
    }),
  },
  'schedules.update': {
    access: t('editor'),
    input: async ({ w, target }) => ({
      teamId: target.id,
      scheduleId: await newSchedule(w, target),
      changes: { cron: '0 * * * *' },
    }),
  },
  'schedules.delete': {
    access: t('editor'),
    input: async ({ w, target }) => ({
      teamId: target.id,
      scheduleId: await newSchedule(w, target),
    }),
  },
  'schedules.pause': {
    access: t('editor'),
    input: async ({ w, target }) => ({
      teamId: target.id,
      scheduleId: await newSchedule(w, target),
    }),
  },
  'schedules.resume': {
    access: t('editor'),
    input: async ({ w, target }) => ({
      teamId: target.id,
      scheduleId: await newSchedule(w, target),
    }),
  },
  'schedules.preview': {
    access: t('viewer'),
    input: ({ target }) => ({ teamId: target.id, scheduleId: target.scheduleId, count: 3 }),
  },
  'schedules.backfills.create': {
    access: t('editor'),
    input: ({ target }) => ({
      teamId: target.id,
      workflowId: target.workflowId,
      cron: '0 * * * *',
      timezone: 'UTC',
      rangeStart: new Date('2026-01-01T00:00:00Z'),
      rangeEnd: new Date('2026-01-01T02:00:00Z'),
    }),
  },
  'schedules.backfills.list': {
    access: t('viewer'),
    input: ({ target }) => ({ teamId: target.id }),
  },
  'schedules.backfills.get': {
    access: t('viewer'),
    input: ({ target }) => ({ teamId: target.id, backfillId: target.backfillId }),
  },
  'schedules.backfills.cancel': {
    access: t('editor'),
    input: async ({ w, target }) => ({
      teamId: target.id,
      backfillId: await newBackfill(w, target),
    }),
  },

  'triggers.list': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },
  'triggers.get': {
    access: t('viewer'),
    input: ({ target }) => ({ teamId: target.id, triggerId: target.triggerId }),
  },
  'triggers.createWebhook': {
    access: t('editor'),
    input: ({ target }) => ({
      teamId: target.id,
      workflowId: target.workflowId,
      name: `h-${uniq()}`,
    }),
  },
  'triggers.setEnabled': {
    access: t('editor'),
    input: async ({ w, target }) => ({
      teamId: target.id,
      triggerId: await newWebhook(w, target),
      enabled: false,
    }),
  },
  'triggers.rotateSecret': {
    access: t('editor'),
    input: async ({ w, target }) => ({ teamId: target.id, triggerId: await newWebhook(w, target) }),
  },
  'triggers.delete': {
    access: t('editor'),
    input: async ({ w, target }) => ({ teamId: target.id, triggerId: await newWebhook(w, target) }),
  },

  'events.publish': {
    access: t('editor'),
    input: ({ target }) => ({ teamId: target.id, name: 'order.created', payload: { id: 1 } }),
  },
  'events.list': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },

  'alerts.channels.list': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },
  'alerts.channels.create': {
    access: t('admin'),
    input: ({ target }) => ({
      teamId: target.id,
      name: `hook-${uniq()}`,
      settings: { kind: 'webhook', url: 'https://hooks.example.com/x' },
    }),
  },
  'alerts.channels.update': {
    access: t('admin'),
    input: async ({ w, target }) => ({
      teamId: target.id,
      channelId: await newChannel(w, target.id),
      enabled: false,
    }),
  },
  'alerts.channels.delete': {
    access: t('admin'),
    input: async ({ w, target }) => ({
      teamId: target.id,
      channelId: await newChannel(w, target.id),
    }),
  },
  'alerts.channels.test': {
    access: t('admin'),
    input: async ({ w, target }) => ({
      teamId: target.id,
      channelId: await newChannel(w, target.id),
    }),
  },
  'alerts.channels.deliveries': {
    access: t('viewer'),
    input: async ({ w, target }) => ({
      teamId: target.id,
      channelId: await newChannel(w, target.id),
    }),
  },
  'alerts.rules.list': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },
  'alerts.rules.create': {
    access: t('admin'),
    input: ({ target }) => ({
      teamId: target.id,
      rule: { name: `lost-${uniq()}`, on: 'worker_lost', channels: ['ops'] },
    }),
  },
  'alerts.rules.delete': {
    access: t('admin'),
    input: async ({ w, target }) => {
      const rule = await createAlertRule(w.pool, {
        teamId: target.id,
        workflowId: null,
        spec: {
          name: `r-${uniq()}`,
          on: 'worker_lost',
          channels: ['ops'],
          enabled: true,
          statuses: [],
          retries: null,
          deadline: null,
          waitingMs: null,
          pool: null,
        },
      });
      return { teamId: target.id, ruleId: rule.id };
    },
  },
  'alerts.incidents.list': { access: t('viewer'), input: ({ target }) => ({ teamId: target.id }) },
  'alerts.incidents.forRun': {
    access: t('viewer'),
    input: ({ target }) => ({ runId: target.failedRunId }),
  },
};

// ── Actors ────────────────────────────────────────────────────────────────────────────────────
type ActorSpec = { kind: 'anonymous' } | { kind: 'user' | 'token'; role: TeamRole };
const ACTORS: ActorSpec[] = [
  ...TEAM_ROLES.map((role) => ({ kind: 'user' as const, role })),
  ...TEAM_ROLES.map((role) => ({ kind: 'token' as const, role })),
  { kind: 'anonymous' },
];
const label = (a: ActorSpec) => (a.kind === 'anonymous' ? 'anonymous' : `${a.kind}:${a.role}`);

function expected(entry: Entry, actor: ActorSpec, scope: Scope): Outcome {
  if (entry.access.kind === 'public') return 'ok';
  if (actor.kind === 'anonymous') return 'UNAUTHORIZED';
  if (entry.access.kind === 'user' && actor.kind === 'token') return 'FORBIDDEN';
  if (scope === 'foreign') return entry.foreign ?? 'NOT_FOUND';
  if (entry.access.kind !== 'team') return 'ok';
  if (entry.operatorOnly) return 'FORBIDDEN';
  return roleAtLeast(actor.role, entry.access.min) ? 'ok' : 'FORBIDDEN';
}

function scopesOf(entry: Entry): Scope[] {
  return entry.access.kind === 'team' || entry.foreign ? ['own', 'foreign'] : ['own'];
}

type Callable = (input: unknown) => Promise<unknown>;
function procedureOf(caller: unknown, path: string): Callable {
  return path.split('.').reduce((o, k) => (o as Record<string, unknown>)[k], caller) as Callable;
}

async function outcomeOf(call: () => Promise<unknown>): Promise<Outcome | string> {
  try {
    await call();
    return 'ok';
  } catch (err) {
    if (err instanceof TRPCError) {
      return ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'].includes(err.code)
        ? (err.code as Outcome)
        : `${err.code}: ${err.message}`;
    }
    return `thrown: ${(err as Error).message}`;
  }
}

// ── The test ──────────────────────────────────────────────────────────────────────────────────
let w: World;
let home: TeamFixture;
let foreign: TeamFixture;
const actors = new Map<string, Actor>();

async function actorIn(teamId: string, spec: ActorSpec, cache: boolean): Promise<Actor | null> {
  if (spec.kind === 'anonymous') return null;
  const key = `${teamId}/${label(spec)}`;
  if (cache && actors.has(key)) return actors.get(key)!;
  const actor =
    spec.kind === 'user'
      ? await userActor(w, teamId, spec.role)
      : await tokenActor(w, teamId, spec.role);
  if (cache) actors.set(key, actor);
  return actor;
}

async function auditCount(): Promise<number> {
  const { rows } = await w.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_logs');
  return rows[0]!.n;
}

beforeAll(async () => {
  w = await openWorld('authz');
  home = await teamFixture(w);
  foreign = await teamFixture(w);
  // Foreign teams have their own members, who must never matter to our actors.
  await userActor(w, foreign.id, 'owner');
});

afterAll(async () => {
  await w?.close();
});

describe('authorization matrix', () => {
  it('has exactly one entry per procedure of the appRouter', () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(procedures.length).toBeGreaterThan(30);
    expect(Object.keys(MATRIX).sort()).toEqual(procedures);
  });

  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: string } }
  >;
  for (const [path, entry] of Object.entries(MATRIX)) {
    const isMutation = procedures[path]?._def.type === 'mutation';
    describe(path, () => {
      for (const spec of ACTORS) {
        for (const scope of scopesOf(entry)) {
          const want = expected(entry, spec, scope);
          it(`${label(spec)} × ${scope} team → ${want}`, async () => {
            const own = entry.freshTeam ? { ...home, ...(await newTeam(w)) } : home;
            const actor = await actorIn(own.id, spec, !entry.freshTeam);
            const target = scope === 'own' ? own : foreign;
            const input = await entry.input({ w, target, actor, scope });
            const before = await auditCount();
            const got = await outcomeOf(() => procedureOf(callerFor(w, actor), path)(input));
            expect(got).toBe(want);
            if (isMutation && got === 'ok') {
              if (path === 'teams.delete') {
                // Its audit rows go with the team (cascade); the team itself is gone.
                const left = await w.pool.query('SELECT 1 FROM teams WHERE id = $1', [own.id]);
                expect(left.rowCount).toBe(0);
              } else {
                expect(await auditCount(), `${path} wrote no audit record`).toBeGreaterThan(before);
              }
            }
            if (!isMutation || got !== 'ok') {
              expect(await auditCount(), `${path} audited a refused or read-only call`).toBe(
                before,
              );
            }
          });
        }
      }
    });
  }
});

describe("objects of another team named under one's own team id", () => {
  it('are not found, for every lookup that takes a team id and an object', async () => {
    const owner = (await actorIn(home.id, { kind: 'user', role: 'owner' }, true))!;
    const api = callerFor(w, owner);
    const calls: [string, () => Promise<unknown>][] = [
      ['workflows.get', () => api.workflows.get({ teamId: home.id, workflow: foreign.workflowId })],
      [
        'workflows.exportYaml',
        () => api.workflows.exportYaml({ teamId: home.id, workflow: foreign.workflowId }),
      ],
      [
        'workflows.runGrid',
        () => api.workflows.runGrid({ teamId: home.id, workflow: foreign.workflowId }),
      ],
      [
        'versions.diff',
        () =>
          api.versions.diff({
            fromVersionId: home.versionIds[0],
            toVersionId: foreign.versionIds[1],
          }),
      ],
      ['runs.trigger', () => api.runs.trigger({ teamId: home.id, workflow: foreign.workflowId })],
      [
        'secrets.update',
        async () => {
          await api.secrets
            .create({ teamId: foreign.id, name: 'ONLY_THERE', value: 'x' })
            .catch(() => {});
          return api.secrets.update({ teamId: home.id, name: 'NOPE_NOT_HERE', value: 'x' });
        },
      ],
      [
        'members.changeRole',
        async () => {
          const u = await newUser(w);
          await addMember(w, foreign.id, u.id, 'viewer');
          return api.members.changeRole({ teamId: home.id, userId: u.id, role: 'owner' });
        },
      ],
      [
        'schedules.get',
        () => api.schedules.get({ teamId: home.id, scheduleId: foreign.scheduleId }),
      ],
      [
        'schedules.pause',
        () => api.schedules.pause({ teamId: home.id, scheduleId: foreign.scheduleId }),
      ],
      [
        'schedules.delete',
        () => api.schedules.delete({ teamId: home.id, scheduleId: foreign.scheduleId }),
      ],
      [
        'schedules.create',
        () =>
          api.schedules.create({
            teamId: home.id,
            workflowId: foreign.workflowId,
            name: `s-${uniq()}`,
            cron: '0 5 * * *',
          }),
      ],
      [
        'schedules.backfills.get',
        () => api.schedules.backfills.get({ teamId: home.id, backfillId: foreign.backfillId }),
      ],
      [
        'schedules.backfills.cancel',
        () => api.schedules.backfills.cancel({ teamId: home.id, backfillId: foreign.backfillId }),
      ],
      [
        'schedules.backfills.create',
        () =>
          api.schedules.backfills.create({
            teamId: home.id,
            workflowId: foreign.workflowId,
            cron: '0 * * * *',
            timezone: 'UTC',
            rangeStart: new Date('2026-01-01T00:00:00Z'),
            rangeEnd: new Date('2026-01-01T01:00:00Z'),
          }),
      ],
      ['triggers.get', () => api.triggers.get({ teamId: home.id, triggerId: foreign.triggerId })],
      [
        'triggers.setEnabled',
        () =>
          api.triggers.setEnabled({
            teamId: home.id,
            triggerId: foreign.triggerId,
            enabled: false,
          }),
      ],
      [
        'triggers.rotateSecret',
        () => api.triggers.rotateSecret({ teamId: home.id, triggerId: foreign.triggerId }),
      ],
      [
        'triggers.delete',
        () => api.triggers.delete({ teamId: home.id, triggerId: foreign.triggerId }),
      ],
      [
        'triggers.createWebhook',
        () =>
          api.triggers.createWebhook({
            teamId: home.id,
            workflowId: foreign.workflowId,
            name: `h-${uniq()}`,
          }),
      ],
      [
        'tokens.revoke',
        async () => {
          const { info } = await createApiToken(w.pool, {
            teamId: foreign.id,
            name: 'f',
            role: 'viewer',
            createdById: null,
          });
          return api.tokens.revoke({ teamId: home.id, tokenId: info.id });
        },
      ],
    ];
    for (const [name, call] of calls) {
      expect(`${name}: ${await outcomeOf(call)}`).toBe(`${name}: NOT_FOUND`);
    }
    // Nothing of the foreign team changed hands.
    const run = await failedRun(w, foreign.id, foreign.workflowName);
    expect(await outcomeOf(() => api.runs.get({ runId: run.id }))).toBe('NOT_FOUND');
  });
});
