import { expect, test } from '@playwright/test';
import { applyWorkflow, expectAccessible, screenshot, signUp, tabTo, trpc } from './support/app';

test('the shell: navigation, security headers, theme, team switcher, sign-out', async ({
  page,
}) => {
  const me = await signUp(page, 'shell');
  const res = await page.goto(`/t/${me.teamSlug}/workflows`);
  const h = res!.headers();
  expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(h['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(h['content-security-policy']).not.toContain('unsafe-eval');
  expect(h['x-frame-options']).toBe('DENY');
  expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');

  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const item of [
    'Workflows',
    'Runs',
    'Schedules',
    'Dashboards',
    'Workers',
    'Alerts',
    'Settings',
  ]) {
    await expect(nav.getByRole('link', { name: item })).toBeVisible();
  }
  await expect(nav.getByRole('link', { name: 'Workflows' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(page.getByTestId('empty-state')).toContainText('No workflows yet');

  // Theme: system → light → dark, kept across a reload (cookie, rendered by the server).
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveClass(/light/);
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await screenshot(page, 'shell-empty-dark');

  // A second team shows up in the switcher; switching keeps the section.
  const other = await trpc<{ slug: string }>(page.request, 'mutation', 'teams.create', {
    name: 'Second team',
    slug: `second-${me.teamSlug}`.slice(0, 40),
  });
  await page.goto(`/t/${me.teamSlug}/runs`);
  await page.getByTestId('team-switcher').click();
  await page.getByRole('menuitem', { name: /Second team/ }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${other.slug}/runs`));

  await page.getByTestId('user-menu').click();
  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/sign-in/);
});

test('the workflows list: search in the URL, tags, status dots, accessible', async ({ page }) => {
  const me = await signUp(page, 'list');
  for (let i = 0; i < 3; i++) {
    await applyWorkflow(
      page.request,
      me.teamSlug,
      `name: list-${i}\ndescription: number ${i}\ntags: [${i === 1 ? 'etl' : 'misc'}]\nschedules:\n  - cron: '0 5 * * *'\ntasks:\n  a: { kind: noop }\n`,
    );
  }
  await page.goto(`/t/${me.teamSlug}/workflows`);
  const table = page.getByTestId('workflows-table');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table).toContainText('in '); // next fire, relative
  await page.getByLabel('Search workflows').fill('list-2');
  await expect(page).toHaveURL(/q=list-2/);
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await page.getByLabel('Search workflows').fill('');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await page.getByRole('button', { name: 'Filter by tag etl' }).click();
  await expect(page).toHaveURL(/tag=etl/);
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table).toContainText('list-1');
  await screenshot(page, 'workflows-list');
  await expectAccessible(page);
});

test('a workflow of another team, or an unknown one, is a 404 by URL', async ({ browser }) => {
  const a = await browser.newContext();
  const b = await browser.newContext();
  const pa = await a.newPage();
  const pb = await b.newPage();
  const alice = await signUp(pa, 'alice');
  const bob = await signUp(pb, 'bob');
  await applyWorkflow(
    pa.request,
    alice.teamSlug,
    'name: secret-flow\ntasks:\n  a: { kind: noop }\n',
  );

  const foreignTeam = await pb.goto(`/t/${alice.teamSlug}/workflows/secret-flow`);
  expect(foreignTeam!.status()).toBe(404);
  await expect(pb.getByTestId('not-found')).toBeVisible();
  const ownTeam = await pb.goto(`/t/${bob.teamSlug}/workflows/secret-flow`);
  expect(ownTeam!.status()).toBe(404);
  const edit = await pb.goto(`/t/${bob.teamSlug}/workflows/secret-flow/edit`);
  expect(edit!.status()).toBe(404);
  await screenshot(pb, 'not-found');
  await a.close();
  await b.close();
});

test('the keyboard reaches every main action, with a focus ring, and dialogs give focus back', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const me = await signUp(page, 'keys');
  await applyWorkflow(page.request, me.teamSlug, 'name: keyed\ntasks:\n  a: { kind: noop }\n');
  const base = `/t/${me.teamSlug}`;

  // Workflows: the skip link comes first, then the shell, then the page's action.
  await page.goto(`${base}/workflows`);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await tabTo(page, page.getByTestId('new-workflow'));
  await tabTo(page, page.getByRole('link', { name: 'keyed' }));
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/workflows\/keyed$/);

  // A workflow: Edit (a link styled as a button: one Tab stop) and Run; Escape gives focus back.
  await tabTo(page, page.getByTestId('edit-workflow'));
  const run = page.getByTestId('run-workflow');
  await tabTo(page, run, 5);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Run keyed' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(run).toBeFocused();

  // The main action of the other pages.
  for (const [path, testId] of [
    ['/schedules', 'new-schedule'],
    ['/schedules?tab=triggers', 'new-webhook'],
    ['/schedules?tab=backfills', 'new-backfill'],
    ['/settings', 'new-token'],
    ['/dashboards', 'metrics-window'],
  ] as const) {
    await page.goto(`${base}${path}`);
    await tabTo(page, page.getByTestId(testId), 60);
  }
});
