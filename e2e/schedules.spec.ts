import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { applyWorkflow, expectAccessible, screenshot, signUp, trpc } from './support/app';

const run = promisify(execFile);

// The calendar's days and the backfill's datetime inputs are read in the browser's zone.
test.use({ timezoneId: 'UTC' });

const HOUR_MS = 3_600_000;
/** A datetime-local value in UTC (the page's zone here). */
const localInput = (at: number) => new Date(at).toISOString().slice(0, 16);

async function schedulesPage(page: Page, slug: string, tab?: 'triggers' | 'backfills') {
  await page.goto(`/t/${slug}/schedules${tab ? `?tab=${tab}` : ''}`);
  await expect(page.getByTestId(`tab-${tab ?? 'schedules'}`)).toHaveAttribute(
    'aria-selected',
    'true',
  );
}

test('a schedule made in the dialog: refusals on their fields, next fires in its zone, chips in the calendar, collisions counted', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const me = await signUp(page, 'scheduler');
  await applyWorkflow(
    page.request,
    me.teamSlug,
    'name: nightly-report\ntasks:\n  a: { kind: noop }\n',
  );
  await schedulesPage(page, me.teamSlug);
  await expect(page.getByTestId('empty-state')).toContainText('No schedules yet');
  await expect(page.getByTestId('schedule-calendar-empty')).toBeVisible();

  await page.getByTestId('new-schedule').click();
  const form = page.getByTestId('schedule-form');
  await expect(form).toBeVisible();
  await form.locator('select[name="workflowId"]').selectOption({ label: 'nightly-report' });
  await form.locator('input[name="cron"]').fill('0 */6 * * *');
  await form.locator('select[name="timezone"]').selectOption('Europe/Berlin');
  // Next five fires in the chosen zone, computed in the browser by @dtss/core.
  const preview = form.getByTestId('cron-preview');
  await expect(preview).toContainText('Next fires (Europe/Berlin)');
  await expect(preview.locator('li')).toHaveCount(5);
  // The chosen policy says what it does.
  await form.locator('select[name="overlapPolicy"]').selectOption('allow_all');
  await expect(form).toContainText('Every fire starts a run');
  await form.locator('select[name="catchupPolicy"]').selectOption('all');
  await expect(form).toContainText('Every missed fire runs');

  // No name: refused in the browser. A name the server refuses: its message on the field, and
  // everything typed is still there.
  await page.getByTestId('schedule-save').click();
  await expect(form.getByText('give the schedule a name')).toBeVisible();
  await form.locator('input[name="name"]').fill('Every Six');
  await page.getByTestId('schedule-save').click();
  await expect(form.getByTestId('field-error').filter({ hasText: 'lowercase' })).toBeVisible({
    timeout: 15_000,
  });
  await expect(form.locator('input[name="cron"]')).toHaveValue('0 */6 * * *');
  await expect(form.locator('select[name="timezone"]')).toHaveValue('Europe/Berlin');
  await form.locator('input[name="name"]').fill('every-six');
  await page.getByTestId('schedule-save').click();
  await expect(form).toBeHidden({ timeout: 15_000 });

  const row = page.getByTestId('schedule-row').filter({ hasText: 'every-six' });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('schedule-cron')).toHaveText('0 */6 * * *');
  await expect(row).toContainText('Europe/Berlin');
  await expect(row.getByTestId('schedule-next-fire')).toHaveText(/^in /);
  await expect(row.getByTestId('schedule-last-fire')).toContainText('never');

  // Four fires a day for the coming days (today's past ones excepted), each a chip of its workflow.
  const calendar = page.getByTestId('schedule-calendar');
  await expect(calendar).toBeVisible();
  const chips = calendar.getByTestId('calendar-chip');
  await expect.poll(() => chips.count()).toBeGreaterThanOrEqual(20);
  await expect(chips.first()).toContainText('nightly-report');
  await expect(calendar.getByTestId('calendar-collision')).toHaveCount(0);

  // A second schedule firing at the same minutes every 12 hours: those chips count two fires.
  const { workflowId } = (
    await trpc<{ id: string; workflowId: string }[]>(page.request, 'query', 'schedules.list', {
      teamSlug: me.teamSlug,
    })
  )[0]!;
  await trpc(page.request, 'mutation', 'schedules.create', {
    teamSlug: me.teamSlug,
    workflowId,
    name: 'twice-a-day',
    cron: '0 */12 * * *',
    timezone: 'Europe/Berlin',
  });
  await page.reload();
  await expect(page.getByTestId('schedule-row')).toHaveCount(2);
  await expect
    .poll(() => calendar.getByTestId('calendar-collision').count())
    .toBeGreaterThanOrEqual(10);
  await expect(
    calendar.locator('[data-testid="calendar-chip"][data-fires="2"]').first(),
  ).toContainText('×2');
  await screenshot(page, 'schedules-calendar');
  await expectAccessible(page);

  // Edit: the dialog opens with the stored values; a new cron is saved.
  await row.getByTestId('schedule-edit').click();
  await expect(form.locator('input[name="cron"]')).toHaveValue('0 */6 * * *');
  await expect(form.locator('select[name="overlapPolicy"]')).toHaveValue('allow_all');
  await form.locator('input[name="cron"]').fill('30 5 * * *');
  await page.getByTestId('schedule-save').click();
  await expect(form).toBeHidden({ timeout: 15_000 });
  await expect(row.getByTestId('schedule-cron')).toHaveText('30 5 * * *');

  // Pause, then delete with confirmation.
  await row.getByRole('button', { name: /^Pause / }).click();
  await expect(row.getByTestId('schedule-state')).toHaveText('paused');
  await row.getByTestId('schedule-delete').click();
  await page.getByRole('button', { name: 'Delete schedule', exact: true }).click();
  await expect(page.getByTestId('schedule-row')).toHaveCount(1);
});

