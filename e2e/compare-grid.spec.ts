import { expect, test, type Page } from '@playwright/test';
import {
  applyWorkflow,
  expectAccessible,
  screenshot,
  signUp,
  trpc,
  waitForRunStatus,
} from './support/app';

// Two tasks whose time and output follow the params: run 2 is slower and outputs more rows.
const WORKFLOW = `
name: compare-me
params:
  wait: { type: number, default: 0.1 }
  rows: { type: integer, default: 1 }
tasks:
  extract:
    kind: shell
    env: { WAIT: '{{ params.wait }}', ROWS: '{{ params.rows }}' }
    command: |
      sleep "$WAIT"
      printf '::output:: {"rows": %d, "source": "db"}\\n' "$ROWS"
  load:
    kind: shell
    needs: [extract]
    command: echo loaded
`;

async function finishedRun(page: Page, teamSlug: string, params: Record<string, unknown>) {
  const { run } = await trpc<{ run: { id: string } }>(page.request, 'mutation', 'runs.trigger', {
    teamSlug,
    workflow: 'compare-me',
    params,
  });
  await waitForRunStatus(page.request, run.id, 'succeeded');
  return run.id;
}

test('the workflow grid shows runs × tasks and opens a task run; two runs compared task by task', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const me = await signUp(page, 'comparer');
  await applyWorkflow(page.request, me.teamSlug, WORKFLOW);
  const first = await finishedRun(page, me.teamSlug, { wait: 0.1, rows: 10 });
  const second = await finishedRun(page, me.teamSlug, { wait: 2.5, rows: 12 });

  // ——— The grid on the workflow page ———
  await page.goto(`/t/${me.teamSlug}/workflows/compare-me`);
  const grid = page.getByTestId('run-grid');
  await expect(grid).toBeVisible();
  await expect(grid.getByTestId('run-grid-run')).toHaveCount(2);
  // Oldest left, newest right.
  await expect(grid.getByTestId('run-grid-run').first()).toHaveAttribute('data-run', first);
  await expect(grid.getByTestId('run-grid-run').last()).toHaveAttribute('data-run', second);
  // Rows in graph order; every cell coloured by its status.
  await expect(grid.locator('[role="row"][data-task]')).toHaveCount(2);
  await expect(grid.locator('[role="row"][data-task]').first()).toHaveAttribute(
    'data-task',
    'extract',
  );
  const cells = grid.locator('[role="gridcell"]');
  await expect(cells).toHaveCount(4);
  await expect(grid.locator('[role="gridcell"][data-status="succeeded"]')).toHaveCount(4);
  const cell = grid.locator('[role="row"][data-task="extract"] [role="gridcell"]').last();
  const colour = await cell.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(colour).not.toBe('rgba(0, 0, 0, 0)');
  // Hover tells task, run, status and duration.
  await cell.hover();
  await expect(page.getByTestId('run-grid-tip')).toContainText('extract');
  await expect(page.getByTestId('run-grid-tip')).toContainText('Run #2');
  await expect(page.getByTestId('run-grid-tip')).toContainText('succeeded');
  // Keyboard: focus lands on the newest run's first task; arrows move, the cell is named.
  await grid.focus();
  await expect(grid).toHaveAttribute('aria-activedescendant', /.+/);
  await page.keyboard.press('ArrowDown');
  const activeId = await grid.getAttribute('aria-activedescendant');
  await expect(page.locator(`[id="${activeId}"]`)).toHaveAttribute(
    'aria-label',
    /^load, run #2: succeeded/,
  );
  await expectAccessible(page);
  await screenshot(page, 'workflow-grid');

  // A click opens the run with that task selected.
  await cell.click();
  await page.waitForURL(
    (url) => url.pathname.endsWith(`/runs/${second}`) && url.searchParams.get('task') === 'extract',
  );
  await expect(page.getByTestId('run-title')).toHaveText('Run #2');

  // ——— Comparing run 1 (A) with run 2 (B) ———
  await page.goto(`/t/${me.teamSlug}/runs/${first}/compare?with=${second}`);
  await expect(page.getByTestId('compare-run-b')).toHaveText('run #2');
  const extract = page.getByTestId('compare-tasks').locator('tr[data-task="extract"]');
  await expect(extract.getByTestId('duration-a')).not.toHaveText('—');
  await expect(extract.getByTestId('duration-b')).not.toHaveText('—');
  await expect(extract.getByTestId('duration-delta')).toHaveText(/^\+/);
  // extract added the most time: marked, and named in the headline.
  await expect(extract).toHaveAttribute('data-slowdown', 'true');
  await expect(page.getByTestId('compare-sentence')).toContainText('Run #2 took');
  await expect(page.getByTestId('compare-sentence')).toContainText('longer than run #1');
  await expect(page.getByTestId('compare-top-slowdowns')).toContainText('extract');
  // Outputs: rows changed 10 → 12; load's output is the same (none).
  await extract.getByTestId('output-diff').locator('summary').click();
  await expect(extract.getByTestId('output-diff')).toContainText('rows');
  await expect(extract.getByTestId('output-diff')).toContainText('10');
  await expect(extract.getByTestId('output-diff')).toContainText('12');
  await expect(
    page.getByTestId('compare-tasks').locator('tr[data-task="load"]').getByTestId('output-diff'),
  ).toHaveText('same');
  // Params changed; both runs ran the same version.
  await expect(page.getByTestId('compare-params')).toContainText('wait');
  await expect(page.getByTestId('compare-params')).toContainText('rows');
  await expect(page.getByTestId('compare-version')).toContainText('Both runs ran version 1');
  // Biggest difference first puts extract on top.
  await page.getByTestId('compare-sort').selectOption('difference');
  await expect(page.getByTestId('compare-tasks').locator('tbody tr').first()).toHaveAttribute(
    'data-task',
    'extract',
  );
  await expectAccessible(page);
  await screenshot(page, 'compare-runs');

  // Without ?with=, the run before is picked (and written into the URL).
  await page.goto(`/t/${me.teamSlug}/runs/${second}/compare`);
  await expect(page).toHaveURL(new RegExp(`with=${first}`));
  await expect(page.getByTestId('compare-run-b')).toHaveText('run #1');
});
