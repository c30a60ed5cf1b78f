import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  applyWorkflow,
  expectAccessible,
  screenshot,
  signUp,
  trpc,
  waitForRunStatus,
} from './support/app';

// The file that lets the slow run end: written at the end of the test whatever happened, so a
// failed test leaves no task waiting for it.
let release = '';
test.afterEach(() => {
  if (release) writeFileSync(release, '');
});

test('the dashboard shows the figures of runs this test made, follows a running run to its end, and the period changes the charts', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const me = await signUp(page, 'dashboards');
  release = path.join(os.tmpdir(), `dtss-e2e-dashboards-${randomUUID()}`);
  await applyWorkflow(
    page.request,
    me.teamSlug,
    JSON.stringify({
      name: 'nightly',
      params: { fail: { type: 'boolean', default: false } },
      tasks: {
        extract: { kind: 'shell', command: 'echo rows' },
        load: {
          kind: 'shell',
          command: 'test "$FAIL" != true',
          env: { FAIL: '{{ params.fail }}' },
          needs: ['extract'],
          retries: { maxAttempts: 2, backoff: 'fixed', initialDelay: '1s' },
        },
      },
    }),
  );
  await applyWorkflow(
    page.request,
    me.teamSlug,
    // It runs until the test lets it end (a file appears): a busy machine cannot end it before
    // the page has shown it running.
    JSON.stringify({
      name: 'slow',
      tasks: {
        wait: {
          kind: 'shell',
          command: `while [ ! -e ${release} ]; do sleep 0.2; done`,
          timeout: '2m',
        },
      },
    }),
  );
  const trigger = async (workflow: string, params: Record<string, unknown> = {}) =>
    (
      await trpc<{ run: { id: string } }>(page.request, 'mutation', 'runs.trigger', {
        teamSlug: me.teamSlug,
        workflow,
        params,
      })
    ).run.id;
  const ok1 = await trigger('nightly');
  const ok2 = await trigger('nightly');
  const bad = await trigger('nightly', { fail: true });
  await waitForRunStatus(page.request, ok1, 'succeeded');
  await waitForRunStatus(page.request, ok2, 'succeeded');
  await waitForRunStatus(page.request, bad, 'failed');

  const slow = await trigger('slow');
  await waitForRunStatus(page.request, slow, 'running');
  await page.goto(`/t/${me.teamSlug}/dashboards`);
  const overview = page.getByTestId('metrics-overview');
  // The first figures wait for the page's code and one API call: slow on a busy machine.
  await expect(overview.getByTestId('metric-runs-failed')).toContainText('1', { timeout: 30_000 });
  await expect(overview.getByTestId('metric-retries')).toContainText('1');
  await expect(overview.getByTestId('metric-failing')).toContainText('nightly');
  await expect(overview.getByTestId('metric-durations')).toContainText('nightly');
  await expect(overview.getByTestId('metric-pools')).toContainText('default');
  // The running run is listed, and when it ends the figures are read again by themselves.
  await expect(overview.getByTestId('metric-running-runs')).toContainText('slow #1');
  await expect(overview.getByTestId('metric-runs-ended')).toContainText('3');
  await expect(overview.getByTestId('metric-success-rate')).toContainText('66.7 %');
  // Two headings, two things: the totals per final status, and the chart of runs over time.
  await expect(
    overview.getByRole('heading', { name: 'Final status of the runs that ended' }),
  ).toBeVisible();
  await expect(
    overview.getByTestId('card-runs-chart').getByRole('heading', {
      name: 'Runs ended per hour, by final status',
    }),
  ).toBeVisible();
  await expect(
    overview.getByRole('heading', { name: /^Runs ended, by final status$/ }),
  ).toHaveCount(0);
  // Where things are before the live refresh: nothing may move when the running run ends.
  // (The tables below may gain a row: their tops are compared, not their heights.)
  const boxesOf = () =>
    Promise.all(
      ['metric-success-rate', 'card-runs-chart', 'metric-workers-online', 'metric-durations'].map(
        async (id) => {
          const box = await overview.getByTestId(id).boundingBox();
          return id === 'metric-durations' ? box?.y : box;
        },
      ),
    );
  const before = await boxesOf();
  writeFileSync(release, '');
  await expect(overview.getByTestId('metric-success-rate')).toContainText('75.0 %', {
    timeout: 60_000,
  });
  expect(await boxesOf()).toEqual(before);
  await expect(overview.getByText('No run is running.')).toBeVisible();
  await expect(overview.getByTestId('metric-runs-ended')).toContainText('4');
  // Charts: bars for the runs of this test, in the status colours.
  const runBars = page.locator('[data-testid="chart-runs"] .recharts-bar-rectangle');
  await expect(runBars.first()).toBeVisible();
  await expect(
    page.locator('[data-testid="chart-tasks"] .recharts-bar-rectangle').first(),
  ).toBeVisible();
  await screenshot(page, 'dashboards');
  await expectAccessible(page);

  // Another period: kept in the URL, and the charts are drawn per hour instead of per minute.
  const ticksBefore = await page
    .locator('[data-testid="chart-runs"] .recharts-xAxis .recharts-cartesian-axis-tick')
    .allTextContents();
  await page.getByTestId('metrics-window').selectOption('7d');
  await expect(page).toHaveURL(/window=7d/);
  await expect(overview.getByTestId('metric-runs-ended')).toContainText('4');
  await expect
    .poll(() =>
      page
        .locator('[data-testid="chart-runs"] .recharts-xAxis .recharts-cartesian-axis-tick')
        .allTextContents(),
    )
    .not.toEqual(ticksBefore);
  await page.reload();
  await expect(page.getByTestId('metrics-window')).toHaveValue('7d');
  await screenshot(page, 'dashboards-7d');
});
