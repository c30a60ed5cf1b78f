import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const WORKFLOW = `
name: params-form
params:
  limit: { type: integer, minimum: 1, description: Rows to copy }
  mode: { type: string, enum: [full, delta], default: delta }
  target:
    type: object
    properties:
      table: { type: string }
      schema: { type: string, default: public }
  tags: { type: array, items: { type: string }, default: [] }
tasks:
  copy:
    kind: noop
`;

test('manual run: a form generated from the params schema, bad values refused on their fields, nested groups and lists, then the run page', async ({
  page,
}) => {
  const me = await signUp(page, 'runner');
  await applyWorkflow(page.request, me.teamSlug, WORKFLOW);
  await page.goto(`/t/${me.teamSlug}/workflows/params-form`);
  await page.getByTestId('run-workflow').click();
  const form = page.getByTestId('run-form');
  await expect(form).toBeVisible();
  const start = page.getByTestId('start-run');

  // Required fields are marked; nothing filled: the server's own rules (from @dtss/core) say why.
  await expect(form.getByText('limit *')).toBeVisible();
  await expect(start).toBeDisabled();

  // A value that is not a number, then one below the minimum: refused on the field.
  const limit = form.locator('input[name="limit"]');
  await limit.fill('ten');
  await expect(form.getByTestId('field-error').first()).toContainText('must be a number');
  await expect(start).toBeDisabled();
  await limit.fill('0');
  await expect(form.getByText(/at least 1|>= 1|minimum/i)).toBeVisible();
  await expect(start).toBeDisabled();
  await limit.fill('5');

  // The object param is a group of fields; its required property is checked in place.
  const group = form.getByTestId('param-target');
  await expect(group).toBeVisible();
  await form.locator('input[name="target.schema"]').fill('staging');
  await expect(group.getByTestId('field-error')).toHaveCount(1);
  await expect(start).toBeDisabled();
  await form.locator('input[name="target.table"]').fill('orders');

  // The array param is a list: an empty item is refused until filled or removed.
  await form.getByTestId('add-item-tags').click();
  await expect(form.getByText('empty item: fill it in or remove it')).toBeVisible();
  await expect(start).toBeDisabled();
  await form.locator('input[name="tags[0]"]').fill('nightly');
  await form.getByTestId('add-item-tags').click();
  await form.getByRole('button', { name: 'Remove tags #2' }).click();
  await form.locator('select[name="mode"]').selectOption('full');

  await expectAccessible(page);
  await screenshot(page, 'run-form');
  await expect(start).toBeEnabled();
  await start.click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const runId = new URL(page.url()).pathname.split('/').pop()!;
  const run = await trpc<{ params: unknown }>(page.request, 'query', 'runs.get', { runId });
  expect(run.params).toEqual({
    limit: 5,
    mode: 'full',
    target: { table: 'orders', schema: 'staging' },
    tags: ['nightly'],
  });
});