test('a webhook made in the UI: its URL and secret shown once, the shown curl command starts a run, rotation, deletion', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const me = await signUp(page, 'hooker');
  await applyWorkflow(page.request, me.teamSlug, 'name: hooked\ntasks:\n  a: { kind: noop }\n');
  await schedulesPage(page, me.teamSlug, 'triggers');
  await expect(page.getByTestId('empty-state')).toContainText('No triggers yet');

  await page.getByTestId('new-webhook').click();
  const form = page.getByTestId('webhook-form');
  await form.locator('select[name="workflowId"]').selectOption({ label: 'hooked' });
  await form.locator('input[name="name"]').fill('ping');
  await page.getByTestId('webhook-save').click();

  const reveal = page.getByTestId('webhook-secret-reveal');
  await expect(reveal).toBeVisible({ timeout: 15_000 });
  await expect(reveal.getByTestId('trigger-url')).toHaveText(
    /^http:\/\/[^/]+\/api\/hooks\/[0-9a-f-]{36}$/,
  );
  await expect(reveal.getByTestId('trigger-secret')).toHaveText(/^whsec_/);
  const curl = (await reveal.getByTestId('trigger-curl').textContent())!;
  expect(curl).toContain('openssl dgst -sha256 -hmac');
  await screenshot(page, 'webhook-created');
  await expectAccessible(page);

  // The command as shown, run by a shell: the webhook records the delivery and starts a run.
  const { stdout } = await run('sh', ['-c', curl], { timeout: 30_000 });
  const answer = JSON.parse(stdout) as { runs: { id: string }[] };
  expect(answer.runs).toHaveLength(1);
  const runId = answer.runs[0]!.id;

  await page.getByTestId('webhook-done').click();
  await expect(reveal).toBeHidden();
  await page.reload();
  const row = page.getByTestId('trigger-row').filter({ hasText: 'ping' });
  await expect(row).toContainText('POST /api/hooks/');
  await expect(row.getByTestId('trigger-last-fired')).not.toHaveText('never');
  await page.goto(`/t/${me.teamSlug}/runs?workflow=hooked`);
  await expect(page.locator(`tr[data-run-id="${runId}"]`)).toBeVisible({ timeout: 15_000 });

  // Rotating: the old command is refused, the new one (shown once) works.
  await schedulesPage(page, me.teamSlug, 'triggers');
  await row.getByTestId('trigger-rotate').click();
  await page.getByRole('button', { name: 'Rotate secret', exact: true }).click();
  const newCurl = (await reveal.getByTestId('trigger-curl').textContent({ timeout: 15_000 }))!;
  expect(newCurl).not.toBe(curl);
  const old = await run('sh', ['-c', curl], { timeout: 30_000 });
  expect(old.stdout).toContain('does not match');
  const fresh = JSON.parse((await run('sh', ['-c', newCurl], { timeout: 30_000 })).stdout) as {
    runs: unknown[];
  };
  expect(fresh.runs).toHaveLength(1);
  await page.getByTestId('webhook-done').click();

  // Disable, then delete with confirmation.
  await row.getByTestId('trigger-toggle').click();
  await expect(row.getByTestId('trigger-state')).toHaveText('disabled');
  await row.getByTestId('trigger-delete').click();
  await page.getByRole('button', { name: 'Delete trigger', exact: true }).click();
  await expect(page.getByTestId('trigger-row')).toHaveCount(0);
});

