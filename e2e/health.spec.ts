import { expect, test } from '@playwright/test';
import { signUp } from './support/app';

test('a visitor is sent to sign-in; /api/health tells only the verdict', async ({
  page,
  request,
}) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/t/some-team/workflows');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Ft%2Fsome-team%2Fworkflows/);

  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  expect(res.headers()['cache-control']).toContain('no-store');
  const body = await res.json();
  expect(body).toEqual({ status: 'ok', time: expect.any(String), database: { ok: true } });
});

test('signed in, the workers page shows the system status: schema and both live workers', async ({
  page,
}) => {
  const me = await signUp(page, 'status');
  await page.goto(`/t/${me.teamSlug}/workers`);
  await expect(page.getByTestId('db-status')).toContainText('connected');
  await expect(page.getByTestId('db-migration')).toHaveText(/\d{14}_\w+/);
  // `npm start` runs two workers; they register within a heartbeat or two.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('workers').locator('tbody tr')).toHaveCount(2);
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId('workers')).toContainText('worker-1');
  await expect(page.getByTestId('workers')).toContainText('worker-2');

  const res = await page.request.get('/api/health');
  const body = await res.json();
  expect(body.database.migration.latest).toMatch(/^\d{14}_\w+$/);
  // The list of every worker (every team's pools) is for operators: members have the page.
  expect(body).not.toHaveProperty('workers');
});
