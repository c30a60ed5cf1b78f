import { expect, test } from '@playwright/test';

test('the home page shows a healthy system with its database schema', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'DTSS', level: 1 })).toBeVisible();
  await expect(page.getByTestId('health-status')).toHaveText('ok');
  await expect(page.getByTestId('db-status')).toContainText('connected');
  await expect(page.getByTestId('db-migration')).toHaveText(/^\d{14}_\w+$/);
});

test('GET /api/health reports the database and the applied migration', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  expect(res.headers()['cache-control']).toContain('no-store');
  const body = await res.json();
  expect(body.status).toBe('ok');
  expect(body.database.ok).toBe(true);
  expect(body.database.migration.latest).toMatch(/^\d{14}_\w+$/);
  expect(body.database.migration.applied).toBeGreaterThan(0);
});
