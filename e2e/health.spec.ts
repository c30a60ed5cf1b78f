import { expect, test } from '@playwright/test';

test('the home page shows a healthy system, its schema and the live workers', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'DTSS', level: 1 })).toBeVisible();
  await expect(page.getByTestId('health-status')).toHaveText('ok');
  await expect(page.getByTestId('db-status')).toContainText('connected');
  await expect(page.getByTestId('db-migration')).toHaveText(/^\d{14}_\w+$/);
  // `npm start` runs two workers; they register within a heartbeat or two.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('workers').locator('tbody tr')).toHaveCount(2);
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId('workers')).toContainText('worker-1');
  await expect(page.getByTestId('workers')).toContainText('worker-2');
});

test('GET /api/health reports the database, the applied migration and the workers', async ({
  request,
}) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  expect(res.headers()['cache-control']).toContain('no-store');
  const body = await res.json();
  expect(body.status).toBe('ok');
  expect(body.database.ok).toBe(true);
  expect(body.database.migration.latest).toMatch(/^\d{14}_\w+$/);
  expect(body.database.migration.applied).toBeGreaterThan(0);
  expect(body.workers.map((w: { name: string }) => w.name).sort()).toEqual([
    'worker-1',
    'worker-2',
  ]);
});
