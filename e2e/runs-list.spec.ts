import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { applyWorkflow, expectAccessible, screenshot, signUp, trpc } from './support/app';

/** A shell task that waits for a file the test writes (so the page watches it run, then end). */
function gated(gates: string, name: string): string {
  return `for i in $(seq 1 600); do [ -f '${gates}/${name}' ] && exit 0; sleep 0.2; done; exit 1`;
}

async function trigger(page: Page, teamSlug: string, workflow: string): Promise<string> {
  const { run } = await trpc<{ run: { id: string } }>(page.request, 'mutation', 'runs.trigger', {
    teamSlug,
    workflow,
  });
  return run.id;
}

async function statusOf(page: Page, runId: string): Promise<string> {
  return (await trpc<{ status: string }>(page.request, 'query', 'runs.get', { runId })).status;
}

const row = (page: Page, runId: string) => page.locator(`tr[data-run-id="${runId}"]`);

test('runs list: status and trigger filters live in the URL, survive a reload and come back with Back', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const me = await signUp(page, 'lister');
  await applyWorkflow(
    page.request,
    me.teamSlug,
    JSON.stringify({ name: 'breaks', tasks: { boom: { kind: 'shell', command: 'exit 3' } } }),
  );
  await applyWorkflow(page.request, me.teamSlug, 'name: fine\ntasks:\n  a: { kind: noop }\n');
  const failed = await trigger(page, me.teamSlug, 'breaks');
  const ok = await trigger(page, me.teamSlug, 'fine');
  await expect.poll(() => statusOf(page, failed), { timeout: 30_000 }).toBe('failed');
  await expect.poll(() => statusOf(page, ok), { timeout: 30_000 }).toBe('succeeded');
  const rerun = await trpc<{ id: string }>(page.request, 'mutation', 'runs.rerun', {
    runId: failed,
    mode: 'failed',
  });
  await expect.poll(() => statusOf(page, rerun.id), { timeout: 30_000 }).toBe('failed');

  await page.goto(`/t/${me.teamSlug}/runs`);
  await expect(page.locator('tr[data-run-id]')).toHaveCount(3);

  await page.getByTestId('runs-filter-status-failed').check();
  await expect(page).toHaveURL(/[?&]status=failed(&|$)/);
  await expect(page.locator('tr[data-run-id]')).toHaveCount(2);
  await page.getByTestId('runs-filter-trigger-rerun').check();
  await expect(page).toHaveURL(/[?&]trigger=rerun(&|$)/);
  await expect(page.locator('tr[data-run-id]')).toHaveCount(1);
  await expect(row(page, rerun.id)).toBeVisible();

  await page.reload();
  await expect(page.getByTestId('runs-filter-status-failed')).toBeChecked();
  await expect(page.getByTestId('runs-filter-trigger-rerun')).toBeChecked();
  await expect(page.getByTestId('runs-filter-status-succeeded')).not.toBeChecked();
  await expect(page.locator('tr[data-run-id]')).toHaveCount(1);
  await expect(row(page, rerun.id)).toBeVisible();

  // A run's page, then Back: the list comes back filtered.
  await row(page, rerun.id)
    .getByRole('link', { name: /^Run #/ })
    .click();
  await expect(page).toHaveURL(new RegExp(`/runs/${rerun.id}$`));
  await page.goBack();
  await expect(page.getByTestId('runs-filter-trigger-rerun')).toBeChecked();
  await expect(page.locator('tr[data-run-id]')).toHaveCount(1);

  // A custom range: an end alone applies; a start after it is refused on the field, not applied.
  await page.getByTestId('runs-filter-range').selectOption('custom');
  await expect(page).toHaveURL(/[?&]range=custom/);
  await page.getByTestId('runs-filter-to').fill('2030-01-01T10:00');
  await expect(page).toHaveURL(/[?&]to=2030-01-0/);
  await page.getByTestId('runs-filter-from').fill('2030-01-02T10:00');
  await expect(page.getByTestId('field-error')).toHaveText('The end must be after the start');
  await expect(page.getByTestId('runs-filter-to')).toHaveAttribute('aria-invalid', 'true');
  await expect(page).not.toHaveURL(/[?&]from=/);
  await expect(page.locator('tr[data-run-id]')).toHaveCount(1);
  await page.getByTestId('runs-filter-range').selectOption('24h');
  await expect(page).toHaveURL(/[?&]range=24h/);
  await expect(page.locator('tr[data-run-id]')).toHaveCount(1);

  await page.getByTestId('runs-filter-clear').click();
  await expect(page.locator('tr[data-run-id]')).toHaveCount(3);
  await expect(page).not.toHaveURL(/status=|trigger=|range=/);
});

test('runs list: a running row turns succeeded live, its duration ticking meanwhile', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const gates = mkdtempSync(path.join(tmpdir(), 'dtss-e2e-list-gates-'));
  const me = await signUp(page, 'live-lister');
  await applyWorkflow(
    page.request,
    me.teamSlug,
    JSON.stringify({
      name: 'waits',
      tasks: { hold: { kind: 'shell', command: gated(gates, 'go') } },
    }),
  );
  const runId = await trigger(page, me.teamSlug, 'waits');
  await page.goto(`/t/${me.teamSlug}/runs`);
  const theRow = row(page, runId);
  await expect(theRow).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  await expect(theRow.getByTestId('run-row-tasks')).toContainText('0/1');

  // The duration grows on screen while the run runs.
  const duration = theRow.getByTestId('run-row-duration');
  await expect(duration).toContainText('so far', { timeout: 30_000 });
  const first = await duration.textContent();
  await expect.poll(() => duration.textContent(), { timeout: 10_000 }).not.toBe(first);

  writeFileSync(path.join(gates, 'go'), '');
  await expect(theRow).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await expect(theRow.getByTestId('run-row-status')).toContainText('succeeded');
  // Counts follow (the page re-reads the rows after the events).
  await expect(theRow.getByTestId('run-row-tasks')).toContainText('1/1', { timeout: 10_000 });
  await expect(duration).not.toContainText('so far');
});