test('a backfill of an hourly schedule over a past 3-hour range: its logical dates listed, then watched to the end; a slow one cancelled', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const me = await signUp(page, 'backfiller');
  // Paused: only the backfill starts runs.
  await applyWorkflow(
    page.request,
    me.teamSlug,
    "name: fill-me\nschedules:\n  - name: hourly\n    cron: '0 * * * *'\n    enabled: false\ntasks:\n  a: { kind: noop }\n",
  );
  await schedulesPage(page, me.teamSlug, 'backfills');
  await expect(page.getByTestId('empty-state')).toContainText('No backfills yet');

  await page.getByTestId('new-backfill').click();
  const form = page.getByTestId('backfill-form');
  await form.locator('select[name="workflowId"]').selectOption({ label: 'fill-me' });
  await expect(form.locator('select[name="source"] option:checked')).toHaveText('schedule hourly');
  const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  await form.locator('input[name="rangeStart"]').fill(localInput(hour - 3 * HOUR_MS));
  await form.locator('input[name="rangeEnd"]').fill(localInput(hour - HOUR_MS));
  const preview = form.getByTestId('backfill-preview');
  await expect(preview.getByTestId('backfill-preview-total')).toContainText('3 logical dates');
  await expect(preview.locator('li')).toHaveCount(3);
  await page.getByTestId('backfill-start').click();
  await expect(form).toBeHidden({ timeout: 15_000 });

  const row = page.getByTestId('backfill-row').first();
  await expect(row).toContainText('fill-me');
  await expect(row).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await expect(row.getByTestId('backfill-progress')).toContainText('3/3');
  await screenshot(page, 'backfill-done');
  await expectAccessible(page);

  // A backfill whose runs never end on their own: cancelled with confirmation.
  const slowFill = await applyWorkflow(
    page.request,
    me.teamSlug,
    'name: slow-fill\ntasks:\n  a: { kind: shell, command: sleep 300 }\n',
  );
  const { id } = await trpc<{ id: string }>(
    page.request,
    'mutation',
    'schedules.backfills.create',
    {
      teamSlug: me.teamSlug,
      workflowId: slowFill.workflowId,
      cron: '0 * * * *',
      timezone: 'UTC',
      rangeStart: new Date(hour - 3 * HOUR_MS).toISOString(),
      rangeEnd: new Date(hour - HOUR_MS).toISOString(),
    },
  );
  await page.reload();
  const slow = page.locator(`[data-testid="backfill-row"][data-backfill-id="${id}"]`);
  await expect(slow).toHaveAttribute('data-status', 'running');
  await slow.getByTestId('backfill-cancel').click();
  await page.getByRole('button', { name: 'Cancel backfill', exact: true }).click();
  await expect(slow).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
  await expect(slow.getByTestId('backfill-cancel')).toHaveCount(0);
});

test('a viewer reads schedules, triggers and backfills without a button to change them', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const ownerCtx = await browser.newContext({ timezoneId: 'UTC' });
  const viewerCtx = await browser.newContext({ timezoneId: 'UTC' });
  const owner = await ownerCtx.newPage();
  const viewer = await viewerCtx.newPage();
  const alice = await signUp(owner, 'sched-owner');
  const { workflowId } = await applyWorkflow(
    owner.request,
    alice.teamSlug,
    "name: watched\nschedules:\n  - name: daily\n    cron: '0 6 * * *'\ntasks:\n  a: { kind: noop }\n",
  );
  await trpc(owner.request, 'mutation', 'triggers.createWebhook', {
    teamSlug: alice.teamSlug,
    workflowId,
    name: 'inbound',
  });
  const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  await trpc(owner.request, 'mutation', 'schedules.backfills.create', {
    teamSlug: alice.teamSlug,
    workflowId,
    cron: '0 * * * *',
    timezone: 'UTC',
    rangeStart: new Date(hour - 2 * HOUR_MS).toISOString(),
    rangeEnd: new Date(hour - HOUR_MS).toISOString(),
  });
  const email = `sched-viewer-${Date.now()}@e2e.test`;
  const inv = await trpc<{ acceptPath: string }>(owner.request, 'mutation', 'members.invite', {
    teamSlug: alice.teamSlug,
    email,
    role: 'viewer',
  });
  const token = new URL(inv.acceptPath, 'http://x').searchParams.get('token')!;
  await viewer.goto(`/sign-up?invite=${encodeURIComponent(token)}`);
  await viewer.locator('input[name="email"]').fill(email);
  await viewer.locator('input[name="password"]').fill('viewer-password-1');
  await viewer.locator('form[aria-label="Sign up"] button[type="submit"]').click();
  await viewer.waitForURL(/\/t\//);

  await schedulesPage(viewer, alice.teamSlug);
  await expect(viewer.getByTestId('schedule-row')).toHaveCount(1);
  await expect(
    viewer.getByTestId('schedule-calendar').getByTestId('calendar-chip').first(),
  ).toBeVisible();
  await expect(viewer.getByTestId('new-schedule')).toHaveCount(0);
  await expect(viewer.getByTestId('schedule-row').getByRole('button')).toHaveCount(0);

  await viewer.getByTestId('tab-triggers').click();
  await expect(viewer).toHaveURL(/\?tab=triggers$/);
  await expect(viewer.getByTestId('trigger-row')).toHaveCount(1);
  await expect(viewer.getByTestId('new-webhook')).toHaveCount(0);
  await expect(viewer.getByTestId('trigger-row').getByRole('button')).toHaveCount(0);

  await viewer.getByTestId('tab-backfills').click();
  await expect(viewer.getByTestId('backfill-row')).toHaveCount(1);
  await expect(viewer.getByTestId('new-backfill')).toHaveCount(0);
  await expect(viewer.getByTestId('backfill-row').getByRole('button')).toHaveCount(0);
  await screenshot(viewer, 'backfills-viewer');
  await ownerCtx.close();
  await viewerCtx.close();
});
