import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '@dtss/core';
import { expect as baseExpect, test } from '@playwright/test';
import {
  applyWorkflow,
  expectAccessible,
  screenshot,
  signUp,
  trpc,
  waitForRunStatus,
} from './support/app';

// The scheduler evaluates alerts every 2 s and the stack is shared: generous timeouts, polled.
const expect = baseExpect.configure({ timeout: 30_000 });

interface Hit {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
const hits: Hit[] = [];
let server: Server;
let hookUrl = '';

test.beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      hits.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
});

test.afterAll(async () => {
  await new Promise((r) => server.close(r));
});

test('a failing run opens an incident: signed webhook, alerts page and run page', async ({
  page,
}) => {
  const me = await signUp(page, 'alerts');
  await page.goto(`/t/${me.teamSlug}/alerts`);
  await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible();
  await expect(page.getByText('No incidents yet.')).toBeVisible();

  // A webhook channel pointing at this test's server; its signing secret is shown once.
  await page.getByTestId('new-channel').click();
  await page.getByTestId('channel-name').fill('ops-hook');
  await page.getByTestId('channel-url').fill(hookUrl);
  await page.getByTestId('channel-save').click();
  const secret = await page.getByTestId('channel-secret').inputValue();
  expect(secret).toMatch(/^whsec_/);
  await page.getByTestId('channel-done').click();
  const row = page.locator('[data-testid="channel-row"][data-name="ops-hook"]');
  await expect(row).toContainText('127.0.0.1');
  await expect(row).not.toContainText('/alerts');

  await applyWorkflow(
    page.request,
    me.teamSlug,
    `name: breaks
alerts:
  - { on: run_failed, channels: [ops-hook] }
tasks:
  boom: { kind: shell, command: "exit 3" }
`,
  );
  const { run } = await trpc<{ run: { id: string } }>(page.request, 'mutation', 'runs.trigger', {
    teamSlug: me.teamSlug,
    workflow: 'breaks',
  });
  await waitForRunStatus(page.request, run.id, 'failed');

  // The webhook arrives, signed with the channel's secret.
  await expect.poll(() => hits.length, { timeout: 60_000 }).toBeGreaterThan(0);
  const hit = hits[0]!;
  const verified = await verifyWebhookSignature({
    secret,
    timestamp: hit.headers['x-dtss-timestamp'] as string,
    signature: hit.headers['x-dtss-signature'] as string,
    body: hit.body,
  });
  expect(verified.ok).toBe(true);
  expect(JSON.parse(hit.body)).toMatchObject({
    event: 'opened',
    kind: 'run_failed',
    incident: { title: 'breaks run #1 failed', runId: run.id },
  });

  // The alerts page shows the open incident and its sent delivery (it re-reads every 5 s).
  await page.reload();
  const incident = page.getByTestId('incident').first();
  await expect(incident).toHaveAttribute('data-status', 'open');
  await expect(incident.getByTestId('incident-title')).toHaveText('breaks run #1 failed');
  await expect(incident.getByTestId('delivery')).toHaveAttribute('data-status', 'sent', {
    timeout: 60_000,
  });
  await expectAccessible(page);
  await screenshot(page, 'alerts-page');

  // And the run's page, in its Alerts card.
  await incident.getByRole('link', { name: 'breaks run #1' }).click();
  await page.waitForURL(new RegExp(`/runs/${run.id}`));
  const runAlerts = page.getByTestId('run-alerts');
  await expect(runAlerts.getByTestId('incident-title')).toHaveText('breaks run #1 failed');
  await expect(runAlerts.getByTestId('delivery')).toContainText('ops-hook');
});

test('a team rule is added with the keyboard alone; a bad name is refused on its field', async ({
  page,
}) => {
  const me = await signUp(page, 'alertkeys');
  await trpc(page.request, 'mutation', 'alerts.channels.create', {
    teamSlug: me.teamSlug,
    name: 'kb-hook',
    settings: { kind: 'webhook', url: hookUrl },
  });
  await page.goto(`/t/${me.teamSlug}/alerts`);
  const form = page.getByRole('form', { name: 'New team rule' });
  await expect(form).toBeVisible();

  // From the form's first field on, only keys: Tab to each field, type, Enter submits.
  await form.getByLabel('Kind').focus();
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('Name')).toBeFocused();
  await page.keyboard.type('Night Batch');
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('Channels')).toBeFocused();
  await page.keyboard.type('kb-hook');
  await page.keyboard.press('Enter');
  // The API's answer sits under the field it concerns, and the field says it is invalid.
  await expect(form.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Name')).toHaveAccessibleDescription(/invalid alert name/);

  await form.getByLabel('Name').fill('');
  await form.getByLabel('Name').focus();
  await page.keyboard.type('night-batch');
  await page.keyboard.press('Enter');
  const rules = page.getByRole('table').filter({ hasText: 'Applies to' });
  await expect(rules.getByRole('row').filter({ hasText: 'night-batch' })).toContainText('kb-hook');
  await expect(form.getByLabel('Name')).toHaveValue('');
  await expect(form.getByLabel('Name')).not.toHaveAttribute('aria-invalid', 'true');
});
