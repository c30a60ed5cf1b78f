/**
 * Alerts end to end with a real scheduler process: a failing run opens an incident whose messages
 * reach a signed webhook (after a 500, retried), a Slack-compatible webhook and an SMTP server, all
 * run by this test; the next successful run resolves it (one "resolved" message per channel) and
 * sends the recovery notice. Attempts are recorded. No timing is asserted: conditions are polled.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '@dtss/core';
import {
  claimTask,
  completeAttempt,
  createAlertChannel,
  createRun,
  listIncidents,
  type Pool,
} from '@dtss/db';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestbed, type SchedulerTestbed } from './harness';

const KEY = randomBytes(32).toString('base64');
let bed: SchedulerTestbed;
let http: Server;
let smtp: SMTPServer;
let base: string;
let smtpPort: number;
let signingSecret: string;

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
const received: Received[] = [];
const mails: string[] = [];
let failNextWebhook = true;

async function drive(pool: Pool, runId: string, outcome: 'succeeded' | 'failed'): Promise<void> {
  for (let guard = 0; guard < 20; guard++) {
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM task_runs WHERE run_id = $1 AND status = 'queued'`,
      [runId],
    );
    if (rows.length === 0) return;
    for (const row of rows) {
      const c = (await claimTask(pool, row.id, null))!;
      await completeAttempt(pool, {
        attemptId: c.attemptId,
        taskRunId: c.taskRunId,
        runId,
        outcome,
      });
    }
  }
}

beforeAll(async () => {
  http = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.url === '/hook' && failNextWebhook) {
        failNextWebhook = false;
        res.writeHead(500).end('try again');
        return;
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, _session, callback) {
      let text = '';
      stream.on('data', (d: Buffer) => (text += d.toString()));
      stream.on('end', () => {
        mails.push(text);
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  smtpPort = (smtp.server.address() as AddressInfo).port;

  bed = await startTestbed('alerts');
  const hook = await createAlertChannel(bed.pool, {
    teamId: bed.teamId,
    name: 'hook',
    settings: { kind: 'webhook', url: `${base}/hook` },
    key: KEY,
  });
  signingSecret = hook.signingSecret!;
  await createAlertChannel(bed.pool, {
    teamId: bed.teamId,
    name: 'slack',
    settings: { kind: 'slack', url: `${base}/slack` },
    key: KEY,
  });
  await createAlertChannel(bed.pool, {
    teamId: bed.teamId,
    name: 'mail',
    settings: {
      kind: 'email',
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      from: 'dtss@example.com',
      to: ['ops@example.com'],
      username: null,
    },
    key: KEY,
  });
  await bed.deploy(`name: nightly
alerts:
  - { on: run_failed, channels: [hook, slack, mail] }
  - { on: run_recovered, channels: [slack] }
tasks:
  load: { kind: noop }
`);
  bed.startScheduler({
    DTSS_SECRETS_KEY: KEY,
    DTSS_ALERTS_MS: '200',
    DTSS_ALERTS_RETRY_BASE_MS: '100',
    DTSS_PUBLIC_URL: 'https://dtss.example.com/',
    DTSS_LEADER_TTL_MS: '2000',
  });
}, 60_000);

afterAll(async () => {
  await bed?.stop();
  await new Promise((r) => http?.close(r));
  await new Promise((r) => smtp?.close(() => r(undefined)));
});

describe('the leader alerts', () => {
  it('on a failure: signed webhook (retried after a 500), Slack text and an email, once', async () => {
    const { run } = await createRun(bed.pool, {
      teamId: bed.teamId,
      workflow: { name: 'nightly' },
    });
    await drive(bed.pool, run.id, 'failed');

    const hooks = await eventually(
      async () => {
        const ok = received.filter((r) => r.path === '/hook');
        return ok.length >= 2 ? ok : null;
      },
      30_000,
      'the webhook to be retried after its 500',
      bed.output,
    );
    const [first, second] = hooks;
    // The same delivery both times, each attempt signed afresh.
    expect(second!.headers['x-dtss-delivery']).toBe(first!.headers['x-dtss-delivery']);
    const verified = await verifyWebhookSignature({
      secret: signingSecret,
      timestamp: second!.headers['x-dtss-timestamp'] as string,
      signature: second!.headers['x-dtss-signature'] as string,
      body: second!.body,
    });
    expect(verified.ok).toBe(true);
    const payload = JSON.parse(second!.body);
    expect(payload).toMatchObject({
      event: 'opened',
      kind: 'run_failed',
      rule: 'run-failed',
      incident: { title: 'nightly run #1 failed', runId: run.id, details: ['failed tasks: load'] },
    });
    expect(payload.text).toContain(`https://dtss.example.com/t/${payload.team}/runs/${run.id}`);

    const slack = await eventually(
      async () => received.find((r) => r.path === '/slack'),
      30_000,
      'the Slack message',
      bed.output,
    );
    expect(Object.keys(JSON.parse(slack.body))).toEqual(['text']);
    expect(JSON.parse(slack.body).text).toMatch(/^\[alert\] Run failed: nightly run #1 failed/);

    const mail = await eventually(async () => mails[0], 30_000, 'the email', bed.output);
    expect(mail).toMatch(/Subject: \[alert\] Run failed: nightly run #1 failed/);
    expect(mail).toMatch(/Content-Type: text\/plain/i);
    expect(mail).toMatch(/To: ops@example.com/);

    // Recorded: one incident, open, three deliveries sent, the webhook's after two attempts.
    const [incident] = await eventually(
      async () => {
        const list = await listIncidents(bed.pool, bed.teamId, { runId: run.id });
        return list[0]?.deliveries.every((d) => d.status === 'sent') ? list : null;
      },
      30_000,
      'every delivery to be recorded as sent',
      bed.output,
    );
    expect(incident!.status).toBe('open');
    const hook = incident!.deliveries.find((d) => d.channelName === 'hook')!;
    expect(hook.attempts).toBe(2);
    expect(hook.attemptLog.map((a) => [a.ok, a.status])).toEqual([
      [false, 500],
      [true, 200],
    ]);
    expect(hook.attemptLog[0]!.error).toMatch(/HTTP 500/);
  });

  it('a second failure adds no message; the next success resolves the incident once', async () => {
    const { run: again } = await createRun(bed.pool, {
      teamId: bed.teamId,
      workflow: { name: 'nightly' },
    });
    await drive(bed.pool, again.id, 'failed');
    const { run: ok } = await createRun(bed.pool, {
      teamId: bed.teamId,
      workflow: { name: 'nightly' },
    });
    await drive(bed.pool, ok.id, 'succeeded');

    const resolved = await eventually(
      async () => {
        const hooks = received
          .filter((r) => r.path === '/hook')
          .map((r) => JSON.parse(r.body) as { event: string; text: string });
        const r = hooks.filter((h) => h.event === 'resolved');
        return r.length > 0 ? r : null;
      },
      30_000,
      'the resolved webhook',
      bed.output,
    );
    expect(resolved[0]!.text).toMatch(/^\[resolved\] Run failed: nightly run #1 failed/);
    expect(resolved[0]!.text).toContain('nightly run #3 succeeded');
    await eventually(async () => mails.length >= 2, 30_000, 'the resolved email', bed.output);
    expect(mails[1]).toMatch(/Subject: \[resolved\]/);
    const recovered = await eventually(
      async () =>
        received
          .filter((r) => r.path === '/slack')
          .map((r) => JSON.parse(r.body).text as string)
          .find((t) => t.startsWith('Run recovered')),
      30_000,
      'the recovery notice on Slack',
      bed.output,
    );
    expect(recovered).toContain('nightly run #3 succeeded after a run that failed');

    // Give the leader a few more passes: nothing is sent twice.
    await new Promise((r) => setTimeout(r, 1500));
    const opened = received.filter(
      (r) => r.path === '/hook' && JSON.parse(r.body).event === 'opened',
    );
    expect(new Set(opened.map((r) => r.headers['x-dtss-delivery'])).size).toBe(1);
    expect(
      received.filter((r) => r.path === '/hook' && JSON.parse(r.body).event === 'resolved'),
    ).toHaveLength(1);
    expect(mails).toHaveLength(2);
    const incidents = await listIncidents(bed.pool, bed.teamId);
    expect(incidents.map((i) => [i.kind, i.status])).toEqual(
      expect.arrayContaining([
        ['run_failed', 'resolved'],
        ['run_recovered', 'resolved'],
      ]),
    );
    expect(incidents).toHaveLength(2);
  });
});