test('runs list: two selected long runs are cancelled in bulk; the page is accessible', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const me = await signUp(page, 'bulk-canceller');
  await applyWorkflow(
    page.request,
    me.teamSlug,
    JSON.stringify({
      name: 'long-haul',
      tasks: { sleep: { kind: 'shell', command: 'sleep 300' } },
    }),
  );
  await applyWorkflow(page.request, me.teamSlug, 'name: quick\ntasks:\n  a: { kind: noop }\n');
  const quick = await trigger(page, me.teamSlug, 'quick');
  await expect.poll(() => statusOf(page, quick), { timeout: 30_000 }).toBe('succeeded');
  const one = await trigger(page, me.teamSlug, 'long-haul');
  const two = await trigger(page, me.teamSlug, 'long-haul');

  await page.goto(`/t/${me.teamSlug}/runs`);
  for (const id of [one, two]) {
    await expect(row(page, id)).toHaveAttribute('data-status', /queued|running/);
  }
  await expectAccessible(page);

  await row(page, one).getByTestId('run-select').check();
  await row(page, two).getByTestId('run-select').check();
  await expect(page.getByTestId('bulk-selected')).toHaveText('2 runs selected');
  await expect(page.getByTestId('runs-select-all')).toHaveJSProperty('indeterminate', true);
  await screenshot(page, 'runs-list');

  await page.getByTestId('bulk-cancel').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Cancel 2 runs?');
  await dialog.getByRole('button', { name: 'Cancel 2 runs', exact: true }).click();
  await expect(page.getByTestId('bulk-result')).toContainText('2 runs cancelled', {
    timeout: 30_000,
  });
  // The rows end as cancelled once their workers stopped the tasks, without a reload.
  for (const id of [one, two]) {
    await expect(row(page, id)).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
  }
  await expect(row(page, quick)).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('bulk-selected')).toHaveText('No run selected');
  await expectAccessible(page);
  await screenshot(page, 'runs-list-cancelled');
});
