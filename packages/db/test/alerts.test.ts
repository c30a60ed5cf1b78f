/**
 * Alerts in the database: channels keep their credentials sealed; a workflow file's rules follow
 * the file; an incident is opened once however often (and by whichever leader) it is seen, with a
 * delivery per channel; resolving queues one "resolved" message; attempts are recorded with
 * retries until sent or failed.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimDueDeliveries,
  createAlertChannel,
  createAlertRule,
  createPool,
  createPrismaClient,
  createRun,
  deleteAlertRule,
  listAlertChannels,
  listAlertRules,
  listIncidents,
  openIncident,
  readAlertChannelSecret,
  readEndedRuns,
  readOpenIncidents,
  recordDeliveryAttempt,
  resolveIncident,
  updateAlertChannel,
  type Pool,
  type PrismaClient,
} from '../src';
import { createTestDatabase, type TestDatabase } from '../src/testing';
import { deployWorkflow, driveRun } from './support/workflows';

const KEY = randomBytes(32).toString('base64');
let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let team: string;
let workflowId: string;

const YAML = (alerts: string) => `name: etl
alerts:
${alerts}
tasks:
  a: { kind: noop }
`;

beforeAll(async () => {
  db = await createTestDatabase('alerts');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { max: 2 });
  team = (await prisma.team.create({ data: { slug: 'al', name: 'Al' } })).id;
  workflowId = await deployWorkflow(
    prisma,
    team,
    YAML(
      `  - { on: run_failed, channels: [hook, mail] }\n  - { name: slow, on: deadline, channels: [hook], deadline: { from: queued, after: 1m } }`,
    ),
  );
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

describe('channels', () => {
  it('seal the URL and signing secret; lists show the host only', async () => {
    const { channel, signingSecret } = await createAlertChannel(pool, {
      teamId: team,
      name: 'hook',
      settings: { kind: 'webhook', url: 'https://hooks.example.com/t/abc123' },
      key: KEY,
    });
    expect(signingSecret).toMatch(/^whsec_/);
    expect(channel.config).toEqual({ urlHost: 'hooks.example.com' });
    const raw = await pool.query(
      'SELECT secret_ciphertext::text AS c FROM alert_channels WHERE id = $1',
      [channel.id],
    );
    expect(raw.rows[0].c).not.toContain('abc123');
    expect(await readAlertChannelSecret(pool, team, channel.id, KEY)).toEqual({
      kind: 'webhook',
      url: 'https://hooks.example.com/t/abc123',
      signingSecret,
    });
    // New settings without a signing secret keep the old one.
    await updateAlertChannel(pool, {
      teamId: team,
      channelId: channel.id,
      settings: { kind: 'webhook', url: 'https://hooks.example.com/t/new' },
      key: KEY,
    });
    expect(await readAlertChannelSecret(pool, team, channel.id, KEY)).toMatchObject({
      url: 'https://hooks.example.com/t/new',
      signingSecret,
    });
    await createAlertChannel(pool, {
      teamId: team,
      name: 'mail',
      settings: {
        kind: 'email',
        host: 'localhost',
        port: 2525,
        secure: false,
        from: 'dtss@x',
        to: ['ops@x'],
        username: null,
      },
      key: KEY,
    });
    await expect(
      createAlertChannel(pool, {
        teamId: team,
        name: 'mail',
        settings: { kind: 'slack', url: 'https://x' },
        key: KEY,
      }),
    ).rejects.toMatchObject({ code: 'exists' });
    expect((await listAlertChannels(pool, team)).map((c) => c.name)).toEqual(['hook', 'mail']);
  });
});

describe('rules', () => {
  it('follow the workflow file; team rules are made and deleted through the API', async () => {
    expect(
      (await listAlertRules(pool, team)).map((r) => [r.name, r.kind, r.source, r.channelNames]),
    ).toEqual([
      ['run-failed', 'run_failed', 'definition', ['hook', 'mail']],
      ['slow', 'deadline', 'definition', ['hook']],
    ]);
    await deployWorkflow(prisma, team, YAML(`  - { on: run_failed, channels: [hook] }`));
    const rules = await listAlertRules(pool, team);
    expect(rules.map((r) => [r.name, r.channelNames])).toEqual([['run-failed', ['hook']]]);
    await expect(deleteAlertRule(pool, team, rules[0]!.id)).rejects.toMatchObject({
      code: 'declared_in_file',
    });

    const spec = {
      name: 'lost',
      on: 'worker_lost' as const,
      channels: ['hook'],
      enabled: true,
      statuses: [],
      retries: null,
      deadline: null,
      waitingMs: null,
      pool: null,
    };
    const teamRule = await createAlertRule(pool, { teamId: team, workflowId: null, spec });
    expect(teamRule).toMatchObject({ workflowId: null, source: 'api', kind: 'worker_lost' });
    await expect(
      createAlertRule(pool, { teamId: team, workflowId: null, spec }),
    ).rejects.toMatchObject({ code: 'exists' });
    await deleteAlertRule(pool, team, teamRule.id);
    await deployWorkflow(prisma, team, YAML(`  - { on: run_failed, channels: [hook, mail] }`));
  });
});

describe('incidents and deliveries', () => {
  it('open once per incident and cause, resolve once, record attempts', async () => {
    const rule = (await listAlertRules(pool, team))[0]!;
    const { run } = await createRun(pool, { teamId: team, workflow: { name: 'etl' } });
    await driveRun(pool, run.id, { outcomeOf: () => 'failed' });
    const ended = await readEndedRuns(pool, team, new Date(0));
    expect(ended).toEqual([
      expect.objectContaining({
        id: run.id,
        status: 'failed',
        failedTasks: ['a'],
        previousStatus: null,
      }),
    ]);

    const open = () =>
      openIncident(pool, null, {
        teamId: team,
        ruleId: rule.id,
        kind: 'run_failed',
        channelNames: rule.channelNames,
        key: `workflow:${workflowId}`,
        cause: `run:${run.id}`,
        workflowId,
        runId: run.id,
        title: 'etl run #1 failed',
        details: ['failed tasks: a'],
        payload: { text: 'etl run #1 failed' },
      });
    const [first, second] = await Promise.all([open(), open()]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const incidentId = (first ?? second)!;
    expect(await readOpenIncidents(pool, [rule.id])).toEqual([
      expect.objectContaining({ id: incidentId }),
    ]);

    // Two channels, two deliveries; the first attempt of one fails and is retried.
    const claimed = await claimDueDeliveries(pool, null, { limit: 10, leaseMs: 60_000 });
    expect(claimed.map((d) => [d.channelName, d.event, d.attempt])).toEqual([
      ['hook', 'opened', 1],
      ['mail', 'opened', 1],
    ]);
    // Claimed deliveries are not handed out again while their lease runs.
    expect(await claimDueDeliveries(pool, null, { limit: 10, leaseMs: 60_000 })).toEqual([]);
    await recordDeliveryAttempt(pool, {
      deliveryId: claimed[0]!.id,
      ok: false,
      error: 'HTTP 500',
      status: 500,
      retryInMs: 0,
    });
    await recordDeliveryAttempt(pool, {
      deliveryId: claimed[1]!.id,
      ok: true,
      status: 250,
      retryInMs: null,
    });
    const retry = await claimDueDeliveries(pool, null, { limit: 10, leaseMs: 60_000 });
    expect(retry.map((d) => [d.channelName, d.attempt])).toEqual([['hook', 2]]);
    await recordDeliveryAttempt(pool, {
      deliveryId: retry[0]!.id,
      ok: true,
      status: 200,
      retryInMs: null,
    });

    // Resolved once, even when two leaders try.
    const results = await Promise.all(
      [0, 1].map(() =>
        resolveIncident(pool, null, {
          incidentId,
          resolution: 'run #2 succeeded',
          payload: { text: 'resolved' },
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    // The same cause never opens a new incident, even once the first is resolved.
    expect(await open()).toBeNull();

    const [incident] = await listIncidents(pool, team, { runId: run.id });
    expect(incident).toMatchObject({
      status: 'resolved',
      resolution: 'run #2 succeeded',
      runNumber: 1,
      workflowName: 'etl',
    });
    const byKey = incident!.deliveries.map((d) => [d.channelName, d.event, d.status, d.attempts]);
    expect(byKey).toEqual(
      expect.arrayContaining([
        ['hook', 'opened', 'sent', 2],
        ['mail', 'opened', 'sent', 1],
        ['hook', 'resolved', 'pending', 0],
        ['mail', 'resolved', 'pending', 0],
      ]),
    );
    const hook = incident!.deliveries.find(
      (d) => d.channelName === 'hook' && d.event === 'opened',
    )!;
    expect(hook.attemptLog.map((a) => [a.ok, a.status])).toEqual([
      [false, 500],
      [true, 200],
    ]);

    // Out of attempts: failed with the last error.
    const last = await claimDueDeliveries(pool, null, { limit: 10, leaseMs: 60_000 });
    for (const d of last)
      await recordDeliveryAttempt(pool, {
        deliveryId: d.id,
        ok: false,
        error: 'refused',
        retryInMs: null,
      });
    const [after] = await listIncidents(pool, team, { status: 'resolved' });
    expect(
      after!.deliveries.filter((d) => d.event === 'resolved').map((d) => [d.status, d.error]),
    ).toEqual([
      ['failed', 'refused'],
      ['failed', 'refused'],
    ]);
  });

  it('a stale leader opens nothing', async () => {
    const rule = (await listAlertRules(pool, team))[0]!;
    const id = await openIncident(
      pool,
      { name: 'scheduler', holderId: 'nobody', fencingToken: 1n },
      {
        teamId: team,
        ruleId: rule.id,
        kind: 'run_failed',
        channelNames: ['hook'],
        key: 'workflow:x',
        cause: 'run:x',
        workflowId: null,
        runId: null,
        title: 't',
        details: [],
        payload: {},
      },
    );
    expect(id).toBeNull();
  });
});