test('the run page follows a run live from the run stream: tasks turn running, then succeeded, without reloading', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // Each task waits for a file the test writes once it has seen the task running on the page,
  // so the page is sure to watch every change happen, however busy the machine.
  const gates = mkdtempSync(path.join(tmpdir(), 'dtss-e2e-gates-'));
  const waitFor = (name: string) =>
    `for i in $(seq 1 600); do [ -f '${gates}/${name}' ] && exit 0; sleep 0.2; done; exit 1`;
  const me = await signUp(page, 'watcher');
  await applyWorkflow(
    page.request,
    me.teamSlug,
    JSON.stringify({
      name: 'live-steps',
      tasks: {
        first: {
          kind: 'shell',
          command: `echo 'before the gate'; ${waitFor('first').replace(/exit 0/, "{ echo 'after the gate'; exit 0; }")}`,
        },
        second: { kind: 'shell', command: waitFor('second'), needs: ['first'] },
      },
    }),
  );
  const { run } = await trpc<{ run: { id: string } }>(page.request, 'mutation', 'runs.trigger', {
    teamSlug: me.teamSlug,
    workflow: 'live-steps',
  });
  await page.goto(`/t/${me.teamSlug}/runs/${run.id}`);
  const status = (task: string) => page.locator(`tr[data-task="${task}"] [data-status]`);
  const runStatus = page.locator('[data-testid="run-status"] [data-status]');

  await expect(status('first')).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  await expect(status('second')).toHaveAttribute('data-status', 'pending');
  await expect(runStatus).toHaveAttribute('data-status', 'running');
  // The graph paints the same live statuses.
  await expect(page.getByTestId('task-node-first')).toHaveAttribute('data-status', 'running');
  // The task's log shows its first line while it still runs, and the next one as it is written.
  await page.getByTestId('open-task-first').click();
  const panel = page.getByTestId('task-panel');
  await expect(panel.getByTestId('log-line').filter({ hasText: 'before the gate' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(panel.getByTestId('rerun-task')).toBeDisabled();
  writeFileSync(path.join(gates, 'first'), '');
  await expect(panel.getByTestId('log-line').filter({ hasText: 'after the gate' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(status('first')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await expect(status('second')).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  // The timings and attempts follow the status (the page re-reads the run after the events).
  await expect(page.locator('tr[data-task="second"]')).toContainText('1/1');
  await screenshot(page, 'run-live');
  writeFileSync(path.join(gates, 'second'), '');
  await expect(runStatus).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await expect(status('second')).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('task-node-second')).toHaveAttribute('data-status', 'succeeded');
  // The chain that decided the run's duration: here, both tasks.
  await expect(page.getByTestId('critical-path')).toHaveText('first → second');
  await expect(page.getByTestId('task-node-second')).toHaveAttribute('data-critical', 'true');
  await expectAccessible(page);
});

test('a failing task shows its attempts and error; the failed part is rerun as a new run', async ({
  page,
}) => {
  const me = await signUp(page, 'rerunner');
  await applyWorkflow(
    page.request,
    me.teamSlug,
    JSON.stringify({
      name: 'flaky-step',
      tasks: {
        ok: { kind: 'shell', command: 'echo fine' },
        broken: {
          kind: 'shell',
          command: "echo 'about to fail' >&2; exit 3",
          needs: ['ok'],
          retries: { maxAttempts: 2, backoff: 'fixed', initialDelay: '1s' },
        },
      },
    }),
  );
  const { run } = await trpc<{ run: { id: string } }>(page.request, 'mutation', 'runs.trigger', {
    teamSlug: me.teamSlug,
    workflow: 'flaky-step',
  });
  await page.goto(`/t/${me.teamSlug}/runs/${run.id}`);
  const runStatus = page.locator('[data-testid="run-status"] [data-status]');
  await expect(runStatus).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
  await page.getByTestId('open-task-broken').click();
  const attempts = page.getByTestId('task-attempts').locator('tbody tr');
  await expect(attempts).toHaveCount(2, { timeout: 30_000 });
  await expect(attempts.nth(1)).toContainText('3');
  await expect(
    page.getByTestId('task-panel').getByTestId('log-line').filter({ hasText: 'about to fail' }),
  ).toBeVisible({ timeout: 30_000 });
  await screenshot(page, 'run-failed-task');

  await page.getByTestId('rerun-failed').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Rerun' }).click();
  await page.waitForURL((url) => url.pathname.includes('/runs/') && !url.pathname.endsWith(run.id));
  await expect(page.getByTestId('run-title')).toHaveText('Run #2');
  await expect(page.getByTestId('run-details')).toContainText('rerun');
});

test('a 300-task run: the graph opens readable at its start and shows all on demand; the tasks table pages and filters', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const me = await signUp(page, 'large');
  const lines = ['name: large-run', 'tasks:'];
  for (let i = 0; i < 300; i++) {
    const id = `t${String(i).padStart(3, '0')}`;
    lines.push(`  ${id}:`, '    kind: noop');
    // Ten layers of thirty tasks, each needing one task of the layer before.
    if (i >= 30) lines.push(`    needs: [t${String(i - 30).padStart(3, '0')}]`);
  }
  await applyWorkflow(page.request, me.teamSlug, `${lines.join('\n')}\n`);
  const { run } = await trpc<{ run: { id: string } }>(page.request, 'mutation', 'runs.trigger', {
    teamSlug: me.teamSlug,
    workflow: 'large-run',
  });
  await waitForRunStatus(page.request, run.id, 'succeeded');

  await page.goto(`/t/${me.teamSlug}/runs/${run.id}`);
  const graph = page.getByTestId('run-graph');
  await expect(graph).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  // Opened at a readable zoom on its first tasks: only those are drawn.
  await expect(graph).toHaveAttribute('data-zoom', 'near');
  await expect(graph.locator('.react-flow__node').first()).toBeVisible();
  const drawn = await graph.locator('.react-flow__node').count();
  expect(drawn).toBeGreaterThan(0);
  expect(drawn).toBeLessThan(300);
  await screenshot(page, 'run-large-start');
  await page.getByTestId('graph-show-all').click();
  await expect(graph).toHaveAttribute('data-zoom', 'far');
  await expect(graph.locator('.react-flow__node')).toHaveCount(300);
  await expect(page.getByTestId('graph-show-all')).toHaveCount(0);

  // The table: the first hundred rows, then more on demand; a name or a status filters it.
  const rows = page.locator('[data-testid="run-tasks"] tbody tr');
  await expect(rows).toHaveCount(100);
  await page.getByTestId('run-tasks-more').click();
  await expect(rows).toHaveCount(200);
  await page.getByTestId('run-tasks-filter').fill('t29');
  await expect(rows).toHaveCount(10);
  await expect(page.getByText('10 of 300 tasks match')).toBeVisible();
  await page.getByTestId('run-tasks-filter').fill('nothing-like-it');
  await expect(page.getByText('No task matches')).toBeVisible();
  await page.getByTestId('run-tasks-filter').fill('');
  await page.getByTestId('run-tasks-status').selectOption('succeeded');
  await expect(rows).toHaveCount(100);
  await expect(page.getByText('Showing 100 of 300')).toBeVisible();
  await expectAccessible(page);
});
